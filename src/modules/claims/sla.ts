/**
 * The claims SLA: a clock in business days of the partner's country (the calendar module's working days) from the claim's submitted date until it is settled: a paid claim's clock
 * stops on its payment date (`claims.paid_on`, set by settlement), a rejected claim's at the decision; an
 * approved claim waiting for payment is still running. Target: the program version's `sla_business_days`
 * (30 when absent), halved and rounded up for urgent claims.
 */
import { type BusinessDate, today as todayDate } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { addBusinessDays, businessDaysBetween } from '../calendar/index.ts';

export const defaultSlaBusinessDays = 30;

export const slaStates = ['on_track', 'due_soon', 'breached', 'met', 'missed'] as const;
export type SlaState = (typeof slaStates)[number];

/** The target for a claim: the program's days (default 30), half of it rounded up when urgent. */
export function slaTarget(slaBusinessDays: number | null | undefined, urgent: boolean): number {
  const base = slaBusinessDays && slaBusinessDays > 0 ? slaBusinessDays : defaultSlaBusinessDays;
  return urgent ? Math.ceil(base / 2) : base;
}

export interface SlaInput {
  /** The partner's country (accounts.country); weekends only when unknown. */
  country: string | null;
  submitted_date: BusinessDate;
  urgent: boolean;
  sla_business_days: number | null;
  /** When the clock stopped (the payment date; a rejection's decision); null while open. */
  stopped_on: BusinessDate | null;
}

export interface Sla {
  sla_state: SlaState;
  target_business_days: number;
  due_date: BusinessDate;
  /** Business days since receipt, until it stopped or today. */
  age_business_days: number;
  /** Business days left to the due date (negative when past it); null once stopped. */
  business_days_left: number | null;
}

/** Due soon: at most 3 business days or at most 20 % of the target left. */
export function isDueSoon(left: number, target: number): boolean {
  return left <= 3 || left * 5 <= target;
}

/** The SLA of one claim on `asOf` (today by default). */
export function slaOf(input: SlaInput, asOf: BusinessDate = todayDate()): Sla {
  const country = input.country ?? '';
  const target = slaTarget(input.sla_business_days, input.urgent);
  const due = addBusinessDays(country, input.submitted_date, target);
  const end = input.stopped_on ?? asOf;
  const age = Math.max(0, businessDaysBetween(country, input.submitted_date, end));
  if (input.stopped_on) {
    return {
      sla_state: age <= target ? 'met' : 'missed',
      target_business_days: target,
      due_date: due,
      age_business_days: age,
      business_days_left: null,
    };
  }
  const left = target - age;
  return {
    sla_state: left < 0 ? 'breached' : isDueSoon(left, target) ? 'due_soon' : 'on_track',
    target_business_days: target,
    due_date: due,
    age_business_days: age,
    business_days_left: left,
  };
}

/** Stopped claims: paid (or closed) on their payment date, rejected at the decision. */
export const stoppedStatuses = ['rejected', 'paid', 'closed'] as const;

/**
 * The SQL that gives each claim what its SLA needs: the partner's country, the SLA target of the claim's
 * policy (RULES.md "Policies") or else the program version's
 * `sla_business_days` (the version the validation used, otherwise the active one; read through
 * `claim_program_slas()` so a partner sees the desk's clock) and the date the clock stopped. Joined as `s`
 * and `sv` on `claims c`, with hash joins (no per-claim subquery), so it is cheap over many claims.
 */
export const slaInputsJoin = `
  left join claim_program_slas() sla_used
    on sla_used.program_id = c.program_id and sla_used.version = c.program_version
  left join claim_program_slas() sla_active
    on sla_active.program_id = c.program_id and sla_active.status = 'active'
  left join accounts sla_account on sla_account.account_id = c.account_id
  cross join lateral (
    select coalesce(
      case when c.policy_country_date is not null or c.policy_account_date is not null
        then claim_policy_sla(c.account_id, sla_account.country, c.policy_country_date, c.policy_account_date) end,
      case when sla_used.program_id is not null then sla_used.sla_business_days
        else sla_active.sla_business_days end) as sla_business_days
  ) sv
  cross join lateral (
    select sla_account.country,
      case when c.status = 'rejected' then coalesce(c.decided_at, c.updated_at)::date
        when c.status in (${stoppedStatuses.map((s) => `'${s}'`).join(', ')})
        then coalesce(c.paid_on, c.decided_at::date, c.updated_at::date) end as stopped_on
  ) s`;

export interface ClaimSlaRow {
  account_id: string;
  claim_id: string;
  status: string;
  submitted_date: string;
  urgent: boolean;
  country: string | null;
  sla_business_days: number | null;
  stopped_on: string | null;
}

/** The SLA of claims (all visible claims, or those named), computed from one query. */
export async function slaFor(
  db: Db,
  opts: {
    /** The claims, by account and claim id (a claim id is unique within its partner only). */
    claims?: readonly { account_id: string; claim_id: string }[];
    openOnly?: boolean;
    asOf?: BusinessDate;
  } = {},
): Promise<(ClaimSlaRow & Sla)[]> {
  // Named claims are joined by their key (the primary key), not filtered out of every claim.
  const named = opts.claims !== undefined;
  const { rows } = await db.query<ClaimSlaRow>(
    `select c.account_id, c.claim_id, c.status, c.submitted_date, c.urgent, s.country,
       sv.sla_business_days, s.stopped_on
     from ${named ? 'unnest($1::text[], $3::text[]) as k(account_id, claim_id) join claims c on c.account_id = k.account_id and c.claim_id = k.claim_id' : 'claims c'}
     ${slaInputsJoin}
     where ${named ? 'true' : '$1::text[] is null and $3::text[] is null'}
       and (not $2 or s.stopped_on is null) and c.status <> 'draft'
     order by c.submitted_date, c.claim_id, c.account_id`,
    [
      opts.claims?.map((c) => c.account_id) ?? null,
      opts.openOnly ?? false,
      opts.claims?.map((c) => c.claim_id) ?? null,
    ],
  );
  const asOf = opts.asOf ?? todayDate();
  return rows.map((r) => ({ ...r, ...slaOf(r, asOf) }));
}

/** The weekday whose weekdays_through is `w` (w >= 1): the inverse of weekdays_through on weekdays. */
const weekdayNumbered = (w: string) => `(date '1900-01-01' + ((${w}) - 1) / 5 * 7 + ((${w}) - 1) % 5)`;

/**
 * The SLA of `claims c` computed in SQL — the same figures as `slaOf`, which a test holds it to — so that
 * many claims can be ordered, filtered and paged by their SLA in the database. Joined as `sla` (columns
 * `sla_state`, `target_business_days`, `age_business_days`, `business_days_left`, `due_date`; all null for drafts, whose
 * clock has not started) after `slaInputsJoin`. Business days are weekdays (`weekdays_through`) less the
 * weekday holidays in `business_holidays`, which `ensureHolidayCalendars` fills from the same calendars as
 * `publicHolidays`; every expression is plain arithmetic on the row, so 30,000 claims take about 0.1 s.
 * `asOf` is SQL for the as-of date (a parameter such as `$1::date`).
 *
 * `due_date` is the date addBusinessDays finds: the first whose business days since the submission date reach
 * the target. Guessing no holidays in between, taking the weekday with that many weekdays (weekdayNumbered)
 * and counting the holidays through it again converges from below to that date (each round adds the
 * holidays of the stretch the round before added): two rounds in practice, five for any calendar.
 */
export function slaSql(asOf: string): string {
  // The weekday holidays between two dates are two binary searches in the country's sorted holidays
  // (width_bucket counts the elements on or before a date; '-infinity' stands in for a country without any).
  const holidaysThrough = (d: string) => `width_bucket(${d}, coalesce(sla_hol.days, '{-infinity}'::date[]))`;
  const dueRounds = (n: number): string =>
    n === 0 ? 'due0.h' : holidaysThrough(weekdayNumbered(`due0.b + ${dueRounds(n - 1)}`));
  return `
  left join business_holiday_days sla_hol on sla_hol.country = upper(coalesce(s.country, ''))
  cross join lateral (select coalesce(s.stopped_on, ${asOf}) as end_on,
    case when coalesce(sv.sla_business_days, 0) > 0 then sv.sla_business_days
      else ${defaultSlaBusinessDays} end as base) sla_in
  cross join lateral (
    select case when c.urgent then (sla_in.base + 1) / 2 else sla_in.base end as target,
      greatest(0, weekdays_through(sla_in.end_on) - weekdays_through(c.submitted_date)
        - (${holidaysThrough('sla_in.end_on')} - ${holidaysThrough('c.submitted_date')})) as age
    offset 0 -- computed once per claim, not once per expression below that uses it
  ) sla_x
  cross join lateral (
    select weekdays_through(c.submitted_date) - ${holidaysThrough('c.submitted_date')} + sla_x.target as b,
      ${holidaysThrough('c.submitted_date')} as h
  ) due0
  cross join lateral (
    select case when c.status = 'draft' then null when sla_x.target <= 0 then c.submitted_date
      else ${weekdayNumbered(`due0.b + ${dueRounds(5)}`)} end as due_date
  ) sla_due
  cross join lateral (
    select case when c.status = 'draft' then null else sla_x.target end as target_business_days,
      case when c.status = 'draft' then null else sla_x.age end as age_business_days,
      case when c.status = 'draft' or s.stopped_on is not null then null
        else sla_x.target - sla_x.age end as business_days_left,
      case when c.status = 'draft' then null
        when s.stopped_on is not null then case when sla_x.age <= sla_x.target then 'met' else 'missed' end
        when sla_x.target - sla_x.age < 0 then 'breached'
        when sla_x.target - sla_x.age <= 3 or (sla_x.target - sla_x.age) * 5 <= sla_x.target then 'due_soon'
        else 'on_track' end as sla_state,
      sla_due.due_date
  ) sla`;
}
