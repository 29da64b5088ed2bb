import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { isMonth } from '../core/dates.ts';
import { kpisCsv } from '../modules/reporting/index.ts';
import { withDatabase } from './context.ts';
import { UserError } from './output.ts';

export function registerKpis(program: Command): void {
  program
    .command('kpis')
    .description(
      'Write the measures of a month (kpis.csv: metric, month, value) in the reporting currency\n' +
        '(CLEARHOUSE_REPORTING_CURRENCY): DSO, best possible DSO, average days delinquent, CEI, % past due,\n' +
        'DDO, claim cycle time, SLA attainment, first-pass rate. Refused, naming the currency, when an amount\n' +
        'has no exchange rate (load fx_rates.csv).',
    )
    .requiredOption('--month <YYYY-MM>', 'the month')
    .requiredOption('--out <file>', 'the CSV file to write (its folder is created when missing)')
    .action(async (opts: { month: string; out: string }, cmd: Command) => {
      if (!isMonth(opts.month)) throw new UserError(`--month ${opts.month}: not a month YYYY-MM`);
      await withDatabase(cmd, async ({ db, out }) => {
        const { csv, measures } = await kpisCsv(db, opts.month);
        fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
        fs.writeFileSync(opts.out, csv);
        out.result(
          {
            file: opts.out,
            month: measures.month,
            reporting_currency: measures.reporting_currency,
            ...measures.total,
          },
          () =>
            `Measures of ${measures.month} in ${measures.reporting_currency}: ` +
            `DSO ${measures.total.dso ?? '—'}, CEI ${measures.total.cei ?? '—'}, DDO ${measures.total.ddo ?? '—'}. Wrote ${opts.out}.`,
        );
      });
    });
}
