import fs from 'node:fs';
import type { Command } from 'commander';
import {
  type AchFormat,
  accruals,
  exportFormatOf,
  listBatches,
  reconciliation,
  releaseBatch,
  renderAccrualsCsv,
  renderAccrualsXlsx,
  renderReconciliationCsv,
  renderReconciliationXlsx,
  reverseBatch,
  runSettlement,
} from '../modules/settlement/index.ts';
import { withDatabase } from './context.ts';
import { UserError } from './output.ts';

export function registerSettlement(program: Command): void {
  const settlement = program
    .command('settlement')
    .description('Settlement: pay approved claims by credit memo, ACH, check or wire, in batches')
    .addHelpText(
      'after',
      '\nEnvironment: CLEARHOUSE_ACH_FORMAT (ccd or ctx), CLEARHOUSE_ACH_COMPANY_NAME, _COMPANY_ID, _ORIGIN,\n' +
        '_DESTINATION, _ODFI, CLEARHOUSE_SETTLEMENT_RELEASE_LIMIT.',
    );

  settlement
    .command('run')
    .description(
      'Pay every approved claim with no payment yet by its program’s payment method (default credit_memo), one\n' +
        'batch per method, currency and SLA priority, and write each batch’s files to DIR: credit memos CSV,\n' +
        'NACHA .ach (CCD+ or CTX), check register CSV and PDF, wire instructions CSV, and a payment advice (PDF,\n' +
        'XLSX) per partner. Claims due soon or past their SLA are paid first and flagged. A claim is paid at most\n' +
        'once, however often this runs. Files reach DIR only once the payments are committed; the files of a\n' +
        'run stopped in between are written by the next run, into the folder they were made for.',
    )
    .requiredOption('--out <dir>', 'directory to write the files to (created if missing)')
    .option(
      '--as-of <date>',
      'the payment date, YYYY-MM-DD, a business day (default: today, or the next business day)',
    )
    .option('--ach-format <format>', 'ccd (CCD+, one entry per claim) or ctx (one entry per partner)')
    .option('--exclude <claim...>', 'claim ids not to pay in this run (they stay approved for a later run)')
    .action(
      async (opts: { out: string; asOf?: string; achFormat?: string; exclude?: string[] }, cmd: Command) => {
        if (opts.achFormat && !['ccd', 'ctx'].includes(opts.achFormat))
          throw new UserError(`--ach-format ${opts.achFormat}: use ccd or ctx.`);
        await withDatabase(cmd, async ({ db, out }) => {
          const run = await runSettlement(db, {
            outDir: opts.out,
            asOf: opts.asOf,
            achFormat: opts.achFormat as AchFormat | undefined,
            exclude: opts.exclude,
          });
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
                    method: b.ach_format ? `${b.method} (${b.ach_format})` : b.method,
                    status: b.release_required ? `${b.status} (needs release)` : b.status,
                    priority: b.sla_priority ? 'SLA' : '',
                    file: b.files[0] ?? (b.status === 'draft' ? '(written on release)' : ''),
                  })),
                  [
                    'batch_id',
                    'method',
                    'currency',
                    'payment_count',
                    'total_amount',
                    'status',
                    'priority',
                    'file',
                  ],
                ),
              );
              if (run.sla_priority_claims.length > 0)
                lines.push(
                  `Paid first (due soon or past their SLA): ${run.sla_priority_claims.length} claim(s): ` +
                    `${run.sla_priority_claims.slice(0, 20).join(', ')}${run.sla_priority_claims.length > 20 ? ', …' : ''}`,
                );
            }
            for (const r of run.recovered)
              lines.push(
                r.error
                  ? `Batch ${r.batch_id} was paid by an earlier run stopped before it wrote its files, and they ` +
                      `cannot be written to ${r.dir}: ${r.error}`
                  : `Batch ${r.batch_id} was paid by an earlier run stopped before it wrote its files: ` +
                      `${r.files.length} file(s) written to ${r.dir} now.`,
              );
            if (run.unpaid.length > 0) {
              lines.push(`${run.unpaid.length} claim(s) left unpaid:`);
              for (const u of run.unpaid)
                lines.push(`  ${u.claim_id} (${u.amount} ${u.currency}, ${u.method}): ${u.reason}`);
            }
            return lines.join('\n');
          });
        });
      },
    );

  settlement
    .command('batches')
    .description('List the payment batches')
    .action(async (_opts: object, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const batches = await listBatches(db);
        out.result(batches, () =>
          batches.length === 0
            ? 'No payment batch.'
            : out.table(
                batches.map((b) => ({ ...b, priority: b.sla_priority ? 'SLA' : '' })),
                ['batch_id', 'method', 'currency', 'status', 'payment_count', 'total_amount', 'priority'],
              ),
        );
      });
    });

  settlement
    .command('release')
    .description(
      'Release a payment batch held for its amount (approver, manager or administrator): its claims are paid',
    )
    .argument('<batch_id>')
    .requiredOption('--comment <text>', 'why it may be paid: what you checked (kept in the audit trail)')
    .action(async (batchId: string, opts: { comment: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const released = await releaseBatch(db, batchId, { comment: opts.comment });
        out.result(released, () =>
          [
            `Released payment batch ${released.batch_id}: ${released.claim_ids.length} claim(s) paid on ${released.paid_on}.`,
            ...(released.files.length > 0
              ? [`${released.files.length} file(s) written: ${released.files.join(', ')}`]
              : []),
            ...(released.export_error
              ? [
                  `Its files could not be written to the run's folder (${released.export_error}); the next run writes them.`,
                ]
              : []),
          ].join('\n'),
        );
      });
    });

  settlement
    .command('reverse')
    .description(
      'Reverse a payment batch the bank rejected (approver, manager or administrator): its claims go back to\n' +
        'approved and are paid again by the next run; its credit memos are reversed by debit memos in\n' +
        'receivables. Reversing a reversed batch changes nothing.',
    )
    .argument('<batch_id>')
    .requiredOption('--reason <text>', 'why, e.g. the bank’s return reason (R03 no account)')
    .action(async (batchId: string, opts: { reason: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const r = await reverseBatch(db, batchId, { reason: opts.reason });
        out.result(r, () =>
          r.reversed_now
            ? `Reversed payment batch ${r.batch_id} on ${r.reversed_on}: ${r.claim_ids.length} claim(s) back to approved` +
              (r.reversal_documents.length > 0
                ? `; ${r.reversal_documents.length} credit memo(s) reversed by ${r.reversal_documents.join(', ')}.`
                : '.')
            : `Payment batch ${r.batch_id} was already reversed (${r.reason ?? 'no reason'}); nothing changed.`,
        );
      });
    });

  settlement
    .command('accruals')
    .description(
      'Write the accruals as of a date (CSV, or XLSX when FILE ends in .xlsx): per program, partner and period,\n' +
        'what was earned from sell-in and sell-out under the program’s terms, approved, paid, and the liability.',
    )
    .option('--as-of <date>', 'the day, YYYY-MM-DD (default today)')
    .option('--program <id>', 'one program only')
    .option('--account <id>', 'one partner only')
    .requiredOption('--out <file>', 'file to write (.csv or .xlsx)')
    .action(
      async (opts: { asOf?: string; program?: string; account?: string; out: string }, cmd: Command) => {
        const format = exportFormatOf(opts.out);
        await withDatabase(cmd, async ({ db, out }) => {
          const q = { as_of: opts.asOf, program_id: opts.program, account_id: opts.account };
          const report = await accruals(db, q);
          const file = format === 'xlsx' ? await renderAccrualsXlsx(report) : renderAccrualsCsv(report);
          fs.writeFileSync(opts.out, file.content);
          out.result(
            { file: opts.out, as_of: report.as_of, rows: report.rows.length, programs: report.programs },
            () =>
              [
                `Wrote the accruals as of ${report.as_of} (${report.rows.length} row(s)) to ${opts.out}.`,
                out.table(report.programs as unknown as Record<string, unknown>[], [
                  'program_id',
                  'currency',
                  'partners',
                  'earned',
                  'approved',
                  'paid',
                  'accrued',
                  'liability',
                ]),
              ].join('\n'),
          );
        });
      },
    );

  settlement
    .command('reconciliation')
    .description(
      'Write the reconciliation of credits processed (CSV summary, or XLSX with Summary, Reasons and Claims):\n' +
        'per partner and month of decision, claimed vs approved vs paid with the variances and their reasons.',
    )
    .requiredOption('--from <date>', 'first decision date, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last decision date, YYYY-MM-DD')
    .option('--account <id>', 'one partner only')
    .requiredOption('--out <file>', 'file to write (.csv or .xlsx)')
    .action(async (opts: { from: string; to: string; account?: string; out: string }, cmd: Command) => {
      const format = exportFormatOf(opts.out);
      await withDatabase(cmd, async ({ db, out }) => {
        const q = { from: opts.from, to: opts.to, account_id: opts.account };
        const report = await reconciliation(db, q);
        const file =
          format === 'xlsx' ? await renderReconciliationXlsx(report) : renderReconciliationCsv(report);
        fs.writeFileSync(opts.out, file.content);
        out.result(
          {
            file: opts.out,
            from: report.from,
            to: report.to,
            rows: report.rows.length,
            claims: report.claims.length,
          },
          () =>
            `Wrote the reconciliation of ${report.claims.length} claim(s) decided ${report.from} to ${report.to} ` +
            `(${report.rows.length} partner-month row(s)) to ${opts.out}.`,
        );
      });
    });
}
