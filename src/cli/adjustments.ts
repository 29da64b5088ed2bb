import fs from 'node:fs';
import type { Command } from 'commander';
import { runMonthEnd } from '../modules/adjustments/index.ts';
import { journal, journalCsv, journalXlsx } from '../modules/journal/index.ts';
import { withDatabase } from './context.ts';
import { UserError } from './output.ts';

export function registerAdjustments(program: Command): void {
  program
    .command('month-end')
    .description('Month end: write off the open non-compliance charges on a month’s last day')
    .command('run')
    .description(
      'Do what the daily job does for a day: on a month’s last day, write off every non-compliance charge\n' +
        'still open that day (NCC_MONTH_END, dated that day); any other day, or again, writes off nothing more.',
    )
    .requiredOption('--as-of <date>', 'the day, YYYY-MM-DD')
    .action(async (opts: { asOf: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const run = await runMonthEnd(db, { as_of: opts.asOf });
        out.result(run, () =>
          !run.last_day
            ? `${run.as_of} is not the last day of its month: nothing written off.`
            : run.charges === 0
              ? `Nothing open to write off on ${run.as_of}.`
              : [
                  `Wrote off ${run.charges} non-compliance charge(s) on ${run.as_of} (${run.adjustment_ids.join(', ')}):`,
                  ...run.written_off.map(
                    (w) => `  ${w.account_id} ${w.document_id} ${w.amount} ${w.currency}`,
                  ),
                ].join('\n'),
        );
      });
    });

  program
    .command('journal')
    .description('The journal of postings for the ERP')
    .command('export')
    .description(
      'Write journal.csv (FORMATS.md; XLSX when FILE ends in .xlsx): every posting with its GL accounts',
    )
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD')
    .requiredOption('--out <file>', 'file to write (.csv or .xlsx)')
    .action(async (opts: { from: string; to: string; out: string }, cmd: Command) => {
      if (!/\.(csv|xlsx)$/i.test(opts.out)) throw new UserError('--out must name a .csv or .xlsx file.');
      await withDatabase(cmd, async ({ db, out }) => {
        const j = await journal(db, { from: opts.from, to: opts.to });
        fs.writeFileSync(opts.out, /\.xlsx$/i.test(opts.out) ? await journalXlsx(db, j) : journalCsv(j.rows));
        out.result(
          { file: opts.out, from: j.from, to: j.to, rows: j.rows.length },
          () => `Wrote ${j.rows.length} journal row(s) from ${j.from} to ${j.to} to ${opts.out}.`,
        );
      });
    });
}
