/**
 * Which collection strategy applies to an account and where the account stands in it: the most specific
 * strategy for its segment and country, and — when something is past due — the current cycle with the steps
 * done, the strategy that cycle follows, and the next step with the day it becomes due.
 */
import { isBusinessDate, today } from '../../core/dates.ts';
import { invalid } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { disputedAmountSql } from '../disputes/index.ts';
import { requireAccount, requireCollections } from './activities.ts';
import { cycleSql, nextStepSql, stepDueSql } from './strategies.ts';
import { describeTrigger, matchingStrategySql } from './strategy-admin.ts';
import type { StepKind, TriggerKind } from './strategy-schemas.ts';

export interface AccountStrategy {
  account_id: string;
  as_of: string;
  applies: {
    strategy_id: string;
    name: string;
    segment: string | null;
    country: string | null;
    /** Why this one: it names the account's segment and country, one of them, or it is the default. */
    matched_by: 'segment_and_country' | 'segment' | 'country' | 'default';
  };
  cycle: {
    /** The due date that started the cycle; days past due count from it. */
    cycle: string;
    days_past_due: number;
    strategy_id: string;
    strategy_name: string;
    done: { step_no: number | null; kind: string | null; label: string | null; run_date: string }[];
    next: {
      step_no: number;
      kind: StepKind;
      action: 'email' | 'task';
      when: string;
      /** The first day the daily run does it. */
      due_on: string;
    } | null;
    /** Everything past due is in dispute: the next step waits until a dispute ends. */
    all_in_dispute: boolean;
  } | null;
}

export async function accountStrategy(db: Db, accountId: string, asOf = today()): Promise<AccountStrategy> {
  requireCollections(db, false);
  if (!isBusinessDate(asOf)) throw invalid('as_of', 'must be a date written YYYY-MM-DD');
  return db.tx(async (tx) => {
    await requireAccount(tx, accountId);
    const applies = await tx.query<AccountStrategy['applies']>(
      `select m.strategy_id, m.name, m.segment, m.country,
         case when m.segment is not null and m.country is not null then 'segment_and_country'
           when m.segment is not null then 'segment' when m.country is not null then 'country'
           else 'default' end as matched_by
       from accounts a cross join lateral ${matchingStrategySql('a')} m where a.account_id = $1`,
      [accountId],
    );
    const cycle = await tx.query<{
      cycle: string;
      days_past_due: number;
      strategy_id: string;
      strategy_name: string;
      step_no: number | null;
      kind: StepKind | null;
      action: 'email' | 'task' | null;
      trigger_kind: TriggerKind | null;
      trigger_days: number | null;
      due_on: string | null;
    }>(
      `with ${cycleSql}
       select c.cycle, ($1::date - c.cycle) as days_past_due, c.strategy_id, s.name as strategy_name,
         st.step_no, st.kind, st.action, st.trigger_kind, st.trigger_days,
         greatest(${stepDueSql('c', 'st')}, case when exists (select 1 from strategy_runs r
           where r.account_id = c.account_id and r.run_date = $1::date) then $1::date + 1 else $1::date end) as due_on
       from cycle_state c
       join collection_strategies s on s.strategy_id = c.strategy_id
       left join lateral ${nextStepSql('c')} st on true`,
      [asOf, accountId],
    );
    const current = cycle.rows[0];
    let state: AccountStrategy['cycle'] = null;
    if (current) {
      const done = await tx.query<{
        step_no: number | null;
        kind: string | null;
        label: string | null;
        run_date: string;
      }>(
        `select r.step_no, r.kind, r.label, r.run_date from strategy_runs r
         where r.account_id = $1 and r.cycle = $2 and r.run_date <= $3 order by r.run_date`,
        [accountId, current.cycle, asOf],
      );
      const chased = await tx.query<{ any: boolean }>(
        `select exists (
           select 1 from ar_documents d
           where d.account_id = $1 and d.type <> 'credit_memo' and d.due_date < $2::date
             and d.document_date <= $2::date
             and d.amount - coalesce((select sum(e.amount) from ar_application_entries e
               where e.account_id = d.account_id and e.document_id = d.document_id and e.applied_date <= $2::date), 0)
               > ${disputedAmountSql('d.account_id', 'd.document_id', '$2::date')}) as any`,
        [accountId, asOf],
      );
      state = {
        cycle: current.cycle,
        days_past_due: Number(current.days_past_due),
        strategy_id: current.strategy_id,
        strategy_name: current.strategy_name,
        done: done.rows,
        next:
          current.step_no !== null && current.kind && current.action && current.trigger_kind && current.due_on
            ? {
                step_no: current.step_no,
                kind: current.kind,
                action: current.action,
                when: describeTrigger(current.trigger_kind, current.trigger_days),
                due_on: current.due_on,
              }
            : null,
        all_in_dispute: !chased.rows[0]!.any,
      };
    }
    return { account_id: accountId, as_of: asOf, applies: applies.rows[0]!, cycle: state };
  });
}
