/**
 * The collector's worklist: the accounts with anything past due, in priority order, each with the next best
 * action. One row per account and currency (amounts in different currencies are never added up).
 *
 * priority = past-due amount not in dispute, converted into the reporting currency (CLEARHOUSE_REPORTING_CURRENCY,
 * at the fx_rates.csv rate of the as-of date) × age weight (by the oldest such item's days past due: 1–30 ×1,
 * 31–60 ×1.5, 61–90 ×2, over 90 ×3) + 1,000 (reporting currency) per promise broken in the last 180 days, so
 * accounts in different currencies are ranked on one scale; amounts stay in their own currency beside it. A
 * currency without a rate is ranked by its own amount and says so (`priority_currency`, the explanation).
 * Each row carries its factors and the sentence they make (`priority_factors`). What is in dispute is shown
 * apart (disputed_amount) and not chased until its dispute ends.
 *
 * Next action, first that applies: a promise broken with no activity since → 'call — broken promise';
 * an open promise not yet due (date + grace) → 'wait — promise to pay'; everything past due in dispute →
 * 'wait — in dispute'; over 90 days → 'escalate to sales'; 61–90 → 'call'; 16–60 → 'send past-due notice';
 * otherwise 'courtesy reminder'.
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { today } from '../../core/dates.ts';
import { formatAmountText } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { keptAnswer, scopeKey } from '../../db/kept-answers.ts';
import { disputedDocumentsSql } from '../disputes/index.ts';
import { ratesOn } from '../fx/index.ts';
import { openItemsSql } from '../receivables/index.ts';
import { requireCollections } from './activities.ts';
import { promiseGraceDays } from './promises.ts';
import { nextStepOf, type WorklistAction } from './worklist-actions.ts';

export const brokenPromiseWeight = '1000';
const brokenLookbackDays = 180;

export function ageWeight(days: number): string {
  if (days > 90) return '3';
  if (days > 60) return '2';
  if (days > 30) return '1.5';
  return '1';
}

export interface WorklistRow {
  account_id: string;
  name: string;
  collector: string | null;
  currency: string;
  past_due_amount: string;
  /** The part of the past-due amount in dispute today (not chased until the dispute ends). */
  disputed_amount: string;
  past_due_items: number;
  oldest_days_past_due: number;
  broken_promises: number;
  open_promise: { promise_id: string; amount: string; promised_date: string } | null;
  last_activity_at: string | null;
  /** The rank's score, in `priority_currency`. */
  priority: string;
  /** The reporting currency, or the row's own currency when no exchange rate into it is known. */
  priority_currency: string;
  /** The past-due amount in the reporting currency (null without a rate). */
  past_due_reporting: string | null;
  /** Why this account ranks where it does. */
  priority_factors: PriorityFactors;
  next_action: string;
  /** The next action as a button (worklist-actions.ts); null while waiting on a promise's date or a dispute. */
  next_step: WorklistAction | null;
}

export interface PriorityFactors {
  /** The past-due amount not in dispute, in the row's currency. */
  chased_amount: string;
  /** Units of the reporting currency per unit of the row's currency on the as-of date; null when unknown. */
  rate: string | null;
  /** The chased amount in `priority_currency`. */
  chased_converted: string;
  /** Days past due of the oldest item not in dispute, and the weight they give. */
  oldest_chased_days: number;
  age_weight: string;
  broken_promises: number;
  /** 1,000 per broken promise, in `priority_currency`. */
  broken_promise_points: string;
  /** The factors in one sentence. */
  explanation: string;
}

export interface Worklist {
  as_of: string;
  collector: string | null;
  /** The currency priorities are ranked in (CLEARHOUSE_REPORTING_CURRENCY). */
  reporting_currency: string;
  /** Currencies on the list without an exchange rate on the as-of date (ranked by their own amounts). */
  missing_rates: string[];
  rows: WorklistRow[];
}

export const worklistQuery = z.object({
  collector: z.string().trim().toLowerCase().min(1).max(200).optional(),
  as_of: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});
export type WorklistQuery = z.input<typeof worklistQuery>;

/** Who sees everyone's accounts; others see the accounts whose collector is their e-mail. */
const allAccountsRoles = ['administrator', 'manager', 'system'];

interface Raw {
  account_id: string;
  name: string;
  collector: string | null;
  currency: string;
  past_due_amount: string;
  disputed_amount: string;
  past_due_items: number;
  oldest_days_past_due: number;
  oldest_chased_days: number | null;
  broken_promises: number;
  last_broken_at: Date | null;
  open_promise_id: string | null;
  open_promise_amount: string | null;
  open_promise_date: string | null;
  last_activity_at: Date | null;
  last_work_at: Date | null;
}

export function nextAction(r: {
  oldest_days_past_due: number;
  broken_since_last_work: boolean;
  open_promise: boolean;
  /** Everything past due is in dispute. */
  all_in_dispute?: boolean;
}): string {
  if (r.broken_since_last_work) return 'call — broken promise';
  if (r.open_promise) return 'wait — promise to pay';
  if (r.all_in_dispute) return 'wait — in dispute';
  const d = r.oldest_days_past_due;
  if (d > 90) return 'escalate to sales';
  if (d > 60) return 'call';
  if (d > 15) return 'send past-due notice';
  return 'courtesy reminder';
}

export async function worklist(db: Db, raw: WorklistQuery = {}): Promise<Worklist> {
  requireCollections(db, true);
  const q = worklistQuery.parse(raw);
  const asOf = q.as_of ?? today();
  let collector: string | null = q.collector ?? null;
  if (!db.actor.roles.some((r) => allAccountsRoles.includes(r))) {
    const { rows } = await db.query<{ email: string }>('select email from users where user_id = $1', [
      db.actor.userId,
    ]);
    collector = rows[0]?.email ?? '';
  }
  // A server keeps the answer while nothing it was read from has changed (keptAnswer): the whole statement
  // reads one snapshot, which is kept with it. Disputes change what is chased: they count as receivable changes.
  const rows = await keptAnswer(
    db,
    'receivable_changes',
    [scopeKey(db.actor), 'worklist', asOf, collector],
    async () => {
      const { rows } = await db.query<Raw & { snapshot: string }>(
        `with ${openItemsSql()},
     disputed as (${disputedDocumentsSql('$1::date')}),
     past_due as (
       select y.account_id, y.currency, sum(y.open_amount) as amount, count(*)::int as items,
         max($1::date - y.age_date)::int as oldest, sum(y.disputed) as disputed,
         max($1::date - y.age_date) filter (where y.open_amount > y.disputed)::int as oldest_chased
       from (
         select x.*, least(x.open_amount, coalesce(dsp.amount, 0)) as disputed
         from items x
         left join disputed dsp on dsp.account_id = x.account_id and dsp.document_id = x.item_id
         where x.kind <> 'payment' and x.kind <> 'credit_memo' and x.open_amount > 0 and x.age_date < $1::date
       ) y
       group by y.account_id, y.currency
     )
     select snap.snapshot, pd.account_id, a.name, a.collector, pd.currency, pd.amount::numeric(18, 2)::text as past_due_amount,
       pd.disputed::numeric(18, 2)::text as disputed_amount, pd.oldest_chased as oldest_chased_days,
       pd.items as past_due_items, pd.oldest as oldest_days_past_due,
       (select count(*)::int from promises p where p.account_id = pd.account_id and p.status = 'broken'
          and p.decided_at >= $1::date - $4::int) as broken_promises,
       (select max(p.decided_at) from promises p where p.account_id = pd.account_id and p.status = 'broken')
         as last_broken_at,
       op.promise_id::text as open_promise_id, op.amount::text as open_promise_amount,
       op.promised_date as open_promise_date,
       greatest(
         (select max(v.occurred_at) from activities v where v.account_id = pd.account_id),
         (select max(coalesce(e.sent_at, e.created_at)) from emails e where e.account_id = pd.account_id)
       ) as last_activity_at,
       (select max(v.occurred_at) from activities v where v.account_id = pd.account_id and v.kind <> 'status')
         as last_work_at
     from past_due pd
     join accounts a on a.account_id = pd.account_id
     left join lateral (
       select p.promise_id, p.amount, p.promised_date from promises p
       where p.account_id = pd.account_id and p.currency = pd.currency and p.status = 'open'
         and p.promised_date + $5::int >= $1::date
       order by p.promised_date limit 1
     ) op on true
     cross join (select pg_current_snapshot()::text as snapshot) snap
     where ($3::text is null or lower(a.collector) = $3)`,
        [asOf, 'due_date', collector, brokenLookbackDays, promiseGraceDays],
      );
      // An empty answer has no snapshot to keep it by: it is not kept.
      return { value: rows, snapshot: rows[0]?.snapshot ?? null };
    },
  );
  const weight = new Decimal(brokenPromiseWeight);
  // Rates are read apart from the kept answer: a new fx_rates.csv changes the ranking at once.
  const fx = await ratesOn(
    db,
    rows.map((r) => r.currency),
    asOf,
  );
  const reporting = fx.currency;
  const list = rows.map((r): WorklistRow & { score: Decimal } => {
    const chased = new Decimal(r.past_due_amount).minus(r.disputed_amount);
    const rate = fx.rates[r.currency] ?? null;
    const converted = rate ? chased.times(rate) : chased;
    const unit = rate ? reporting : r.currency;
    const oldestChased = r.oldest_chased_days ?? 0;
    const w = ageWeight(oldestChased);
    const points = weight.times(r.broken_promises);
    const score = converted.times(w).plus(points);
    const money = (v: Decimal, c: string) => `${c} ${formatAmountText(v.toFixed(2), c)}`;
    const explanation = [
      chased.gt(0)
        ? `${money(chased, r.currency)} past due not in dispute${
            r.currency === unit
              ? rate
                ? ''
                : ` (no exchange rate into ${reporting} on ${asOf}: ranked in ${r.currency})`
              : ` = ${money(converted, unit)} at ${new Decimal(rate!).toFixed(4)}`
          } × ${w} (the oldest ${oldestChased} days past due)`
        : 'nothing past due outside disputes',
      r.broken_promises > 0
        ? `+ ${r.broken_promises} broken promise${r.broken_promises === 1 ? '' : 's'} × ${formatAmountText(brokenPromiseWeight, unit)}`
        : '',
      `= ${formatAmountText(score.toFixed(2), unit)} ${unit}`,
    ]
      .filter(Boolean)
      .join(' ');
    const brokenSince =
      r.last_broken_at !== null && (r.last_work_at === null || r.last_work_at < r.last_broken_at);
    const action = nextAction({
      oldest_days_past_due: r.oldest_chased_days ?? r.oldest_days_past_due,
      broken_since_last_work: brokenSince,
      open_promise: r.open_promise_id !== null,
      all_in_dispute: chased.lte(0),
    });
    return {
      account_id: r.account_id,
      name: r.name,
      collector: r.collector,
      currency: r.currency,
      past_due_amount: r.past_due_amount,
      disputed_amount: r.disputed_amount,
      past_due_items: r.past_due_items,
      oldest_days_past_due: r.oldest_days_past_due,
      broken_promises: r.broken_promises,
      open_promise: r.open_promise_id
        ? {
            promise_id: r.open_promise_id,
            amount: r.open_promise_amount!,
            promised_date: r.open_promise_date!,
          }
        : null,
      last_activity_at: r.last_activity_at ? r.last_activity_at.toISOString() : null,
      priority: score.toFixed(2),
      priority_currency: unit,
      past_due_reporting: rate ? new Decimal(r.past_due_amount).times(rate).toFixed(2) : null,
      priority_factors: {
        chased_amount: chased.toFixed(2),
        rate,
        chased_converted: converted.toFixed(2),
        oldest_chased_days: oldestChased,
        age_weight: w,
        broken_promises: r.broken_promises,
        broken_promise_points: points.toFixed(2),
        explanation,
      },
      next_action: action,
      next_step: nextStepOf(action),
      score,
    };
  });
  list.sort(
    (a, b) =>
      b.score.comparedTo(a.score) ||
      b.oldest_days_past_due - a.oldest_days_past_due ||
      a.account_id.localeCompare(b.account_id) ||
      a.currency.localeCompare(b.currency),
  );
  return {
    as_of: asOf,
    collector,
    reporting_currency: reporting,
    missing_rates: fx.missing,
    rows: list.map(({ score: _s, ...r }) => r),
  };
}
