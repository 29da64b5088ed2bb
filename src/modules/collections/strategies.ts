/**
 * Running collection strategies. The daily collections.strategies job does, for every account with anything
 * past due, the next step of its current past-due cycle once that step's trigger is reached: at most one step
 * per account per day, never a step twice in a cycle, never skipping one (a late start or a change of items
 * runs the first pending step, the next ones on the following days).
 *
 * A cycle is one unbroken run of days on which the account had something past due. It is keyed by the due
 * date of the item whose falling past due started it, and days past due count from that date. Items
 * changing inside the cycle do not start a new one: a new invoice falling past due, a partial payment, or the
 * oldest item paid while another is already past due all keep the cycle (and so its steps). Only a day with
 * nothing past due ends it; the next item to fall past due starts a new cycle from step 1. Whether an item was
 * past due on a day is read from the application journal, so the cycle is the same whenever the job runs.
 *
 * A cycle follows the strategy it started with (the first step done in it), as long as that strategy exists;
 * a new or changed strategy applies from the account's next cycle. Steps are taken in order after the last
 * one done, by step id, so editing a strategy neither repeats a step done nor runs one inserted before it.
 */
import { daysBetween, isBusinessDate, today } from '../../core/dates.ts';
import { invalid } from '../../core/errors.ts';
import { formatAmountText, Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { queueEmail, requestDelivery } from '../correspondence/index.ts';
import { disputedAmountSql } from '../disputes/index.ts';
import { defineJob } from '../platform/index.ts';
import { insertActivity, requireCollections } from './activities.ts';
import { matchingStrategySql } from './strategy-admin.ts';
import { type StepKind, stepKindLabels, type TaskKind } from './strategy-schemas.ts';
import { insertTask, type taskQueues } from './tasks.ts';

export interface StrategyStepRun {
  account_id: string;
  strategy_id: string;
  step_id: string;
  step_no: number;
  kind: StepKind;
  cycle: string;
  action: 'email' | 'task';
  activity_id: string;
  email_id: string | null;
  task_id: string | null;
}

export interface StrategyRunResult {
  as_of: string;
  runs: StrategyStepRun[];
  /** 'pending' when some queued e-mails could not be handed to the mail.send job (no job queue). */
  delivery: 'queued' | 'pending';
}

/** Replaces {{name}} placeholders; unknown ones are left as written. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
}

/**
 * The current past-due cycle of every account past due on $1 (or of the account $2 only), as the CTEs
 * `spans` (the days each receivable was past due up to $1), `cycles` (account_id, cycle) and `cycle_state`
 * (the cycle with its strategy, the last step done and the last day a step ran).
 */
export const cycleSql = `
  applied_daily as (
    select e.document_id, e.applied_date, sum(e.amount) as amount from ar_application_entries e
    where e.applied_date <= $1::date and ($2::text is null or e.account_id = $2)
    group by e.document_id, e.applied_date
  ),
  settled as (
    -- The day each document was paid in full (applications are positive, so the running sum only grows).
    select x.document_id, min(x.applied_date) as settled_on
    from (select a.document_id, a.applied_date,
            sum(a.amount) over (partition by a.document_id order by a.applied_date) as applied
          from applied_daily a) x
    join ar_documents d on d.document_id = x.document_id
    where x.applied >= d.amount
    group by x.document_id
  ),
  spans as (
    -- From the day after the due date to the day before it was settled (or $1 while it is open).
    select d.account_id, d.due_date + 1 as first_day, coalesce(s.settled_on - 1, $1::date) as last_day
    from ar_documents d left join settled s on s.document_id = d.document_id
    where d.type <> 'credit_memo' and d.document_date <= $1::date and d.due_date < $1::date
      and ($2::text is null or d.account_id = $2)
      and (s.settled_on is null or s.settled_on > d.due_date + 1)
  ),
  reach as (
    select s.account_id, s.first_day, s.last_day,
      max(s.last_day) over (partition by s.account_id order by s.first_day, s.last_day
        rows between unbounded preceding and 1 preceding) as reached
    from spans s
    where s.account_id in (select account_id from spans where last_day = $1::date)
  ),
  cycles as (
    -- The last unbroken run of past-due days starts where a span begins after every earlier one ended.
    select r.account_id, max(r.first_day) - 1 as cycle from reach r
    where r.reached is null or r.first_day > r.reached + 1
    group by r.account_id
  ),
  cycle_state as (
    select c.account_id, c.cycle, coalesce(started.strategy_id, m.strategy_id) as strategy_id,
      (select max(r.run_date) from strategy_runs r
        where r.account_id = c.account_id and r.cycle = c.cycle and r.run_date <= $1::date) as last_run,
      (select max(st.step_no) from strategy_runs r join strategy_steps st on st.step_id = r.step_id
        where r.account_id = c.account_id and r.cycle = c.cycle and r.run_date <= $1::date
          and st.strategy_id = coalesce(started.strategy_id, m.strategy_id)) as last_done
    from cycles c
    join accounts a on a.account_id = c.account_id
    cross join lateral ${matchingStrategySql('a')} m
    left join lateral (
      select r.strategy_id from strategy_runs r
      join collection_strategies s on s.strategy_id = r.strategy_id
      where r.account_id = c.account_id and r.cycle = c.cycle and r.run_date <= $1::date
      order by r.run_date, r.created_at limit 1
    ) started on true
  )`;

/** The step a cycle is at: the first after the last one done (by the strategy's current order). */
export const nextStepSql = (c: string) => `(
  select st.* from strategy_steps st
  where st.strategy_id = ${c}.strategy_id and st.step_no > coalesce(${c}.last_done, 0)
    and not exists (select 1 from strategy_runs r
      where r.account_id = ${c}.account_id and r.step_id = st.step_id and r.cycle = ${c}.cycle)
  order by st.step_no limit 1
)`;

/** The first day a step may run: its trigger counted from the cycle or the previous step. */
export const stepDueSql = (c: string, st: string) => `case ${st}.trigger_kind
    when 'days_past_due' then ${c}.cycle + ${st}.trigger_days
    when 'days_after_previous' then coalesce(${c}.last_run, ${c}.cycle) + ${st}.trigger_days
    else (date_trunc('month', coalesce(${c}.last_run, ${c}.cycle - 1) + 1) + interval '1 month - 1 day')::date
  end`;

interface DueStep {
  account_id: string;
  name: string;
  currency: string;
  country: string;
  billing_email: string | null;
  collector: string | null;
  sales_owner: string | null;
  amount_past_due: string;
  /** Open credit memos and unapplied payments in the account's currency (what the company owes, ≥ 0). */
  open_credits: string;
  oldest_due: string;
  cycle: string;
  days_past_due: number;
  strategy_id: string;
  strategy_name: string;
  step_id: string;
  step_no: number;
  kind: StepKind;
  action: 'email' | 'task';
  subject: string | null;
  body: string | null;
  sla_business_days: number | null;
}

/** The steps due on $1: per account at most one, and none where a step ran that day already. */
const dueStepsSql = `with ${cycleSql}
  select c.account_id, a.name, a.currency, a.country, a.billing_email, a.collector, a.sales_owner,
    pd.amount_past_due::text, cr.open_credits::text, pd.oldest_due, c.cycle, ($1::date - c.cycle) as days_past_due,
    c.strategy_id, s.name as strategy_name,
    st.step_id::text, st.step_no, st.kind, st.action, st.subject, st.body, st.sla_business_days
  from cycle_state c
  join accounts a on a.account_id = c.account_id
  join collection_strategies s on s.strategy_id = c.strategy_id
  cross join lateral ${nextStepSql('c')} st
  cross join lateral (
    -- What is past due on $1 and not in dispute then: a disputed amount is not chased while its dispute is
    -- worked, and an account with nothing else past due waits (its next step runs once the dispute ends).
    select min(d.due_date) as oldest_due,
      coalesce(sum(o.open - o.disputed) filter (where d.currency = a.currency), 0) as amount_past_due
    from ar_documents d
    cross join lateral (
      select x.open, least(x.open, ${disputedAmountSql('d.account_id', 'd.document_id', '$1::date')}) as disputed
      from (select d.amount - coalesce((select sum(e.amount) from ar_application_entries e
        where e.account_id = d.account_id and e.document_id = d.document_id and e.applied_date <= $1::date), 0)
        as open) x
    ) o
    where d.account_id = c.account_id and d.type <> 'credit_memo' and d.due_date < $1::date
      and d.document_date <= $1::date and o.open > o.disputed
  ) pd
  cross join lateral (
    -- What the customer's own credits cover: a reminder asks for the past due after them.
    select coalesce(sum(x.open), 0) as open_credits from (
      select d.amount - coalesce((select sum(e.amount) from ar_application_entries e
        where e.account_id = d.account_id and e.payment_id = d.document_id and e.applied_date <= $1::date), 0) as open
      from ar_documents d
      where d.account_id = c.account_id and d.type = 'credit_memo' and d.currency = a.currency
        and d.document_date <= $1::date
      union all
      select p.amount - coalesce((select sum(e.amount) from ar_application_entries e
        where e.account_id = p.account_id and e.payment_id = p.payment_id and e.applied_date <= $1::date), 0)
      from ar_payments p
      where p.account_id = c.account_id and p.currency = a.currency and p.received_date <= $1::date
    ) x
  ) cr
  where pd.oldest_due is not null
    and not exists (select 1 from strategy_runs r where r.account_id = c.account_id and r.run_date = $1::date)
    and $1::date >= ${stepDueSql('c', 'st')}
  order by c.account_id`;

const queueOf: Record<TaskKind, (typeof taskQueues)[number]> = {
  call: 'collections',
  escalate_to_sales: 'sales',
  credit_hold_recommendation: 'credit',
};

/** Runs the due strategy steps as of a day (default today); each step in its own transaction. */
export async function runStrategies(db: Db, opts: { asOf?: string } = {}): Promise<StrategyRunResult> {
  requireCollections(db, true);
  const asOf = opts.asOf ?? today();
  if (!isBusinessDate(asOf)) throw invalid('as_of', 'must be a date written YYYY-MM-DD');
  const { rows } = await db.query<DueStep>(dueStepsSql, [asOf, null]);
  const result: StrategyRunResult = { as_of: asOf, runs: [], delivery: 'queued' };
  for (const raw of rows) {
    const step: DueStep = { ...raw, days_past_due: Number(raw.days_past_due) };
    const run = await db.tx(async (tx) => {
      const label = `${step.strategy_name}, step ${step.step_no}: ${stepKindLabels[step.kind]} (day ${step.days_past_due} of the past-due cycle)`;
      const oldestDays = daysBetween(step.oldest_due, asOf);
      const claimed = await tx.query(
        `insert into strategy_runs (account_id, strategy_id, step_no, step_id, kind, label, cycle, run_date)
         values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing returning step_no`,
        [step.account_id, step.strategy_id, step.step_no, step.step_id, step.kind, label, step.cycle, asOf],
      );
      if (claimed.rows.length === 0) return undefined; // a concurrent run did it (or another step today)
      const net = new Money(step.amount_past_due).minus(step.open_credits);
      const amount = `${step.currency} ${formatAmountText(step.amount_past_due, step.currency)}`;
      let emailId: string | null = null;
      let taskId: string | null = null;
      let kind: 'email' | 'task' = 'task';
      let body: string;
      const to = (step.billing_email ?? '').split(/[;,]\s*/).filter(Boolean);
      if (step.action === 'email' && !net.greaterThan(0)) {
        body = `${label}: not sent, the credits in the customer's favour (${step.currency} ${formatAmountText(step.open_credits, step.currency)}) cover the ${amount} past due; apply them`;
      } else if (step.action === 'email' && to.length > 0) {
        const values = {
          account_name: step.name,
          account_id: step.account_id,
          // Netted: the customer is asked for the past due after its own credits.
          amount_past_due: formatAmountText(net.toFixed(2), step.currency),
          gross_past_due: formatAmountText(step.amount_past_due, step.currency),
          open_credits: formatAmountText(step.open_credits, step.currency),
          currency: step.currency,
          oldest_due_date: step.oldest_due,
          days_past_due: String(oldestDays),
        };
        const subject = renderTemplate(step.subject ?? '', values);
        const email = await queueEmail(tx, {
          accountId: step.account_id,
          to,
          subject,
          body: renderTemplate(step.body ?? '', values),
          kind: 'reminder',
          dedupeKey: `strategy:${step.step_id}:${step.cycle}`,
        });
        emailId = email?.email_id ?? null;
        kind = 'email';
        body = `${label}: e-mail “${subject}” queued to ${to.join(', ')}`;
      } else if (step.action === 'email') {
        body = `${label}: no billing e-mail address, send “${step.subject ?? ''}” another way`;
      } else {
        const taskKind = step.kind as TaskKind;
        const task = await insertTask(tx, {
          accountId: step.account_id,
          country: step.country,
          kind: taskKind,
          queue: queueOf[taskKind],
          assignee:
            taskKind === 'call' ? step.collector : taskKind === 'escalate_to_sales' ? step.sales_owner : null,
          title: `${stepKindLabels[step.kind].replace(/^./, (c) => c.toUpperCase())}: ${amount} past due, the oldest ${oldestDays} days`,
          body: `${step.name} (${step.account_id}) has ${amount} past due, the oldest item since ${step.oldest_due}. ${label}.`,
          openedOn: asOf,
          slaBusinessDays: step.sla_business_days ?? 3,
          source: 'strategy',
          strategy: { strategyId: step.strategy_id, stepId: step.step_id, cycle: step.cycle },
        });
        taskId = task.task_id;
        body = `${label}: task for ${task.assignee ?? `the ${task.queue} team`}, due ${task.due_date}`;
      }
      const activity = await insertActivity(tx, { accountId: step.account_id, kind, body, taskId });
      await tx.query(
        `update strategy_runs set activity_id = $4, email_id = $5, task_id = $6
         where account_id = $1 and step_id = $2 and cycle = $3`,
        [step.account_id, step.step_id, step.cycle, activity.activity_id, emailId, taskId],
      );
      return {
        account_id: step.account_id,
        strategy_id: step.strategy_id,
        step_id: step.step_id,
        step_no: step.step_no,
        kind: step.kind,
        cycle: step.cycle,
        action: step.action,
        activity_id: activity.activity_id,
        email_id: emailId,
        task_id: taskId,
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
