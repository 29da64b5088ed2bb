import fs from 'node:fs';
import type { Command } from 'commander';
import { aging, agingCsv, agingXlsx } from '../modules/receivables/index.ts';
import { withDatabase } from './context.ts';
import { UserError } from './output.ts';

export function registerReceivables(program: Command): void {
  const ar = program.command('ar').description('Receivables: aging');

  ar.command('aging')
    .description(
      'Write the aging as of a date (FORMATS.md aging.csv; XLSX when FILE ends in .xlsx): what was open that\n' +
        'day, bucketed by days past due; unapplied payments and open credit memos negative.',
    )
    .requiredOption('--as-of <date>', 'the day, YYYY-MM-DD')
    .requiredOption('--out <file>', 'file to write (.csv or .xlsx)')
    .option('--basis <basis>', 'due-date (default) or invoice-date', 'due-date')
    .option('--buckets <days>', 'bucket boundaries in days', '30,60,90,120')
    .option('--by <group>', 'account (default), collector, country or currency', 'account')
    .action(
      async (
        opts: { asOf: string; out: string; basis: string; buckets: string; by: string },
        cmd: Command,
      ) => {
        if (!/\.(csv|xlsx)$/i.test(opts.out)) throw new UserError('--out must name a .csv or .xlsx file.');
        await withDatabase(cmd, async ({ db, out }) => {
          const report = await aging(db, {
            as_of: opts.asOf,
            basis: opts.basis as never,
            buckets: opts.buckets,
            by: opts.by as never,
          });
          const xlsx = /\.xlsx$/i.test(opts.out);
          fs.writeFileSync(opts.out, xlsx ? await agingXlsx(report) : agingCsv(report));
          out.result(
            { file: opts.out, as_of: report.as_of, rows: report.rows.length },
            () => `Wrote the aging as of ${report.as_of} (${report.rows.length} row(s)) to ${opts.out}.`,
          );
        });
      },
    );
}
