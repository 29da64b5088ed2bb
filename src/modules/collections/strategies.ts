/**
 * Collection strategies: per account the most specific strategy (segment and country, then segment, then
 * country, then the default) and its steps in order. The daily collections.strategies job runs, for every
 * account with past-due items, the first step of its current past-due cycle not yet done, when that step's
 * trigger is reached: at most one step per account per day, never a step twice in a cycle, never skipping one
 * (a late start or a change of items runs the first pending step, the next ones on the following days).
 *
 * A cycle is keyed by the due date of the oldest past-due item when it started; it goes on while the account
 * stays past due (the oldest item paid while the cycle was running keeps the cycle), so days past due count
 * from that date.
 */
import { isBusinessDate, today } from '../../core/dates.ts';
import { invalid } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { formatAmountText } from '../claims/statement.ts';
import { queueEmail, requestDelivery } from '../correspondence/index.ts';
import { defineJob } from '../platform/index.ts';
import { openItemsSql } from '../receivables/aging.ts';
import { insertActivity, requireCollections } from './activities.ts';

export interface StrategyStepRun {
  account_id: string;
  strategy_id: string;
  step_no: number;
  cycle: string;
  action: 'email' | 'task';
  activity_id: string;
  email_id: string | null;
}

export interface StrategyRunResult {
  as_of: string;
  runs: StrategyStepRun[];
  /** 'pending' when some queued e-mails could not be handed to the mail.send job (no job queue). */
  delivery: 'queued' | 'pending';
}

interface DueStep {
  account_id: string;
  name: string;
  currency: string;
  billing_email: string | null;
  amount_past_due: string;
  oldest_due: string;
  cycle: string;
  days_past_due: number;
  strategy_id: string;
  strategy_name: string;
  step_no: number;
  action: 'email' | 'task';
  subject: string | null;
  body: string | null;
  task: string | null;
}

/** Replaces {{name}} placeholders; unknown ones are left as written. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
}

/**
 * The steps due on $1 (one per account at most): the first step of the account's strategy not done in its
 * current cycle, when its trigger is reached and nothing ran for the account that day.
 */
const dueStepsSql = `with ${openItemsSql()},
  past_due as (
    select i.account_id, min(i.due_date) as oldest_due,
      coalesce(sum(i.open_amount) filter (where i.currency = a.currency), 0) as amount_past_due
    from items i join accounts a on a.account_id = i.account_id
    where i.kind not in ('payment', 'credit_memo') and i.open_amount > 0 and i.due_date < $1::date
    group by i.account_id
  ),
  prev as (
    select distinct on (r.account_id) r.account_id, r.cycle, r.run_date
    from strategy_runs r join past_due p on p.account_id = r.account_id
    where r.run_date <= $1::date
    order by r.account_id, r.cycle desc, r.run_date desc
  ),
  acct as (
    select p.account_id, p.oldest_due, p.amount_past_due, a.name, a.currency, a.billing_email,
      case when v.cycle < p.oldest_due and v.run_date >= p.oldest_due then v.cycle else p.oldest_due end as cycle,
      s.strategy_id, s.name as strategy_name
    from past_due p
    join accounts a on a.account_id = p.account_id
    left join prev v on v.account_id = p.account_id
    cross join lateral (
      select s.strategy_id, s.name from collection_strategies s
      where (s.segment is null or s.segment = a.segment) and (s.country is null or s.country = a.country)
      order by (s.segment is not null) desc, (s.country is not null) desc
      limit 1
    ) s
  )
  select c.account_id, c.name, c.currency, c.billing_email, c.amount_past_due::text, c.oldest_due, c.cycle,
    ($1::date - c.cycle) as days_past_due, c.strategy_id, c.strategy_name,
    st.step_no, st.action, st.subject, st.body, st.task
  from acct c
  cross join lateral (
    select st.* from strategy_steps st
    where st.strategy_id = c.strategy_id
      and not exists (select 1 from strategy_runs r where r.account_id = c.account_id
        and r.strategy_id = st.strategy_id and r.step_no = st.step_no and r.cycle = c.cycle)
    order by st.step_no
    limit 1
  ) st
  left join lateral (
    select r.run_date from strategy_runs r
    where r.account_id = c.account_id and r.strategy_id = c.strategy_id and r.cycle = c.cycle
      and r.step_no < st.step_no
    order by r.step_no desc
    limit 1
  ) pr on true
  where not exists (select 1 from strategy_runs r where r.account_id = c.account_id and r.run_date = $1::date)
    and case st.trigger_kind
      when 'days_past_due' then $1::date - c.cycle >= st.trigger_days
      when 'days_after_previous' then $1::date - coalesce(pr.run_date, c.cycle) >= st.trigger_days
      else $1::date >= (date_trunc('month', coalesce(pr.run_date, c.cycle - 1) + 1)
        + interval '1 month - 1 day')::date
    end
  order by c.account_id`;

/** Runs the due strategy steps as of a day (default today); each step in its own transaction. */
export async function runStrategies(db: Db, opts: { asOf?: string } = {}): Promise<StrategyRunResult> {
  requireCollections(db, true);
  const asOf = opts.asOf ?? today();
  if (!isBusinessDate(asOf)) throw invalid('as_of', 'must be a date written YYYY-MM-DD');
  const { rows } = await db.query<DueStep>(dueStepsSql, [asOf, 'due_date']);
  const result: StrategyRunResult = { as_of: asOf, runs: [], delivery: 'queued' };
  for (const raw of rows) {
    const step: DueStep = { ...raw, days_past_due: Number(raw.days_past_due) };
    const run = await db.tx(async (tx) => {
      const claimed = await tx.query(
        `insert into strategy_runs (account_id, strategy_id, step_no, cycle, run_date)
         values ($1, $2, $3, $4, $5) on conflict do nothing returning step_no`,
        [step.account_id, step.strategy_id, step.step_no, step.cycle, asOf],
      );
      if (claimed.rows.length === 0) return undefined; // a concurrent run did it
      const label = `${step.strategy_name}, step ${step.step_no} (${step.days_past_due} days past due)`;
      let emailId: string | null = null;
      let kind: 'email' | 'task' = 'task';
      let body: string;
      const to = (step.billing_email ?? '').split(/[;,]\s*/).filter(Boolean);
      if (step.action === 'email' && to.length > 0) {
        const values = {
          account_name: step.name,
          amount_past_due: formatAmountText(step.amount_past_due, step.currency),
          currency: step.currency,
          oldest_due_date: step.oldest_due,
        };
        const subject = renderTemplate(step.subject ?? '', values);
        const email = await queueEmail(tx, {
          accountId: step.account_id,
          to,
          subject,
          body: renderTemplate(step.body ?? '', values),
          kind: 'reminder',
          dedupeKey: `strategy:${step.strategy_id}:${step.step_no}:${step.cycle}`,
        });
        emailId = email?.email_id ?? null;
        kind = 'email';
        body = `${label}: e-mail “${subject}” queued to ${to.join(', ')}`;
      } else if (step.action === 'email') {
        body = `${label}: no billing e-mail address, send “${step.subject ?? ''}” another way`;
      } else {
        body = `${label}: ${step.task ?? ''}`;
      }
      const activity = await insertActivity(tx, { accountId: step.account_id, kind, body });
      await tx.query(
        `update strategy_runs set activity_id = $5, email_id = $6
         where account_id = $1 and strategy_id = $2 and step_no = $3 and cycle = $4`,
        [step.account_id, step.strategy_id, step.step_no, step.cycle, activity.activity_id, emailId],
      );
      return {
        account_id: step.account_id,
        strategy_id: step.strategy_id,
        step_no: step.step_no,
        cycle: step.cycle,
        action: step.action,
        activity_id: activity.activity_id,
        email_id: emailId,
      } satisfies StrategyStepRun;
    });
    if (run) result.runs.push(run);
  }
  const emailIds = result.runs.flatMap((r) => (r.email_id ? [r.email_id] : []));
  if (emailIds.length > 0 && !(await requestDelivery(emailIds))) result.delivery = 'pending';
  return result;
}

/**
 * `collections.strategies`, daily: runs the due collection-strategy steps. `as_of` (YYYY-MM-DD) runs as of
 * another day (tests, catching up).
 */
export const strategiesJob = defineJob<{ as_of?: string }>({
  name: 'collections.strategies',
  schedule: '0 3 * * *',
  retryLimit: 3,
  async handler({ db, log }, data) {
    const result = await runStrategies(db, { asOf: data?.as_of });
    log.info({ runs: result.runs.length, delivery: result.delivery }, 'collections.strategies');
    return result;
  },
});
