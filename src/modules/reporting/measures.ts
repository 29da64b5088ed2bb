/**
 * The measures of CONTROLS.md ("Measures") for a month M with last day E and D calendar days, in the reporting
 * currency, for the whole company or broken down by country, collector or partner:
 *
 * - S (sales) = invoices, debit memos and non-compliance charges dated in M; AR = every receivable as of E and
 *   current AR = its `not_due` bucket, counted by the aging's own query (`agingSumsSql`: by due date, credits
 *   and unapplied cash negative); AR0 = AR as of the month before's last day. S, AR, current AR and the
 *   deductions at the latest rate on or before E, AR0 at the latest on or before its own date (`fx_rate`);
 *   converted amounts are summed unrounded.
 * - dso = AR / S × D, best_possible_dso = current AR / S × D, average_days_delinquent = their difference from
 *   the unrounded figures (past-due AR / S × D); cei = (AR0 + S − AR) / (AR0 + S − current AR) × 100;
 *   percent_past_due = past-due AR / AR × 100; ddo = deductions open at E / deductions taken in M × D, with
 *   the deduction dashboard's own "open at" (`deductionOpenAtSql`).
 * - claim_cycle_time = mean business days (the partner's country) from submitted to paid over claims paid in M;
 *   sla_attainment = % of those paid within their SLA — both read from the claims SLA in SQL (`slaSql`), whose
 *   age of a paid claim is exactly those business days; first_pass_rate = % of claims submitted in M (and
 *   validated since) whose first validation found nothing on any line (`claims.first_validation_clean`).
 *
 * Every measure is computed in SQL on exact decimals, multiplying before dividing, and rounded half away from
 * zero to one decimal (`round`); a measure whose denominator is 0 is empty (null). A group whose amounts need a
 * currency without a rate gets no money measures, and the currency and date are listed in `missing_rates`.
 * Claim measures have no collector breakdown (claims are the rebate analysts', not the collectors').
 */
import { z } from 'zod';
import { lastCompleteMonth, monthEnd, monthsEnding, previousMonth, today } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { ensureHolidayCalendars, slaInputsJoin, slaSql } from '../claims/index.ts';
import { countedDeductionSql, deductionOpenAtSql } from '../deductions/index.ts';
import { fxRateSql, missingRates, reportingCurrency } from '../fx/index.ts';
import { requireRole } from '../identity/index.ts';
import { agingSumsSql, bucketsFor, defaultBoundaries, thresholds } from '../receivables/index.ts';

/** The measures in CONTROLS.md's order: the rows of kpis.csv. */
export const metrics = [
  'dso',
  'best_possible_dso',
  'average_days_delinquent',
  'cei',
  'percent_past_due',
  'ddo',
  'claim_cycle_time',
  'sla_attainment',
  'first_pass_rate',
] as const;
export type Metric = (typeof metrics)[number];

export const measureBreakdowns = ['country', 'collector', 'partner'] as const;
export type MeasureBreakdown = (typeof measureBreakdowns)[number];

/** Who reads the measures: the desk's managers and analysts (and the administrator); never partners. */
export const measureReaders = ['administrator', 'manager', 'rebate_analyst', 'collector'] as const;

/** The amounts behind a group's measures (reporting currency, two decimals) and the claims counted. */
export interface MeasureInputs {
  sales: string | null;
  ar: string | null;
  current_ar: string | null;
  past_due_ar: string | null;
  ar_previous: string | null;
  deductions_open: string | null;
  deductions_taken: string | null;
  claims_paid: number;
  claims_paid_within_sla: number;
  claims_first_validated: number;
  claims_first_pass: number;
}

export type MeasureValues = Record<Metric, string | null>;

export interface MeasureRow extends MeasureValues {
  /** The country, the collector's e-mail ('' for none) or the partner's account id; '' for the whole company. */
  key: string;
  /** The partner's name; the key otherwise. */
  label: string;
  inputs: MeasureInputs;
}

export interface MissingRate {
  currency: string;
  on: string;
}

export interface MonthMeasures {
  month: string;
  month_end: string;
  previous_month_end: string;
  days: number;
  reporting_currency: string;
  /** The whole company. */
  total: MeasureRow;
  /** Per country, collector or partner when asked for. */
  by: MeasureBreakdown | null;
  rows: MeasureRow[];
  missing_rates: MissingRate[];
}

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM')
  .describe('the month (YYYY-MM); default the last complete month');

export const measuresQuery = z.object({
  month: month.optional(),
  by: z
    .enum(measureBreakdowns)
    .optional()
    .describe('break the measures down by country, collector or partner'),
});

export const trendQuery = z.object({
  to_month: month
    .optional()
    .describe('the last month of the trend (YYYY-MM); default the last complete month'),
  months: z.coerce.number().int().min(1).max(36).default(12).describe('how many months (1–36, default 12)'),
});

const documentTypesInSales = ['invoice', 'debit_memo', 'non_compliance_charge'];

/** SQL for the group key over `a` (accounts) and the row's `account_id` column of `x`. */
function keyOf(by: MeasureBreakdown | null, x: string): string {
  if (by === 'country') return `coalesce(a.country, '')`;
  if (by === 'collector') return `coalesce(a.collector, '')`;
  if (by === 'partner') return `${x}.account_id`;
  return `''`;
}

/**
 * The measures' one statement for any number of months ($1: their last days; $2: the aging's thresholds):
 * every month end and the end of the month before each is aged once (the aging's own sums, lateral over the
 * dates), so a trend of n months ages n + 1 dates. One row per month and group, with the month as `month`.
 */
function measuresSql(by: MeasureBreakdown | null): string {
  const buckets = bucketsFor(defaultBoundaries);
  const total = buckets.map((b) => `s.${b.key}`).join(' + ');
  const rate = (on: string) => fxRateSql('p.currency', on);
  const claimsBy = by !== 'collector';
  const money = (x: string) => `(${x})::numeric(18, 2)::text`;
  const measure = (cond: string, expr: string) => `case when ${cond} then round(${expr}, 1)::text end`;
  return `
    with m as (
      select x.e::date as e, date_trunc('month', x.e)::date as first,
        (date_trunc('month', x.e) - interval '1 day')::date as e0, extract(day from x.e)::int as days
      from unnest($1::date[]) as x(e)
    ),
    ends as (select m.e as on_date from m union select m.e0 from m),
    ar as (
      select me.on_date, s.account_id, s.currency, s.not_due / 100.0 as cur, (${total}) / 100.0 as ar
      from ends me
      cross join lateral (${agingSumsSql('due_date', buckets, 'me.on_date', '$2::int[]')}) s
    ),
    amounts as (
      select m.e, a.account_id, a.currency, 0::numeric as s, a.ar, a.cur, 0::numeric as ar0,
        0::numeric as dopen, 0::numeric as dtaken
      from m join ar a on a.on_date = m.e
      union all
      select m.e, a.account_id, a.currency, 0, 0, 0, a.ar, 0, 0 from m join ar a on a.on_date = m.e0
      union all
      select m.e, d.account_id, d.currency, sum(d.amount), 0, 0, 0, 0, 0
      from m join ar_documents d on d.document_date between m.first and m.e
      where d.type in (${documentTypesInSales.map((t) => `'${t}'`).join(', ')})
      group by m.e, d.account_id, d.currency
      union all
      select m.e, d.account_id, d.currency, 0, 0, 0, 0, sum(greatest(${deductionOpenAtSql('m.e')}, 0)), 0
      from m join deductions d on d.deduction_date <= m.e
      where ${countedDeductionSql}
      group by m.e, d.account_id, d.currency
      union all
      select m.e, d.account_id, d.currency, 0, 0, 0, 0, 0, sum(d.amount)
      from m join deductions d on d.deduction_date between m.first and m.e
      where ${countedDeductionSql}
      group by m.e, d.account_id, d.currency
    ),
    per as (
      select p.e, p.account_id, p.currency, sum(p.s) as s, sum(p.ar) as ar, sum(p.cur) as cur, sum(p.ar0) as ar0,
        sum(p.dopen) as dopen, sum(p.dtaken) as dtaken
      from amounts p group by p.e, p.account_id, p.currency
    ),
    conv as (
      select p.*, ${rate('p.e')} as r, ${rate('m.e0')} as r0 from per p join m on m.e = p.e
    ),
    lacking as (
      select distinct c.e, c.currency::text as currency, c.e as on_date from conv c
      where c.r is null and (c.s <> 0 or c.ar <> 0 or c.cur <> 0 or c.dopen <> 0 or c.dtaken <> 0)
      union
      select distinct c.e, c.currency::text, m.e0 from conv c join m on m.e = c.e where c.r0 is null and c.ar0 <> 0
    ),
    money as (
      select x.e, ${keyOf(by, 'x')} as k, sum(x.s * x.r) as s, sum(x.ar * x.r) as ar, sum(x.cur * x.r) as cur,
        sum(x.ar0 * x.r0) as ar0, sum(x.dopen * x.r) as dopen, sum(x.dtaken * x.r) as dtaken,
        bool_or((x.r is null and (x.s <> 0 or x.ar <> 0 or x.cur <> 0 or x.dopen <> 0 or x.dtaken <> 0))
          or (x.r0 is null and x.ar0 <> 0)) as lacks
      from conv x left join accounts a on a.account_id = x.account_id
      group by 1, 2
    ),
    ${
      claimsBy
        ? `paid as (
      select m.e, ${keyOf(by, 'c')} as k, count(*)::int as n, avg(sla.age_business_days) as age,
        (count(*) filter (where sla.sla_state = 'met'))::int as met
      from m join claims c on c.paid_on between m.first and m.e
      ${slaInputsJoin}
      ${slaSql('m.e')}
      left join accounts a on a.account_id = c.account_id
      where c.status in ('paid', 'closed')
      group by 1, 2
    ),
    submitted as (
      select m.e, ${keyOf(by, 'c')} as k, count(*)::int as n,
        (count(*) filter (where c.first_validation_clean))::int as clean
      from m join claims c on c.submitted_date between m.first and m.e
      left join accounts a on a.account_id = c.account_id
      where c.first_validation_clean is not null
      group by 1, 2
    ),`
        : `paid as (select null::date as e, ''::text as k, 0 as n, null::numeric as age, 0 as met where false),
    submitted as (select null::date as e, ''::text as k, 0 as n, 0 as clean where false),`
    }
    keys as (select e, k from money union select e, k from paid union select e, k from submitted)
    select to_char(keys.e, 'YYYY-MM') as month, keys.k as key,
      ${by === 'partner' ? `coalesce(acc.name, keys.k)` : 'keys.k'} as label,
      ${measure('not m.lacks and m.s <> 0', 'm.ar * mm.days / m.s')} as dso,
      ${measure('not m.lacks and m.s <> 0', 'm.cur * mm.days / m.s')} as best_possible_dso,
      ${measure('not m.lacks and m.s <> 0', '(m.ar - m.cur) * mm.days / m.s')} as average_days_delinquent,
      ${measure('not m.lacks and m.ar0 + m.s - m.cur <> 0', '(m.ar0 + m.s - m.ar) * 100 / (m.ar0 + m.s - m.cur)')} as cei,
      ${measure('not m.lacks and m.ar <> 0', '(m.ar - m.cur) * 100 / m.ar')} as percent_past_due,
      ${measure('not m.lacks and m.dtaken <> 0', 'm.dopen * mm.days / m.dtaken')} as ddo,
      ${measure('pd.n > 0', 'pd.age')} as claim_cycle_time,
      ${measure('pd.n > 0', 'pd.met * 100.0 / pd.n')} as sla_attainment,
      ${measure('sb.n > 0', 'sb.clean * 100.0 / sb.n')} as first_pass_rate,
      case when not m.lacks then ${money('m.s')} end as sales,
      case when not m.lacks then ${money('m.ar')} end as ar,
      case when not m.lacks then ${money('m.cur')} end as current_ar,
      case when not m.lacks then ${money('m.ar - m.cur')} end as past_due_ar,
      case when not m.lacks then ${money('m.ar0')} end as ar_previous,
      case when not m.lacks then ${money('m.dopen')} end as deductions_open,
      case when not m.lacks then ${money('m.dtaken')} end as deductions_taken,
      coalesce(pd.n, 0) as claims_paid, coalesce(pd.met, 0) as claims_paid_within_sla,
      coalesce(sb.n, 0) as claims_first_validated, coalesce(sb.clean, 0) as claims_first_pass,
      (select coalesce(json_agg(json_build_object('currency', l.currency, 'on', l.on_date::text)
         order by l.on_date, l.currency), '[]') from lacking l where l.e = keys.e) as missing_rates
    from keys
    join m mm on mm.e = keys.e
    left join money m on m.e = keys.e and m.k = keys.k
    left join paid pd on pd.e = keys.e and pd.k = keys.k
    left join submitted sb on sb.e = keys.e and sb.k = keys.k
    ${by === 'partner' ? 'left join accounts acc on acc.account_id = keys.k' : ''}
    order by keys.e, keys.k`;
}

interface RawRow extends MeasureValues {
  month: string;
  key: string;
  label: string;
  sales: string | null;
  ar: string | null;
  current_ar: string | null;
  past_due_ar: string | null;
  ar_previous: string | null;
  deductions_open: string | null;
  deductions_taken: string | null;
  claims_paid: number;
  claims_paid_within_sla: number;
  claims_first_validated: number;
  claims_first_pass: number;
  missing_rates: MissingRate[];
}

function toRow(r: RawRow): MeasureRow {
  const values = Object.fromEntries(metrics.map((m) => [m, r[m]])) as MeasureValues;
  return {
    key: r.key,
    label: r.label,
    ...values,
    inputs: {
      sales: r.sales,
      ar: r.ar,
      current_ar: r.current_ar,
      past_due_ar: r.past_due_ar,
      ar_previous: r.ar_previous,
      deductions_open: r.deductions_open,
      deductions_taken: r.deductions_taken,
      claims_paid: r.claims_paid,
      claims_paid_within_sla: r.claims_paid_within_sla,
      claims_first_validated: r.claims_first_validated,
      claims_first_pass: r.claims_first_pass,
    },
  };
}

const emptyRow = (): MeasureRow =>
  toRow({
    month: '',
    key: '',
    label: '',
    ...(Object.fromEntries(metrics.map((m) => [m, null])) as MeasureValues),
    sales: null,
    ar: null,
    current_ar: null,
    past_due_ar: null,
    ar_previous: null,
    deductions_open: null,
    deductions_taken: null,
    claims_paid: 0,
    claims_paid_within_sla: 0,
    claims_first_validated: 0,
    claims_first_pass: 0,
    missing_rates: [],
  });

/** The measures' rows of some months (one statement), in month order. */
async function runMeasures(
  db: Db,
  months: readonly string[],
  by: MeasureBreakdown | null,
): Promise<RawRow[]> {
  const { rows } = await db.query<RawRow>(measuresSql(by), [
    months.map(monthEnd),
    thresholds(defaultBoundaries),
  ]);
  return rows;
}

/** The measures of one month, for the whole company and, when asked, per country, collector or partner. */
export async function monthMeasures(db: Db, raw: z.input<typeof measuresQuery> = {}): Promise<MonthMeasures> {
  requireRole(db.actor, measureReaders);
  const q = measuresQuery.parse(raw);
  const m = q.month ?? lastCompleteMonth(today());
  const end = monthEnd(m);
  // The claims' business days are counted in SQL over the holiday years copied so far.
  await ensureHolidayCalendars(db, end);
  const totals = await runMeasures(db, [m], null);
  const rows = q.by ? await runMeasures(db, [m], q.by) : [];
  const total = totals[0] ? toRow(totals[0]) : emptyRow();
  return {
    month: m,
    month_end: end,
    previous_month_end: monthEnd(previousMonth(m)),
    days: Number(end.slice(8, 10)),
    reporting_currency: reportingCurrency(),
    total,
    by: q.by ?? null,
    rows: rows.map(toRow),
    missing_rates: totals[0]?.missing_rates ?? [],
  };
}

export interface MeasureTrend {
  reporting_currency: string;
  months: string[];
  /** One point per month, oldest first. */
  points: (MeasureValues & { month: string; inputs: MeasureInputs })[];
  missing_rates: MissingRate[];
}

/** The company's measures month by month (12 by default) up to a month, for the dashboards' charts. */
export async function measureTrend(db: Db, raw: z.input<typeof trendQuery> = {}): Promise<MeasureTrend> {
  requireRole(db.actor, measureReaders);
  const q = trendQuery.parse(raw);
  const months = monthsEnding(q.to_month ?? lastCompleteMonth(today()), q.months);
  await ensureHolidayCalendars(db, monthEnd(months.at(-1)!));
  const rows = new Map((await runMeasures(db, months, null)).map((r) => [r.month, r]));
  const points: MeasureTrend['points'] = [];
  const missing = new Map<string, MissingRate>();
  for (const m of months) {
    const raw0 = rows.get(m);
    const { key: _k, label: _l, inputs, ...values } = raw0 ? toRow(raw0) : emptyRow();
    points.push({ month: m, ...values, inputs });
    for (const x of raw0?.missing_rates ?? []) missing.set(`${x.currency}/${x.on}`, x);
  }
  return {
    reporting_currency: reportingCurrency(),
    months,
    points,
    missing_rates: [...missing.values()].sort(
      (a, b) => a.on.localeCompare(b.on) || a.currency.localeCompare(b.currency),
    ),
  };
}

/**
 * kpis.csv (FORMATS.md): `metric, month, value` — the nine measures of the month, empty where the denominator
 * is 0. Refused, naming the currencies, when an amount cannot be converted.
 */
export async function kpisCsv(db: Db, m?: string): Promise<{ csv: string; measures: MonthMeasures }> {
  const measures = await monthMeasures(db, { month: m });
  if (measures.missing_rates.length > 0) throw missingRates(measures.missing_rates);
  const lines = [
    'metric,month,value',
    ...metrics.map((k) => `${k},${measures.month},${measures.total[k] ?? ''}`),
  ];
  return { csv: `${lines.join('\n')}\n`, measures };
}

export const measureClaimsQuery = z.object({
  month: month.optional(),
  set: z
    .enum(['paid', 'submitted'])
    .default('paid')
    .describe(
      'paid: the claims paid in the month (cycle time, SLA); submitted: those submitted and validated (first pass)',
    ),
  country: z.string().optional().describe('only partners in this country'),
  account_id: z.string().optional().describe('only this partner'),
});

export interface MeasureClaim {
  account_id: string;
  partner_name: string | null;
  country: string | null;
  claim_id: string;
  status: string;
  submitted_date: string;
  paid_on: string | null;
  /** Paid claims: business days from submitted to paid, the SLA target and whether it was met. */
  business_days: number | null;
  target_business_days: number | null;
  within_sla: boolean | null;
  /** Submitted claims: whether the first validation found nothing on any line. */
  first_pass: boolean | null;
}

/** The claims behind a month's claim measures (the drill-down from a figure). */
export async function measureClaims(
  db: Db,
  raw: z.input<typeof measureClaimsQuery> = {},
): Promise<{ month: string; set: 'paid' | 'submitted'; claims: MeasureClaim[] }> {
  requireRole(db.actor, measureReaders);
  const q = measureClaimsQuery.parse(raw);
  const m = q.month ?? lastCompleteMonth(today());
  const end = monthEnd(m);
  await ensureHolidayCalendars(db, end);
  const paid = q.set === 'paid';
  const { rows } = await db.query<MeasureClaim>(
    `select c.account_id, a.name as partner_name, a.country, c.claim_id, c.status, c.submitted_date::text,
       c.paid_on::text,
       ${paid ? 'sla.age_business_days' : 'null::int'} as business_days,
       ${paid ? 'sla.target_business_days' : 'null::int'} as target_business_days,
       ${paid ? `sla.sla_state = 'met'` : 'null::boolean'} as within_sla,
       ${paid ? 'null::boolean' : 'c.first_validation_clean'} as first_pass
     from claims c
     ${paid ? `${slaInputsJoin} ${slaSql('$1::date')}` : ''}
     left join accounts a on a.account_id = c.account_id
     where ${
       paid
         ? `c.status in ('paid', 'closed') and c.paid_on between $2::date and $1::date`
         : 'c.submitted_date between $2::date and $1::date and c.first_validation_clean is not null'
     }
       and ($3::text is null or a.country = $3) and ($4::text is null or c.account_id = $4)
     order by ${paid ? 'c.paid_on, ' : ''}c.submitted_date, c.claim_id, c.account_id`,
    [end, `${m}-01`, q.country?.toUpperCase() ?? null, q.account_id ?? null],
  );
  return { month: m, set: q.set, claims: rows };
}
