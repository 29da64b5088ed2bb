/**
 * Account 360: what the collections desk needs about one account on one page — its balance and aging per
 * currency, the contacts, the collection strategy and where the account stands in it, the statements sent,
 * open tasks, and the other half of the business with the same partner: its rebate claims (read through the
 * claims module's public face) and the credit memos posted to it (by settlement or imported), with what of
 * each is still open. The timeline, promises and open items have endpoints of their own.
 */

import { today } from '../../core/dates.ts';
import { Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { type ClaimListItem, listClaims } from '../claims/index.ts';
import { bucketsFor, defaultBoundaries, listOpenItems } from '../receivables/index.ts';
import { type AccountStrategy, accountStrategy } from './account-strategy.ts';
import { requireCollections } from './activities.ts';

export interface AccountOverview {
  as_of: string;
  account: {
    account_id: string;
    name: string;
    country: string;
    currency: string;
    payment_terms_days: number;
    credit_limit: string | null;
    segment: string | null;
    parent_account_id: string | null;
  };
  contacts: { role: string; email: string }[];
  /** One row per currency with anything open: buckets (not_due, d1_30, …), total and past due. */
  aging: Record<string, string>[];
  strategy: AccountStrategy;
  statements: {
    email_id: string;
    subject: string;
    status: string;
    to: string[];
    sent_at: string | null;
    created_at: string;
    attachments: string[];
  }[];
  promises: { open: number; broken: number; kept: number };
  tasks: { open: number; overdue: number };
  claims: Pick<
    ClaimListItem,
    | 'claim_id'
    | 'account_id'
    | 'program_id'
    | 'program_name'
    | 'submitted_date'
    | 'currency'
    | 'status'
    | 'claimed_amount'
    | 'approved_amount'
  >[];
  credit_memos: {
    document_id: string;
    account_id: string;
    document_date: string;
    currency: string;
    amount: string;
    open_amount: string;
    reference: string | null;
    /** The claim it paid, when its reference names one of the partner's claims. */
    claim_id: string | null;
  }[];
}

export async function accountOverview(db: Db, accountId: string): Promise<AccountOverview> {
  requireCollections(db, false);
  const asOf = today();
  const strategy = await accountStrategy(db, accountId, asOf); // 404 when the account is not visible
  return db.tx(async (tx) => {
    const { rows } = await tx.query<
      AccountOverview['account'] & {
        billing_email: string | null;
        claims_email: string | null;
        collector: string | null;
        rebate_analyst: string | null;
        sales_owner: string | null;
        partner_accounts: string[];
      }
    >(
      `select account_id, name, country, currency, payment_terms_days, credit_limit::text, segment,
         parent_account_id, billing_email, claims_email, collector, rebate_analyst, sales_owner,
         array(select account_subtree(account_id)) as partner_accounts
       from accounts where account_id = $1`,
      [accountId],
    );
    const a = rows[0]!;
    const contacts = (
      [
        ['billing', a.billing_email],
        ['claims', a.claims_email],
        ['collector', a.collector],
        ['rebate analyst', a.rebate_analyst],
        ['sales owner', a.sales_owner],
      ] as const
    ).flatMap(([role, email]) => (email ? [{ role, email }] : []));

    const buckets = bucketsFor(defaultBoundaries);
    const { items } = await listOpenItems(tx, { account_id: accountId, as_of: asOf, limit: 10_000 });
    const currencies = [...new Set(items.map((i) => i.currency))].sort((x, y) =>
      x === a.currency ? -1 : y === a.currency ? 1 : x.localeCompare(y),
    );
    const aging = currencies.map((currency) => {
      const mine = items.filter((i) => i.currency === currency);
      const sum = (list: typeof mine) =>
        list.reduce((s, i) => s.plus(i.open_amount), new Money(0)).toFixed(2);
      const row: Record<string, string> = { currency };
      for (const b of buckets) row[b.key] = sum(mine.filter((i) => i.bucket === b.key));
      row.total = sum(mine);
      row.past_due = sum(
        mine.filter((i) => i.bucket !== 'not_due' && i.kind !== 'payment' && i.kind !== 'credit_memo'),
      );
      return row;
    });

    const statements = await tx.query<{
      email_id: string;
      subject: string;
      status: string;
      to: string[];
      sent_at: Date | null;
      created_at: Date;
      attachments: string[];
    }>(
      `select email_id::text, subject, status, to_addresses as to, sent_at, created_at,
         attachments::text[] as attachments
       from emails where account_id = $1 and kind = 'statement' order by created_at desc limit 24`,
      [accountId],
    );
    const counts = await tx.query<{
      open_promises: number;
      broken: number;
      kept: number;
      open_tasks: number;
      overdue_tasks: number;
    }>(
      `select
         (select count(*)::int from promises where account_id = $1 and status = 'open') as open_promises,
         (select count(*)::int from promises where account_id = $1 and status = 'broken') as broken,
         (select count(*)::int from promises where account_id = $1 and status = 'kept') as kept,
         (select count(*)::int from tasks where account_id = $1 and status = 'open') as open_tasks,
         (select count(*)::int from tasks where account_id = $1 and status = 'open' and due_date < $2::date)
           as overdue_tasks`,
      [accountId, asOf],
    );
    const claims: AccountOverview['claims'] = [];
    for (const partner of a.partner_accounts) {
      const { items: found } = await listClaims(tx, { account_id: partner, limit: 50 });
      for (const c of found)
        claims.push({
          claim_id: c.claim_id,
          account_id: c.account_id,
          program_id: c.program_id,
          program_name: c.program_name,
          submitted_date: c.submitted_date,
          currency: c.currency,
          status: c.status,
          claimed_amount: c.claimed_amount,
          approved_amount: c.approved_amount,
        });
    }
    claims.sort(
      (x, y) => y.submitted_date.localeCompare(x.submitted_date) || x.claim_id.localeCompare(y.claim_id),
    );
    const claimIds = new Set(claims.map((c) => c.claim_id));
    const memos = await tx.query<Omit<AccountOverview['credit_memos'][number], 'claim_id'>>(
      `select d.document_id, d.account_id, d.document_date, d.currency, d.amount::text,
         (d.amount - coalesce((select sum(e.amount) from ar_application_entries e
           where e.account_id = d.account_id and e.payment_id = d.document_id and e.applied_date <= $2::date), 0))
           ::numeric(18, 2)::text as open_amount,
         d.reference
       from ar_documents d
       where d.account_id = any($1::text[]) and d.type = 'credit_memo' and d.document_date <= $2::date
       order by d.document_date desc, d.document_id limit 100`,
      [a.partner_accounts, asOf],
    );
    const c = counts.rows[0]!;
    return {
      as_of: asOf,
      account: {
        account_id: a.account_id,
        name: a.name,
        country: a.country,
        currency: a.currency,
        payment_terms_days: a.payment_terms_days,
        credit_limit: a.credit_limit,
        segment: a.segment,
        parent_account_id: a.parent_account_id,
      },
      contacts,
      aging,
      strategy,
      statements: statements.rows.map((s) => ({
        ...s,
        sent_at: s.sent_at ? s.sent_at.toISOString() : null,
        created_at: s.created_at.toISOString(),
      })),
      promises: { open: c.open_promises, broken: c.broken, kept: c.kept },
      tasks: { open: c.open_tasks, overdue: c.overdue_tasks },
      claims,
      credit_memos: memos.rows.map((m) => ({
        ...m,
        claim_id: m.reference && claimIds.has(m.reference) ? m.reference : null,
      })),
    };
  });
}
