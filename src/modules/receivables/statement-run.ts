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
import { Money } from '../../core/money.ts';
import { type Db, PoolDb } from '../../db/db.ts';
import { formatAmountText } from '../claims/statement.ts';
import { configuredStore, queueEmail, requestDelivery } from '../correspondence/index.ts';
import { requireRole } from '../identity/index.ts';
import {
  type DocumentStore,
  defineJob,
  mapInFlight,
  uploadDocument,
  withRenderer,
} from '../platform/index.ts';
import { openItemsSql } from './aging.ts';
import {
  type AccountStatement,
  accountStatement,
  companyName,
  monthStart,
  statementFileName,
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

/** The module whose `statementPdf` the rendering threads load. */
const statementRenderer = new URL('./statement.ts', import.meta.url).href;

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
    const pastDue = new Money(st.aging.total ?? '0').minus(st.aging.not_due ?? '0');
    lines.push(`Closing balance: ${formatAmountText(st.closing_balance, st.currency)} ${st.currency}`);
    if (pastDue.isPositive() && !pastDue.isZero())
      lines.push(`  of which past due: ${formatAmountText(pastDue.toFixed(2), st.currency)} ${st.currency}`);
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
  const todo = rows.filter((a) => !a.sent);
  result.skipped += rows.length - todo.length;
  // Several accounts in flight at once: while threads render statements, the next accounts' items are read
  // and the finished ones stored (each in its own transaction), so PostgreSQL and every core work together.
  const emailIds = await withRenderer(todo.length, (renderer) =>
    mapInFlight(todo, db instanceof PoolDb ? renderer.width + 2 : 1, async (account) => {
      const statement = await accountStatement(db, { account_id: account.account_id, as_of: asOf, from });
      const pdf = await renderer.render(statementRenderer, 'statementPdf', statement);
      try {
        return await db.tx(async (tx) => {
          const document = await uploadDocument(tx, store, {
            entityType: 'account',
            entityId: account.account_id,
            fileName: statementFileName(statement, 'pdf'),
            documentType: 'statement',
            content: Readable.from([pdf]),
          });
          const email = await queueEmail(tx, {
            accountId: account.account_id,
            to: account.billing_email.split(/[;,]\s*/).filter(Boolean),
            subject: `Statement of account ${account.account_id} as of ${asOf}`,
            body: statementEmailBody(statement),
            attachments: [document.document_id],
            kind: 'statement',
            dedupeKey: key,
          });
          if (!email) throw new AlreadySent();
          return email.email_id;
        });
      } catch (err) {
        if (!(err instanceof AlreadySent)) throw err;
        return null;
      }
    }),
  );
  for (const id of emailIds) {
    if (id === null) result.skipped++;
    else {
      result.queued++;
      result.email_ids.push(id);
    }
  }
  if (result.email_ids.length > 0 && !(await requestDelivery(result.email_ids))) result.delivery = 'pending';
  return result;
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
