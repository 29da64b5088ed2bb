import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { isBusinessDate } from '../core/dates.ts';
import { runCertificateReminders, taxExceptionsCsv } from '../modules/tax/index.ts';
import { withDatabase } from './context.ts';
import { UserError } from './output.ts';

export function registerTax(program: Command): void {
  const tax = program
    .command('tax')
    .description('Tax-exempt certificates and the check of invoices against them');

  tax
    .command('check')
    .description(
      'Check every invoice that names a tax jurisdiction against the certificates; write tax_exceptions.csv',
    )
    .requiredOption('--out <file>', 'the CSV file to write (its folder is created when missing)')
    .action(async (opts: { out: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const { csv, rows, checked } = await taxExceptionsCsv(db);
        fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
        fs.writeFileSync(opts.out, csv);
        out.result(
          { file: opts.out, checked, flagged: rows },
          () =>
            `Checked ${checked} invoice(s) naming a tax jurisdiction: ${rows} flagged. Wrote ${opts.out}.`,
        );
      });
    });

  tax
    .command('reminders')
    .description(
      'Send the expiry reminders due (60 and 30 days before, and on the day) and open the collectors’ tasks for expired certificates',
    )
    .option('--as-of <date>', 'run as of this day (YYYY-MM-DD); default today')
    .action(async (opts: { asOf?: string }, cmd: Command) => {
      if (opts.asOf && !isBusinessDate(opts.asOf))
        throw new UserError(`--as-of ${opts.asOf}: not a YYYY-MM-DD date`);
      await withDatabase(cmd, async ({ db, out }) => {
        const run = await runCertificateReminders(db, { asOf: opts.asOf });
        out.result(
          run,
          () =>
            `As of ${run.as_of}: ${run.reminders.length} reminder(s) sent, ${run.tasks.length} task(s) opened for collectors` +
            (run.delivery === 'pending' ? ' (the e-mails go out with the next mail run)' : ''),
        );
      });
    });
}
