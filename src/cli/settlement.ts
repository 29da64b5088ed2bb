import type { Command } from 'commander';
import { listBatches, releaseBatch, runSettlement } from '../modules/settlement/index.ts';
import { withDatabase } from './context.ts';

export function registerSettlement(program: Command): void {
  const settlement = program
    .command('settlement')
    .description('Settlement: pay approved claims by credit memo, ACH, check or wire, in batches');

  settlement
    .command('run')
    .description(
      'Pay every approved claim with no payment yet by its program’s payment method (default credit_memo), one\n' +
        'batch per method and currency, and write each batch’s file to DIR: credit memos CSV, NACHA .ach, check\n' +
        'register CSV, wire instructions CSV. A claim is paid at most once, however often this runs.',
    )
    .requiredOption('--out <dir>', 'directory to write the files to (created if missing)')
    .option('--as-of <date>', 'the payment date, YYYY-MM-DD (default today)')
    .action(async (opts: { out: string; asOf?: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const run = await runSettlement(db, { outDir: opts.out, asOf: opts.asOf });
        out.result(run, () => {
          const lines: string[] = [];
          if (run.batches.length === 0) lines.push('No claim to pay.');
          else {
            lines.push(
              `Paid ${run.paid_claims} claim(s) in ${run.batches.length} batch(es) as of ${run.as_of}:`,
            );
            lines.push(
              out.table(
                run.batches.map((b) => ({
                  ...b,
                  status: b.release_required ? `${b.status} (needs release)` : b.status,
                  file: b.files.join(' '),
                })),
                ['batch_id', 'method', 'currency', 'payment_count', 'total_amount', 'status', 'file'],
              ),
            );
          }
          if (run.unpaid.length > 0) {
            lines.push(`${run.unpaid.length} claim(s) left unpaid:`);
            for (const u of run.unpaid)
              lines.push(`  ${u.claim_id} (${u.amount} ${u.currency}, ${u.method}): ${u.reason}`);
          }
          return lines.join('\n');
        });
      });
    });

  settlement
    .command('batches')
    .description('List the payment batches')
    .action(async (_opts: object, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const batches = await listBatches(db);
        out.result(batches, () =>
          batches.length === 0
            ? 'No payment batch.'
            : out.table(batches as unknown as Record<string, unknown>[], [
                'batch_id',
                'method',
                'currency',
                'status',
                'payment_count',
                'total_amount',
              ]),
        );
      });
    });

  settlement
    .command('release')
    .description('Release a payment batch held for its amount (approver, manager or administrator)')
    .argument('<batch_id>')
    .action(async (batchId: string, _opts: object, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const released = await releaseBatch(db, batchId);
        out.result(released, () => `Released payment batch ${released.batch_id}.`);
      });
    });
}
