import fs from 'node:fs';
import type { Command } from 'commander';
import { sendQueued } from '../modules/correspondence/index.ts';
import {
  accountStatement,
  aging,
  agingCsv,
  agingXlsx,
  invoiceCopy,
  invoiceCopyPdf,
  runStatements,
  statementPdf,
  statementXlsx,
} from '../modules/receivables/index.ts';
import { withDatabase } from './context.ts';
import { UserError } from './output.ts';

export function registerReceivables(program: Command): void {
  const ar = program.command('ar').description('Receivables: aging, statements, invoice copies');

  ar.command('aging')
    .description(
      'Write the aging as of a date (FORMATS.md aging.csv; XLSX when FILE ends in .xlsx): what was open that\n' +
        'day, bucketed by days past due; unapplied payments and open credit memos negative.',
    )
    .requiredOption('--as-of <date>', 'the day, YYYY-MM-DD')
    .requiredOption('--out <file>', 'file to write (.csv or .xlsx)')
    .option('--basis <basis>', 'due-date (default) or invoice-date', 'due-date')
    .option('--buckets <days>', 'bucket boundaries in days', '30,60,90,120')
    .option('--by <group>', 'account (default), collector, country or currency', 'account')
    .action(
      async (
        opts: { asOf: string; out: string; basis: string; buckets: string; by: string },
        cmd: Command,
      ) => {
        if (!/\.(csv|xlsx)$/i.test(opts.out)) throw new UserError('--out must name a .csv or .xlsx file.');
        await withDatabase(cmd, async ({ db, out }) => {
          const report = await aging(db, {
            as_of: opts.asOf,
            basis: opts.basis as never,
            buckets: opts.buckets,
            by: opts.by as never,
          });
          const xlsx = /\.xlsx$/i.test(opts.out);
          fs.writeFileSync(opts.out, xlsx ? await agingXlsx(report) : agingCsv(report));
          out.result(
            { file: opts.out, as_of: report.as_of, rows: report.rows.length },
            () => `Wrote the aging as of ${report.as_of} (${report.rows.length} row(s)) to ${opts.out}.`,
          );
        });
      },
    );
  ar.command('statement')
    .description(
      'Write the statement of account of one account (PDF, or XLSX when FILE ends in .xlsx): opening balance,\n' +
        "the period's activity, closing balance, open items with their aging; one section per currency.",
    )
    .requiredOption('--account <id>', 'the account')
    .requiredOption('--as-of <date>', 'the statement date, YYYY-MM-DD')
    .option('--from <date>', 'the first day of the period (default the first day of the as-of month)')
    .option('--currency <code>', 'only this currency')
    .requiredOption('--out <file>', 'file to write (.pdf or .xlsx)')
    .action(
      async (
        opts: { account: string; asOf: string; from?: string; currency?: string; out: string },
        cmd: Command,
      ) => {
        if (!/\.(pdf|xlsx)$/i.test(opts.out)) throw new UserError('--out must name a .pdf or .xlsx file.');
        await withDatabase(cmd, async ({ db, out }) => {
          const s = await accountStatement(db, {
            account_id: opts.account,
            as_of: opts.asOf,
            from: opts.from,
            currency: opts.currency,
          });
          fs.writeFileSync(
            opts.out,
            /\.xlsx$/i.test(opts.out) ? await statementXlsx(s) : await statementPdf(s),
          );
          out.result(
            {
              file: opts.out,
              account_id: s.account.account_id,
              from: s.from,
              as_of: s.as_of,
              balances: s.statements.map((st) => ({
                currency: st.currency,
                opening_balance: st.opening_balance,
                closing_balance: st.closing_balance,
              })),
            },
            () =>
              `Wrote the statement of ${s.account.account_id} as of ${s.as_of} to ${opts.out} (closing ${s.statements
                .map((st) => `${st.closing_balance} ${st.currency}`)
                .join(', ')}).`,
          );
        });
      },
    );

  ar.command('copy')
    .description(
      'Write a copy of a document as issued (PDF): account, dates, amount and tax, reference, PO, what was\n' +
        'applied and what is open on the as-of date.',
    )
    .requiredOption('--document <id>', 'the document (invoice, credit or debit memo, charge)')
    .option('--as-of <date>', 'the day for what is applied and open (default today)')
    .requiredOption('--out <file>', 'the .pdf file to write')
    .action(async (opts: { document: string; asOf?: string; out: string }, cmd: Command) => {
      if (!/\.pdf$/i.test(opts.out)) throw new UserError('--out must name a .pdf file.');
      await withDatabase(cmd, async ({ db, out }) => {
        const copy = await invoiceCopy(db, opts.document, { as_of: opts.asOf });
        fs.writeFileSync(opts.out, await invoiceCopyPdf(copy));
        out.result(
          {
            file: opts.out,
            document_id: copy.document.document_id,
            amount: copy.document.amount,
            open_amount: copy.open_amount,
            as_of: copy.as_of,
          },
          () =>
            `Wrote the copy of ${copy.document.document_id} to ${opts.out} (${copy.open_amount} ${copy.document.currency} open on ${copy.as_of}).`,
        );
      });
    });

  ar.command('statements')
    .description('Statement runs')
    .command('run')
    .description(
      'E-mail a statement (PDF) to the billing contact of every account with anything open, once per month:\n' +
        'through SMTP_URL, or into the outbox under CLEARHOUSE_HOME when it is not set.',
    )
    .option('--as-of <date>', 'the statement date (default the last day of the previous month)')
    .option('--from <date>', 'the first day of the period (default the first day of the as-of month)')
    .action(async (opts: { asOf?: string; from?: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out, store }) => {
        const run = await runStatements(db, store, { asOf: opts.asOf, from: opts.from });
        const sent =
          run.email_ids.length > 0 ? await sendQueued(db, { store, emailIds: run.email_ids }) : undefined;
        out.result(
          { ...run, sent: sent?.sent ?? 0, failed: sent?.failed ?? 0, bounced: sent?.bounced ?? 0 },
          () =>
            `Statements as of ${run.as_of}: ${run.queued} e-mailed (${sent?.sent ?? 0} sent, ${sent?.failed ?? 0} failed, ${sent?.bounced ?? 0} bounced), ` +
            `${run.skipped} already sent this month, ${run.accounts} account(s) with open items and a billing contact.`,
        );
      });
    });
}
