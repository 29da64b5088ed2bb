import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { disputesCsv, listDisputes } from '../modules/disputes/index.ts';
import { withDatabase } from './context.ts';

export function registerDisputes(program: Command): void {
  const disputes = program.command('disputes').description('Disputes on invoices: the queues, the export');

  disputes
    .command('list')
    .description('The disputes being worked (or --state), overdue first, with their team and due date')
    .option('--team <team>', 'order_management, billing or distribution')
    .option(
      '--state <state>',
      'open, in_review, resolved_adjusted, rejected, withdrawn, active, closed or all',
    )
    .option('--overdue', 'only those past their due date')
    .action(async (opts: { team?: string; state?: string; overdue?: boolean }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const list = await listDisputes(db, {
          team: opts.team as 'billing' | undefined,
          state: (opts.state ?? 'active') as 'active',
          overdue: opts.overdue ? 'true' : undefined,
          limit: 1000,
        });
        out.result(list, () =>
          list.items.length === 0
            ? 'No disputes.'
            : out.table(
                list.items.map((d) => ({ ...d, sla: d.overdue ? 'OVERDUE' : d.sla_state })),
                [
                  'dispute_id',
                  'account_id',
                  'document_id',
                  'category',
                  'team',
                  'amount',
                  'currency',
                  'state',
                  'due_date',
                  'sla',
                ],
              ),
        );
      });
    });

  disputes
    .command('export')
    .description('Write disputes.csv (every dispute with its state, dates and adjustment) to a folder')
    .requiredOption('--out <dir>', 'the folder (created when missing)')
    .action(async (opts: { out: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        fs.mkdirSync(opts.out, { recursive: true });
        const file = path.join(opts.out, 'disputes.csv');
        fs.writeFileSync(file, await disputesCsv(db));
        out.result({ files: [file] }, () => `Wrote ${file}.`);
      });
    });
}
