import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  top40,
  top40Csv,
  top40Xlsx,
  wd8FileName,
  wd8Packet,
  wd8Pdf,
  wd8Xlsx,
} from '../modules/reviews/index.ts';
import { withDatabase } from './context.ts';
import { UserError } from './output.ts';

export function registerReviews(program: Command): void {
  const reviews = program
    .command('reviews')
    .description('Reviews: the Top 40 and the WD8 packet of the 8th-working-day AR review');

  reviews
    .command('top40')
    .description(
      'Write top40.csv (FORMATS.md; XLSX with the review’s columns when FILE ends in .xlsx): the 40 accounts\n' +
        'with the largest past due on the date, in the reporting currency (CLEARHOUSE_REPORTING_CURRENCY).',
    )
    .requiredOption('--as-of <date>', 'the date, YYYY-MM-DD')
    .requiredOption('--out <file>', 'file to write (.csv or .xlsx)')
    .action(async (opts: { asOf: string; out: string }, cmd: Command) => {
      if (!/\.(csv|xlsx)$/i.test(opts.out)) throw new UserError('--out must name a .csv or .xlsx file.');
      await withDatabase(cmd, async ({ db, out }) => {
        const t = await top40(db, { as_of: opts.asOf });
        fs.writeFileSync(opts.out, /\.xlsx$/i.test(opts.out) ? await top40Xlsx(t) : top40Csv(t.accounts));
        out.result(
          { file: opts.out, as_of: t.as_of, currency: t.currency, accounts: t.accounts.length },
          () =>
            `Wrote the Top 40 as of ${t.as_of} (${t.accounts.length} accounts past due, in ${t.currency}) to ${opts.out}.`,
        );
      });
    });

  reviews
    .command('wd8')
    .description(
      'Write the WD8 packet of a month to DIR: wd8-MONTH[-C].xlsx (a sheet per part) and .pdf — the aging at\n' +
        'the end of the month before against the month end before that, the Top 40, the credit-hold review,\n' +
        'the write-offs and adjustments of the month before, open deductions by queue and the measures.',
    )
    .requiredOption('--month <YYYY-MM>', 'the month of the review')
    .option('--country <C>', 'one country (ISO code); all countries without it')
    .requiredOption('--out <dir>', 'directory to write into')
    .action(async (opts: { month: string; country?: string; out: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const p = await wd8Packet(db, { month: opts.month, country: opts.country?.toUpperCase() });
        fs.mkdirSync(opts.out, { recursive: true });
        const files = [
          path.join(opts.out, wd8FileName(p, 'xlsx')),
          path.join(opts.out, wd8FileName(p, 'pdf')),
        ] as const;
        fs.writeFileSync(files[0], await wd8Xlsx(p));
        fs.writeFileSync(files[1], await wd8Pdf(p));
        out.result(
          { files, month: p.month, country: p.country, review_date: p.review_date, as_of: p.as_of },
          () =>
            `Wrote the WD8 packet of ${p.month} (${p.country ?? 'all countries'}, review on ${p.review_date}, aging as of ${p.as_of}):\n  ${files.join('\n  ')}`,
        );
      });
    });
}
