import type { Command } from 'commander';
import pino from 'pino';
import { decideClaims, validateClaims, validateSpread, writeClaimExports } from '../modules/claims/index.ts';
import { withDatabase } from './context.ts';
import { UserError } from './output.ts';

export function registerClaims(program: Command): void {
  const claims = program.command('claims').description('Rebate claims: validation, results, decisions');

  claims
    .command('validate')
    .description(
      'Validate every submitted claim with the rules of RULES.md, in order of submitted_date then claim_id\n' +
        '(the whole ledger is replayed, so the result never depends on the order claims were loaded in).',
    )
    .option(
      '--spread',
      'hand the run out by partner to the worker processes (claims.validate-slice jobs), taking slices here too, so it finishes with or without workers (without it: one pass in this process)',
    )
    .option('--slice-size <partners>', 'partners per slice with --spread', (v) => Number.parseInt(v, 10))
    .action(async (opts: { spread?: boolean; sliceSize?: number }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out, ownerUrl }) => {
        if (opts.sliceSize !== undefined && !(opts.sliceSize > 0))
          throw new UserError('--slice-size must be a positive whole number of partners.');
        if (opts.spread) {
          const bar = out.progress('validating', 1);
          const summary = await validateSpread(db, {
            ownerUrl,
            log: pino({ level: 'error' }, pino.destination(2)),
            ...(opts.sliceSize !== undefined ? { sliceSize: opts.sliceSize } : {}),
            onProgress: (done, total) => bar.update(done, { rate: `slices of ${total}` }),
          });
          bar.stop();
          out.result(
            summary,
            () =>
              `Validated ${summary.evaluated} line(s) (${summary.lines} in the ledger) in ${summary.slices} slice(s) in ${summary.seconds} s (${summary.lines_per_s.toLocaleString('en-US')} lines/s); ${summary.claims_validated} claim(s) newly validated.`,
          );
          return;
        }
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
        const written = await writeClaimExports(db, opts.out);
        out.result(
          written,
          () =>
            `Wrote ${written.lines} line(s) to ${written.results} and ${written.findings_count} finding(s) to ${written.findings}.`,
        );
      });
    });

  claims
    .command('approve')
    .description(
      'Approve validated claims at their proposed amounts (claims with a line in review, or an override waiting for an approver, are left)',
    )
    .option('--all', 'every validated claim with no line in review')
    .option('--account <account_id>', 'the claiming account, where a claim id is used by several partners')
    .argument('[claim_ids...]', 'the claims to approve')
    .action(async (ids: string[], opts: { all?: boolean; account?: string }, cmd: Command) => {
      if (!opts.all && ids.length === 0) throw new UserError('Name the claims to approve, or use --all.');
      await withDatabase(cmd, async ({ db, out }) => {
        const { decided, skipped } = await decideClaims(
          db,
          opts.all ? undefined : ids.map((claim_id) => ({ claim_id, account_id: opts.account })),
        );
        const counts: Record<string, number> = {};
        for (const d of decided) counts[d.status] = (counts[d.status] ?? 0) + 1;
        out.result({ decided, counts, skipped }, () =>
          [
            decided.length === 0
              ? 'No claim was ready for approval.'
              : `Decided ${decided.length} claim(s): ${Object.entries(counts)
                  .map(([s, n]) => `${n} ${s.replace('_', ' ')}`)
                  .join(', ')}.`,
            ...skipped.map((k) => `Skipped ${k.claim_id} (${k.account_id}): ${k.reason}.`),
          ].join('\n'),
        );
      });
    });
}
