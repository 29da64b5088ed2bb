import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  autoClearCredits,
  cashApplicationsCsv,
  cashExceptionsCsv,
  runCascade,
} from '../modules/cash/index.ts';
import { markRepaidDeductions, validateDeductions } from '../modules/deductions/index.ts';
import { withDatabase } from './context.ts';

export function registerCash(program: Command): void {
  const cash = program
    .command('cash')
    .description('Cash application: the matching cascade, exports, clearing');

  cash
    .command('apply')
    .description(
      'Run the matching cascade (MATCHING.md) on every bank credit not yet through it, and print the run’s\n' +
        'measures. A second run changes nothing already decided.',
    )
    .action(async (_opts: object, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const run = await runCascade(db);
        // Its short pays are deductions: route and validate them (as the job does after a run).
        await validateDeductions(db);
        // A payment that pays back a denied deduction closes it.
        await db.tx((tx) => markRepaidDeductions(tx));
        out.result(run, () =>
          [
            `Run ${run.run_id}: ${run.credits} credit(s), ${run.amount}`,
            `  auto-applied ${run.auto_applied} (${run.auto_applied_pct} %), ${run.auto_applied_amount}`,
            `  on account ${run.on_account_count} (${run.on_account_amount}); deductions ${run.deductions} (${run.deductions_amount})`,
            `  exceptions: ${
              Object.entries(run.exceptions)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ') || 'none'
            }`,
          ].join('\n'),
        );
      });
    });

  cash
    .command('export')
    .description('Write cash_applications.csv and cash_exceptions.csv (FORMATS.md) to a folder')
    .requiredOption('--out <dir>', 'the folder (created when missing)')
    .action(async (opts: { out: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        fs.mkdirSync(opts.out, { recursive: true });
        const files = [
          path.join(opts.out, 'cash_applications.csv'),
          path.join(opts.out, 'cash_exceptions.csv'),
        ];
        fs.writeFileSync(files[0]!, await cashApplicationsCsv(db));
        fs.writeFileSync(files[1]!, await cashExceptionsCsv(db));
        out.result({ files }, () => `Wrote ${files.join(' and ')}.`);
      });
    });

  cash
    .command('clear')
    .description(
      'Clear open credits (credit memos, unapplied cash) against open invoices oldest-first, for the accounts\n' +
        'whose policy says so, or the one given',
    )
    .option('--account <id>', 'only this account (whatever its policy)')
    .action(async (opts: { account?: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const r = await autoClearCredits(db, { account_id: opts.account });
        out.result(
          r,
          () => `Cleared ${r.amount} in ${r.applications} application(s) on ${r.accounts} account(s).`,
        );
      });
    });
}
