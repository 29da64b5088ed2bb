/**
 * The monthly statement run: one statement of account (PDF) for every account with anything open on the
 * as-of date and a billing contact, kept as a document of the account and e-mailed to the billing contact
 * (queued; the mail.send job delivers it). An account gets one statement e-mail per month of the as-of date
 * (the e-mail's unique key `statement:YYYY-MM`), so running again — by hand or by the scheduler — sends
 * nothing twice.
 */
import { Readable } from 'node:stream';
import { addDays, isBusinessDate, today } from '../../core/dates.ts';
import { invalid } from '../../core/errors.ts';
import { formatAmountText, Money } from '../../core/money.ts';
import { type Db, PoolDb } from '../../db/db.ts';
import { configuredStore, queueEmail, queueEmails, requestDelivery } from '../correspondence/index.ts';
import { requireRole } from '../identity/index.ts';
import {
  type DocumentStore,
  defineJob,
  discardMadeDocuments,
  enqueue,
  mapInFlight,
  putMadeDocuments,
  recordMadeDocuments,
  type StoredMadeDocument,
  uploadDocument,
  withRenderer,
} from '../platform/index.ts';
import { openItemsSql } from './aging.ts';
import {
  type AccountStatement,
  accountStatement,
  accountStatements,
  companyName,
  monthStart,
  statementFileName,
  statementPdf,
} from './statement.ts';

export {
  type AccountStatement,
  type ActivityLine,
  accountStatement,
  accountStatements,
  type CurrencyStatement,
  type StatementOpenItem,
  statementFileName,
  statementPdf,
  statementXlsx,
} from './statement.ts';

/** The module whose `statementPdf` the rendering threads load (light: rendering only). */
const statementRenderer = new URL('./statement-pdf.ts', import.meta.url).href;

export const statementRunners = ['administrator', 'collector', 'manager', 'credit'] as const;

export interface StatementRunResult {
  as_of: string;
  from: string;
  /** Accounts with anything open and a billing contact. */
  accounts: number;
  queued: number;
  /** Accounts that had their statement for this month already. */
  skipped: number;
  email_ids: string[];
  /** 'queued' when the job queue sends them; 'pending' when the caller must (`sendQueued`). */
  delivery: 'queued' | 'pending';
}

/** Accounts read, rendered and stored together by the statement run. */
export const statementBatchSize = 50;

export const statementKey = (asOf: string) => `statement:${asOf.slice(0, 7)}`;

class AlreadySent extends Error {}

export function statementEmailBody(s: AccountStatement): string {
  const lines = [
    `Dear ${s.account.name},`,
    '',
    `Please find attached your statement of account ${s.account.account_id} as of ${s.as_of} (activity from ${s.from}).`,
    '',
  ];
  for (const st of s.statements) {
    const money = (v: string) => `${formatAmountText(v, st.currency)} ${st.currency}`;
    lines.push(`Closing balance: ${money(st.closing_balance)}`);
    if (new Money(st.past_due).greaterThan(0)) {
      lines.push(`  past due: ${money(st.past_due)}`);
      if (new Money(st.open_credits).lessThan(0))
        lines.push(
          `  credits in your favour (open credit memos, unapplied payments): ${money(st.open_credits)}`,
          `  past due after your credits: ${money(st.net_past_due)}`,
        );
    }
  }
  lines.push(
    '',
    'If anything on it does not match your records, please reply to this e-mail.',
    '',
    companyName() ?? 'Clearhouse',
  );
  return `${lines.join('\n')}\n`;
}

export async function runStatements(
  db: Db,
  store: DocumentStore,
  opts: { asOf?: string | undefined; from?: string | undefined; accounts?: readonly string[] } = {},
): Promise<StatementRunResult> {
  requireRole(db.actor, statementRunners);
  const asOf = opts.asOf ?? addDays(monthStart(today()), -1);
  if (!isBusinessDate(asOf)) throw invalid('as_of', 'must be a date written YYYY-MM-DD');
  const from = opts.from ?? monthStart(asOf);
  const key = statementKey(asOf);
  const { rows } = await db.query<{ account_id: string; billing_email: string; sent: boolean }>(
    `with ${openItemsSql()}
     select a.account_id, a.billing_email,
       exists (select 1 from emails e where e.account_id = a.account_id and e.dedupe_key = $3) as sent
     from accounts a
     where a.billing_email is not null and a.billing_email <> ''
       and ($4::text[] is null or a.account_id = any($4))
       and exists (select 1 from items i where i.account_id = a.account_id and i.open_amount <> 0)
     order by a.account_id`,
    [asOf, 'due_date', key, opts.accounts ?? null],
  );
  const result: StatementRunResult = {
    as_of: asOf,
    from,
    accounts: rows.length,
    queued: 0,
    skipped: 0,
    email_ids: [],
    delivery: 'queued',
  };
  const todo = rows.filter((a) => !a.sent);
  result.skipped += rows.length - todo.length;
  const batches: (typeof todo)[] = [];
  for (let i = 0; i < todo.length; i += statementBatchSize)
    batches.push(todo.slice(i, i + statementBatchSize));
  // A batch of accounts at a time: their data read set-based (a query per kind for the batch), their
  // statements rendered on the threads, then stored and queued in one transaction (set-based inserts). Two
  // batches in flight on a pool, so the next batch is read and the last stored while the threads render.
  const batchIds = await withRenderer(todo.length, (renderer) =>
    mapInFlight(batches, db instanceof PoolDb ? 2 : 1, async (batch) => {
      const statements = await accountStatements(
        db,
        batch.map((a) => a.account_id),
        { as_of: asOf, from },
      );
      const pdfs = await Promise.all(
        statements.map((s) => renderer.render(statementRenderer, 'statementPdf', s)),
      );
      const emailOf = new Map(batch.map((a) => [a.account_id, a.billing_email]));
      const stored = await putMadeDocuments(
        store,
        statements.map((s, i) => ({
          accountId: s.account.account_id,
          entityType: 'account',
          entityId: s.account.account_id,
          fileName: statementFileName(s, 'pdf'),
          documentType: 'statement',
          content: pdfs[i]!,
        })),
      );
      let kept: StoredMadeDocument[] = [];
      try {
        const ids = await db.tx(async (tx) => {
          const emailIds = await queueEmails(
            tx,
            statements.map((s, i) => ({
              accountId: s.account.account_id,
              to: emailOf
                .get(s.account.account_id)!
                .split(/[;,]\s*/)
                .filter(Boolean),
              subject: `Statement of account ${s.account.account_id} as of ${asOf}`,
              body: statementEmailBody(s),
              attachments: [stored[i]!.document_id],
              kind: 'statement',
              dedupeKey: key,
            })),
          );
          // An account whose statement e-mail of the month exists already (a run at the same time) keeps no
          // second statement document either.
          kept = stored.filter((_d, i) => emailIds[i] !== undefined);
          await recordMadeDocuments(tx, kept);
          return emailIds;
        });
        if (kept.length < stored.length) {
          const keptIds = new Set(kept.map((d) => d.document_id));
          await discardMadeDocuments(
            db,
            store,
            stored.filter((d) => !keptIds.has(d.document_id)),
          );
        }
        return { ids, missing: batch.length - statements.length };
      } catch (err) {
        await discardMadeDocuments(db, store, stored);
        throw err;
      }
    }),
  );
  for (const { ids, missing } of batchIds) {
    result.skipped += missing;
    for (const id of ids) {
      if (id === undefined) result.skipped++;
      else {
        result.queued++;
        result.email_ids.push(id);
      }
    }
  }
  if (result.email_ids.length > 0 && !(await requestDelivery(result.email_ids))) result.delivery = 'pending';
  return result;
}

/** Keeps a statement's PDF as a document of its account (to attach it to an e-mail); returns the document. */
export function keepStatementPdf(
  tx: Db,
  store: DocumentStore,
  statement: AccountStatement,
  pdf: Buffer,
): Promise<{ document_id: string }> {
  return uploadDocument(tx, store, {
    entityType: 'account',
    entityId: statement.account.account_id,
    fileName: statementFileName(statement, 'pdf'),
    documentType: 'statement',
    content: Readable.from([pdf]),
  });
}

/**
 * E-mails one account's statement of account (PDF attached, kept as a document of the account) to `to`,
 * once per `dedupeKey`: a key used before returns the e-mail sent then (`created: false`), nothing is queued.
 * The caller checks who may send it and hands the e-mail to the mail job (`requestDelivery`).
 */
export async function sendStatement(
  db: Db,
  store: DocumentStore,
  accountId: string,
  opts: { asOf: string; from?: string; to: readonly string[]; dedupeKey: string },
): Promise<{ email_id: string; created: boolean }> {
  const earlier = await db.query<{ email_id: string }>(
    'select email_id::text from emails where account_id = $1 and dedupe_key = $2',
    [accountId, opts.dedupeKey],
  );
  if (earlier.rows[0]) return { email_id: earlier.rows[0].email_id, created: false };
  const statement = await accountStatement(db, { account_id: accountId, as_of: opts.asOf, from: opts.from });
  const pdf = await statementPdf(statement);
  try {
    const emailId = await db.tx(async (tx) => {
      const document = await keepStatementPdf(tx, store, statement, pdf);
      const email = await queueEmail(tx, {
        accountId,
        to: [...opts.to],
        subject: `Statement of account ${accountId} as of ${opts.asOf}`,
        body: statementEmailBody(statement),
        attachments: [document.document_id],
        kind: 'statement',
        dedupeKey: opts.dedupeKey,
      });
      if (!email) throw new AlreadySent();
      return email.email_id;
    });
    return { email_id: emailId, created: true };
  } catch (err) {
    if (!(err instanceof AlreadySent)) throw err;
    // A concurrent request sent it between the look-up and the insert: give that one.
    const again = await db.query<{ email_id: string }>(
      'select email_id::text from emails where account_id = $1 and dedupe_key = $2',
      [accountId, opts.dedupeKey],
    );
    return { email_id: again.rows[0]!.email_id, created: false };
  }
}

/** Accounts per `ar.statement-slice` job. */
export const statementSliceSize = 250;

/**
 * On the 1st of each month at 06:00 UTC: the statements as of the last day of the month before. In a worker,
 * the accounts are handed out in slices (`ar.statement-slice` jobs) that every worker process takes its share
 * of; each slice is a run of its own (once per account and month, like any run).
 */
export const monthlyStatementsJob = defineJob<{ as_of?: string; slice_size?: number }>({
  name: 'ar.monthly-statements',
  schedule: '0 6 1 * *',
  tz: 'UTC',
  expireInSeconds: 60 * 60,
  async handler({ db, log }, data) {
    const asOf = data?.as_of ?? addDays(monthStart(today()), -1);
    if (!isBusinessDate(asOf)) throw invalid('as_of', 'must be a date written YYYY-MM-DD');
    const { rows } = await db.query<{ account_id: string }>(
      `select a.account_id from accounts a
       where a.billing_email is not null and a.billing_email <> ''
         and not exists (select 1 from emails e where e.account_id = a.account_id and e.dedupe_key = $1)
       order by a.account_id`,
      [statementKey(asOf)],
    );
    const slices: string[][] = [];
    const size = data?.slice_size ?? statementSliceSize;
    for (let i = 0; i < rows.length; i += size) slices.push(rows.slice(i, i + size).map((r) => r.account_id));
    let queued = 0;
    for (const accounts of slices) {
      if (await enqueue(statementSliceJob.name, { as_of: asOf, accounts })) queued++;
      else {
        const result = await runStatements(db, configuredStore(), { asOf, accounts });
        log.info({ ...result, email_ids: undefined }, 'monthly statements queued');
      }
    }
    log.info({ as_of: asOf, accounts: rows.length, slices: queued }, 'monthly statements handed out');
    return { as_of: asOf, accounts: rows.length, slices: queued };
  },
});

/** One slice of the monthly statement run: its accounts' statements, rendered, stored and e-mailed. */
export const statementSliceJob = defineJob<{ as_of: string; accounts: string[] }>({
  name: 'ar.statement-slice',
  expireInSeconds: 30 * 60,
  async handler({ db, log }, data) {
    const result = await runStatements(db, configuredStore(), { asOf: data.as_of, accounts: data.accounts });
    log.info({ ...result, email_ids: undefined, slice: data.accounts.length }, 'statement slice queued');
    return result;
  },
});
