import fs from 'node:fs';
import type { Command } from 'commander';
import {
  creditPendCsv,
  creditPendXlsx,
  creditReleasesCsv,
  creditReleasesXlsx,
  creditReport,
  listReleases,
} from '../modules/credit/index.ts';
import { withDatabase } from './context.ts';
import { UserError } from './output.ts';

const fileKind = (out: string) => {
  if (!/\.(csv|xlsx)$/i.test(out)) throw new UserError('--out must name a .csv or .xlsx file.');
  return /\.xlsx$/i.test(out) ? 'xlsx' : 'csv';
};

export function registerCredit(program: Command): void {
  const credit = program
    .command('credit')
    .description('Credit: the credit-pend report and the releases for the ERP');

  credit
    .command('report')
    .description(
      'Write the daily credit-pend report (credit_pend.csv, FORMATS.md; XLSX when FILE ends in .xlsx): every\n' +
        'order on hold on the day with its account’s limit, exposure, available credit, past due and the\n' +
        'recommendation (release, review, hold) with its reason codes.',
    )
    .requiredOption('--as-of <date>', 'the day, YYYY-MM-DD')
    .requiredOption('--out <file>', 'file to write (.csv or .xlsx)')
    .action(async (opts: { asOf: string; out: string }, cmd: Command) => {
      const kind = fileKind(opts.out);
      await withDatabase(cmd, async ({ db, out }) => {
        const report = await creditReport(db, { as_of: opts.asOf });
        fs.writeFileSync(
          opts.out,
          kind === 'xlsx' ? await creditPendXlsx(report.orders) : creditPendCsv(report.orders),
        );
        out.result(
          { file: opts.out, as_of: report.as_of, orders: report.orders.length, ...report.counts },
          () =>
            `Wrote ${report.orders.length} order(s) on hold as of ${report.as_of} to ${opts.out} ` +
            `(release ${report.counts.release}, review ${report.counts.review}, hold ${report.counts.hold}).`,
        );
      });
    });

  credit
    .command('releases')
    .description(
      'Write credit_releases.csv for the ERP (order_id, released_at, released_by, comment; XLSX by extension):\n' +
        'the orders released from one day to another (both optional).',
    )
    .option('--from <date>', 'first day released, YYYY-MM-DD')
    .option('--to <date>', 'last day released, YYYY-MM-DD')
    .requiredOption('--out <file>', 'file to write (.csv or .xlsx)')
    .action(async (opts: { from?: string; to?: string; out: string }, cmd: Command) => {
      const kind = fileKind(opts.out);
      await withDatabase(cmd, async ({ db, out }) => {
        const rows = await listReleases(db, { from: opts.from, to: opts.to });
        fs.writeFileSync(
          opts.out,
          kind === 'xlsx' ? await creditReleasesXlsx(rows) : creditReleasesCsv(rows),
        );
        out.result(
          { file: opts.out, releases: rows.length },
          () => `Wrote ${rows.length} release(s) to ${opts.out}.`,
        );
      });
    });
}
