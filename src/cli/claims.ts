import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  approveClaims,
  claimFindings,
  claimResults,
  findingColumns,
  resultColumns,
  validateClaims,
} from '../modules/claims/index.ts';
import type { ExportColumn } from '../modules/platform/export.ts';
import { toCsv } from '../modules/platform/export.ts';
import { withDatabase } from './context.ts';
import { UserError } from './output.ts';

const types: Record<string, ExportColumn['type']> = {
  line_no: 'int',
  claimed_qty: 'int',
  approved_qty: 'int',
  claimed_amount: 'amount',
  approved_unit_amount: 'amount',
  approved_amount: 'amount',
};
const columns = (names: readonly string[]): ExportColumn[] =>
  names.map((c) => ({ key: c, header: c, type: types[c] ?? 'text' }));

export function registerClaims(program: Command): void {
  const claims = program.command('claims').description('Rebate claims: validation, results, decisions');

  claims
    .command('validate')
    .description(
      'Validate every submitted claim with the rules of RULES.md, in order of submitted_date then claim_id\n' +
        '(the whole ledger is replayed, so the result never depends on the order claims were loaded in).',
    )
    .action(async (_opts: object, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const bar = out.progress('validating', 1);
        const summary = await validateClaims(db, { onProgress: (n) => bar.update(n, { rate: 'lines' }) });
        bar.stop();
        out.result(
          summary,
          () =>
            `Validated ${summary.evaluated} line(s) (${summary.lines} in the ledger) in ${summary.seconds} s (${summary.lines_per_s.toLocaleString('en-US')} lines/s); ${summary.claims_validated} claim(s) newly validated.`,
        );
      });
    });

  claims
    .command('export')
    .description('Write claim_results.csv and claim_findings.csv (FORMATS.md) to a directory')
    .requiredOption('--out <dir>', 'directory to write to (created if missing)')
    .action(async (opts: { out: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        fs.mkdirSync(opts.out, { recursive: true });
        const results = await claimResults(db);
        const findings = await claimFindings(db);
        const resultsFile = path.join(opts.out, 'claim_results.csv');
        const findingsFile = path.join(opts.out, 'claim_findings.csv');
        fs.writeFileSync(resultsFile, toCsv(columns(resultColumns), results));
        fs.writeFileSync(findingsFile, toCsv(columns(findingColumns), findings));
        out.result(
          {
            results: resultsFile,
            findings: findingsFile,
            lines: results.length,
            findings_count: findings.length,
          },
          () =>
            `Wrote ${results.length} line(s) to ${resultsFile} and ${findings.length} finding(s) to ${findingsFile}.`,
        );
      });
    });

  claims
    .command('approve')
    .description('Approve validated claims at their proposed amounts (claims with a line in review are left)')
    .option('--all', 'every validated claim with no line in review')
    .argument('[claim_ids...]', 'the claims to approve')
    .action(async (ids: string[], opts: { all?: boolean }, cmd: Command) => {
      if (!opts.all && ids.length === 0) throw new UserError('Name the claims to approve, or use --all.');
      await withDatabase(cmd, async ({ db, out }) => {
        const decided = await approveClaims(db, opts.all ? undefined : ids);
        const counts: Record<string, number> = {};
        for (const d of decided) counts[d.status] = (counts[d.status] ?? 0) + 1;
        out.result({ decided, counts }, () =>
          decided.length === 0
            ? 'No claim was ready for approval.'
            : `Decided ${decided.length} claim(s): ${Object.entries(counts)
                .map(([s, n]) => `${n} ${s.replace('_', ' ')}`)
                .join(', ')}.`,
        );
      });
    });
}
