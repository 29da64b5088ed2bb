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
import type { Db } from '../../db/db.ts';
import { configuredStore, queueEmail, requestDelivery } from '../correspondence/index.ts';
import { requireRole } from '../identity/index.ts';
import { type DocumentStore, defineJob, uploadDocument } from '../platform/index.ts';
import { openItemsSql } from './aging.ts';
import {
  type AccountStatement,
  accountStatement,
  companyName,
  monthStart,
  statementFileName,
  statementPdf,
} from './statement.ts';

export {
  type AccountStatement,
  type ActivityLine,
  accountStatement,
  type CurrencyStatement,
  type StatementOpenItem,
  statementFileName,
  statementPdf,
  statementXlsx,
} from './statement.ts';

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
  opts: { asOf?: string; from?: string } = {},
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
       and exists (select 1 from items i where i.account_id = a.account_id and i.open_amount <> 0)
     order by a.account_id`,
    [asOf, 'due_date', key],
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
  for (const account of rows) {
    if (account.sent) {
      result.skipped++;
      continue;
    }
    const sent = await sendStatement(db, store, account.account_id, {
      asOf,
      from,
      to: account.billing_email.split(/[;,]\s*/).filter(Boolean),
      dedupeKey: key,
    });
    if (sent.created) {
      result.queued++;
      result.email_ids.push(sent.email_id);
    } else result.skipped++;
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

/** On the 1st of each month at 06:00 UTC: the statements as of the last day of the month before. */
export const monthlyStatementsJob = defineJob<{ as_of?: string }>({
  name: 'ar.monthly-statements',
  schedule: '0 6 1 * *',
  tz: 'UTC',
  expireInSeconds: 60 * 60,
  async handler({ db, log }, data) {
    const result = await runStatements(db, configuredStore(), { asOf: data?.as_of });
    log.info({ ...result, email_ids: undefined }, 'monthly statements queued');
    return result;
  },
});
