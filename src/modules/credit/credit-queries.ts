/**
 * Exposure, available credit and the daily credit-pend report (CONTROLS.md, "Credit"), set-based in SQL.
 *
 * The bill-to hierarchy: an account's limit in a currency is its own, or else its nearest ancestor's. The
 * account holding the limit and every account it covers form one credit group: their open receivables, orders
 * on hold, past due and broken promises count together against that one limit. An account that no limit
 * covers is a group of its own, without a limit.
 *
 * Open receivables are the aging's open items on the day (receivables' openItemsSql: credits and unapplied cash
 * negative); orders on hold on the day are those dated on or before it and not released by then.
 */
import type { Db } from '../../db/db.ts';
import { promiseGraceDays } from '../collections/index.ts';
import { openItemsSql } from '../receivables/index.ts';
import type { Recommendation } from './schemas.ts';

const debitKinds = `('invoice', 'debit_memo', 'non_compliance_charge')`;
const amount = (x: string) => `coalesce(${x}, 0)::numeric(18, 2)::text`;

/**
 * The credit groups on $1 (date) as CTEs: `membership` (holder_id, currency, account_id, credit_limit) and
 * `groups` (holder_id, currency, credit_limit, open_ar, on_hold, past_due, max_dpd, broken_promise). $2 is the
 * aging basis ('due_date') openItemsSql needs, $3 the promise grace in days.
 */
function groupsSql(scoped: boolean): string {
  // Scoped to one account tree ($5, every account of it), the sums read only that tree's rows.
  const only = (column: string) => (scoped ? ` and ${column} = any($5::text[])` : '');
  return `up as (
      select a.account_id, a.account_id as ancestor, 0 as depth, a.parent_account_id as next from accounts a
      where true${only('a.account_id')}
      union all
      select u.account_id, p.account_id, u.depth + 1, p.parent_account_id
      from up u join accounts p on p.account_id = u.next
      where u.depth < 100
    ),
    holders as (
      select distinct on (u.account_id, l.currency) u.account_id, l.currency::text as currency,
        u.ancestor as holder_id, l.amount as credit_limit
      from up u join credit_limits l on l.account_id = u.ancestor
      order by u.account_id, l.currency, u.depth
    ),
    ${openItemsSql(scoped ? 'any($5::text[])' : undefined)},
    ar as (
      select i.account_id, i.currency::text as currency, sum(i.open_amount) as open_ar,
        sum(i.open_amount) filter (where i.kind in ${debitKinds} and i.due_date < $1::date and i.open_amount > 0)
          as past_due,
        max($1::date - i.due_date) filter (where i.kind in ${debitKinds} and i.due_date < $1::date
          and i.open_amount > 0) as max_dpd
      from items i where i.open_amount <> 0
      group by i.account_id, i.currency
    ),
    held as (
      select o.account_id, o.order_id, o.order_date, o.amount, o.currency::text as currency, o.hold_reason
      from credit_orders o
      where o.order_date <= $1::date and (o.status = 'on_hold' or o.released_on > $1::date)${only('o.account_id')}
    ),
    held_sums as (
      select h.account_id, h.currency, sum(h.amount) as on_hold from held h group by h.account_id, h.currency
    ),
    touched as (
      select account_id, currency from ar union select account_id, currency from held_sums
    ),
    membership as (
      select h.holder_id, h.currency, h.account_id, h.credit_limit from holders h
      union all
      select t.account_id, t.currency, t.account_id, null::numeric from touched t
      where not exists (select 1 from holders h where h.account_id = t.account_id and h.currency = t.currency)
    ),
    broken as (
      select distinct p.account_id from promises p
      where p.status = 'broken' and p.promised_date + $3::int + 1 between $1::date - 29 and $1::date${only('p.account_id')}
    ),
    groups as (
      select m.holder_id, m.currency, max(m.credit_limit) as credit_limit,
        coalesce(sum(a.open_ar), 0) as open_ar, coalesce(sum(s.on_hold), 0) as on_hold,
        coalesce(sum(a.past_due), 0) as past_due, coalesce(max(a.max_dpd), 0) as max_dpd,
        bool_or(b.account_id is not null) as broken_promise
      from membership m
      left join ar a on a.account_id = m.account_id and a.currency = m.currency
      left join held_sums s on s.account_id = m.account_id and s.currency = m.currency
      left join broken b on b.account_id = m.account_id
      group by m.holder_id, m.currency
    )`;
}

/** Every account of the tree the account belongs to (its root's subtree): all its credit groups can reach. */
async function treeOf(db: Db, accountId: string): Promise<string[]> {
  const { rows } = await db.query<{ ids: string[] }>(
    `with recursive anc as (
       select account_id, parent_account_id, 0 as depth from accounts where account_id = $1
       union all
       select a.account_id, a.parent_account_id, anc.depth + 1 from accounts a
       join anc on a.account_id = anc.parent_account_id where anc.depth < 100
     )
     select coalesce(array(select account_subtree(
       (select account_id from anc order by depth desc limit 1))), '{}') as ids`,
    [accountId],
  );
  return rows[0]?.ids ?? [];
}

/** The query's parameters, and whether it is scoped to one account's tree. */
async function paramsFor(db: Db, asOf: string, accountId: string | undefined) {
  const base = [asOf, 'due_date', promiseGraceDays, accountId ?? null];
  if (accountId === undefined) return { scoped: false, params: base };
  return { scoped: true, params: [...base, await treeOf(db, accountId)] };
}

export interface CreditPosition {
  account_id: string;
  currency: string;
  /** The account whose limit covers this one (itself, or the nearest ancestor with a limit). */
  credit_account_id: string;
  credit_limit: string | null;
  open_ar: string;
  orders_on_hold: string;
  exposure: string;
  available_credit: string | null;
  past_due: string;
  max_days_past_due: number;
}

const positionColumns = `m.account_id, g.currency, g.holder_id as credit_account_id,
  g.credit_limit::text as credit_limit, ${amount('g.open_ar')} as open_ar, ${amount('g.on_hold')} as orders_on_hold,
  ${amount('g.open_ar + g.on_hold')} as exposure,
  (g.credit_limit - g.open_ar - g.on_hold)::numeric(18, 2)::text as available_credit,
  ${amount('g.past_due')} as past_due, g.max_dpd::int as max_days_past_due`;

/**
 * Each account's credit position per currency on a day: its group's limit, open receivables, orders on hold,
 * exposure and available credit. One account, or every account with a limit or anything open.
 */
export async function creditPositions(db: Db, asOf: string, accountId?: string): Promise<CreditPosition[]> {
  const { scoped, params } = await paramsFor(db, asOf, accountId);
  const { rows } = await db.query<CreditPosition>(
    `with recursive ${groupsSql(scoped)}
     select ${positionColumns}
     from membership m join groups g on g.holder_id = m.holder_id and g.currency = m.currency
     where ($4::text is null or m.account_id = $4)
       and (g.credit_limit is not null or g.open_ar <> 0 or g.on_hold <> 0)
     order by m.account_id, g.currency`,
    params,
  );
  return rows;
}

export interface PendRow {
  order_id: string;
  account_id: string;
  order_date: string;
  amount: string;
  currency: string;
  hold_reason: string | null;
  credit_account_id: string;
  credit_limit: string | null;
  open_ar: string;
  exposure: string;
  available_credit: string | null;
  past_due: string;
  max_days_past_due: number;
  recommendation: Recommendation;
  /** Sorted reason codes. */
  reasons: string[];
}

/**
 * The credit-pend report's rows on a day: every order on hold, its group's figures and the recommendation.
 * A group's orders are walked in order_date, order_id order by a recursive step that carries what was
 * recommended for release before each one, so an order is released only when it fits on top of them.
 */
export async function pendRows(db: Db, asOf: string, accountId?: string): Promise<PendRow[]> {
  const { scoped, params } = await paramsFor(db, asOf, accountId);
  const { rows } = await db.query<PendRow>(
    `with recursive ${groupsSql(scoped)},
     ordered as (
       select h.*, g.holder_id, g.credit_limit, g.open_ar, g.on_hold, g.past_due, g.max_dpd,
         (g.max_dpd > 60 or g.broken_promise) as hold, g.broken_promise,
         row_number() over (partition by g.holder_id, h.currency order by h.order_date, h.order_id) as rn
       from held h
       join membership m on m.account_id = h.account_id and m.currency = h.currency
       join groups g on g.holder_id = m.holder_id and g.currency = h.currency
     ),
     walk as (
       select o.holder_id, o.currency, o.rn, o.order_id,
         o.open_ar + o.amount <= o.credit_limit as fits,
         case when not o.hold and o.max_dpd <= 30 and o.open_ar + o.amount <= o.credit_limit
           then o.amount else 0 end as released
       from ordered o where o.rn = 1
       union all
       select o.holder_id, o.currency, o.rn, o.order_id,
         o.open_ar + w.released + o.amount <= o.credit_limit,
         w.released + case when not o.hold and o.max_dpd <= 30
           and o.open_ar + w.released + o.amount <= o.credit_limit then o.amount else 0 end
       from walk w join ordered o on o.holder_id = w.holder_id and o.currency = w.currency and o.rn = w.rn + 1
     ),
     decided as (
       select o.*, w.fits,
         case when o.hold then 'hold'
              when o.credit_limit is not null and o.max_dpd <= 30 and w.fits then 'release'
              else 'review' end as recommendation
       from ordered o join walk w on w.holder_id = o.holder_id and w.currency = o.currency and w.rn = o.rn
     )
     select d.order_id, d.account_id, to_char(d.order_date, 'YYYY-MM-DD') as order_date,
       d.amount::numeric(18, 2)::text as amount, d.currency, d.hold_reason, d.holder_id as credit_account_id,
       d.credit_limit::text as credit_limit, ${amount('d.open_ar')} as open_ar,
       ${amount('d.open_ar + d.on_hold')} as exposure,
       (d.credit_limit - d.open_ar - d.on_hold)::numeric(18, 2)::text as available_credit,
       ${amount('d.past_due')} as past_due, d.max_dpd::int as max_days_past_due, d.recommendation,
       case d.recommendation
         when 'hold' then array_remove(array[
           case when d.broken_promise then 'BROKEN_PROMISE' end,
           case when d.max_dpd > 60 then 'PAST_DUE_OVER_60' end], null)
         when 'review' then array_remove(array[
           case when d.credit_limit is null then 'NO_CREDIT_LIMIT' end,
           case when d.credit_limit is not null and not d.fits then 'OVER_LIMIT' end,
           case when d.max_dpd > 30 then 'PAST_DUE_31_60' end], null)
         else '{}'::text[] end as reasons
     from decided d
     where ($4::text is null or d.account_id = $4)
     order by d.account_id, d.order_date, d.order_id`,
    params,
  );
  return rows;
}

export interface AccountStatus {
  account_id: string;
  name: string;
  collector: string | null;
  last_payment_date: string | null;
  last_payment_amount: string | null;
  last_payment_currency: string | null;
  recent_payments: { payment_id: string; received_date: string; amount: string; currency: string }[];
  open_promises: { promised_date: string; amount: string; currency: string }[];
  latest_note: { occurred_at: string; actor: string; kind: string; body: string } | null;
}

/** What the credit team sees beside each order: recent payments, open promises, the collector's latest note. */
export async function accountStatuses(
  db: Db,
  asOf: string,
  accountIds: readonly string[],
): Promise<AccountStatus[]> {
  if (accountIds.length === 0) return [];
  const { rows } = await db.query<AccountStatus>(
    `select a.account_id, a.name, a.collector,
       lp.received_date as last_payment_date, lp.amount as last_payment_amount, lp.currency as last_payment_currency,
       coalesce((select jsonb_agg(jsonb_build_object('payment_id', p.payment_id,
           'received_date', to_char(p.received_date, 'YYYY-MM-DD'), 'amount', p.amount::text,
           'currency', p.currency) order by p.received_date desc, p.payment_id)
         from (select * from ar_payments p where p.account_id = a.account_id and p.received_date <= $1::date
               order by p.received_date desc, p.payment_id limit 3) p), '[]'::jsonb) as recent_payments,
       coalesce((select jsonb_agg(jsonb_build_object('promised_date', to_char(p.promised_date, 'YYYY-MM-DD'),
           'amount', p.amount::text, 'currency', p.currency) order by p.promised_date)
         from promises p where p.account_id = a.account_id and p.status = 'open' and p.made_on <= $1::date),
         '[]'::jsonb) as open_promises,
       (select jsonb_build_object('occurred_at', to_char(n.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           'actor', n.actor, 'kind', n.kind, 'body', n.body)
        from activities n where n.account_id = a.account_id and n.kind in ('comment', 'call')
        order by n.occurred_at desc limit 1) as latest_note
     from accounts a
     left join lateral (
       select to_char(p.received_date, 'YYYY-MM-DD') as received_date, p.amount::text as amount, p.currency::text
       from ar_payments p where p.account_id = a.account_id and p.received_date <= $1::date
       order by p.received_date desc, p.payment_id desc limit 1
     ) lp on true
     where a.account_id = any($2::text[])
     order by a.account_id`,
    [asOf, accountIds],
  );
  return rows;
}
