/**
 * A partner's recurring errors per program: for each program and rule code, how many lines of how many
 * claims carried the finding, over how many months, and the advice to send — worded for the program, with
 * the figures that make it concrete ("your claims for program X are late on average 12 days; submit within
 * the 90-day window"). The scorecard's desk view sends these as recommendations. Row security applies: an
 * account the caller may not see does not exist (404).
 */
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { recommendationFor } from './scorecard.ts';

export interface RecurringError {
  program_id: string;
  program_name: string | null;
  rule_code: string;
  effect: string;
  lines: number;
  claims: number;
  months: number;
  last_month: string;
  /** LATE_SUBMISSION: how many days after the window's end the claims came, on average (whole days). */
  average_days_late: number | null;
  claim_window_days: number | null;
  recommendation: string;
}

/** The advice for one program and rule code, with the program's figures where they help. */
export function programRecommendation(e: Omit<RecurringError, 'recommendation'>): string {
  const program = e.program_name ? `${e.program_name} (${e.program_id})` : e.program_id;
  if (e.rule_code === 'LATE_SUBMISSION' && e.average_days_late !== null) {
    const window = e.claim_window_days
      ? `the ${e.claim_window_days}-day window`
      : 'the program’s claim window';
    return `Your claims for program ${program} are late on average ${e.average_days_late} day${e.average_days_late === 1 ? '' : 's'}; submit within ${window}.`;
  }
  const advice = recommendationFor(e.rule_code, { claimWindowDays: e.claim_window_days });
  return `On program ${program}, ${e.lines} line${e.lines === 1 ? '' : 's'} of ${e.claims} claim${e.claims === 1 ? '' : 's'} had ${e.rule_code}. ${advice}`;
}

/** The recurring errors of a partner account (with its child accounts), most frequent first. */
export async function recurringErrors(db: Db, accountId: string): Promise<RecurringError[]> {
  return db.tx(async (tx) => {
    const { rows: found } = await tx.query('select 1 from accounts where account_id = $1', [accountId]);
    if (!found[0]) throw new AppError('not_found', `The account ${accountId} does not exist.`);
    const { rows } = await tx.query<Omit<RecurringError, 'recommendation'>>(
      `with recursive tree as (
         select account_id from accounts where account_id = $1
         union select a.account_id from accounts a join tree on a.parent_account_id = tree.account_id
       )
       select c.program_id, p.name as program_name, f.rule_code, min(f.effect) as effect,
         count(*)::int as lines, count(distinct (c.account_id, c.claim_id))::int as claims,
         count(distinct to_char(c.submitted_date, 'YYYY-MM'))::int as months,
         max(to_char(c.submitted_date, 'YYYY-MM')) as last_month,
         case when f.rule_code = 'LATE_SUBMISSION' then
           round(avg((f.evidence ->> 'submitted_date')::date - (f.evidence ->> 'due')::date))::int end
           as average_days_late,
         max((f.evidence ->> 'claim_window_days')::int) as claim_window_days
       from claim_findings f
       join claims c on c.account_id = f.account_id and c.claim_id = f.claim_id
       left join programs p on p.program_id = c.program_id
       where f.account_id in (select account_id from tree) and c.status <> 'draft'
       group by c.program_id, p.name, f.rule_code
       order by count(*) desc, c.program_id, f.rule_code`,
      [accountId],
    );
    return rows.map((r) => ({ ...r, recommendation: programRecommendation(r) }));
  });
}
