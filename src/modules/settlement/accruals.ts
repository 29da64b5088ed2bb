/**
 * Accruals: the rebate liability finance books, per program, partner and period, as of a date. One set-based
 * query computes what each enrolled partner has earned from the channel data under the terms of the program
 * version in force, beside what was approved and paid on its claims:
 *
 * - `sell_out`: eligible sell-out lines (sale date in the program period, eligible SKU or category, end
 *   customer in `end_customer_countries` when the program limits them) × `per_unit_amount` per unit, or
 *   `percent_of_sell_out` × the line's value; by month of sale.
 * - `special_bid`: each deal's sell-out (its partner, SKU and end customer, within the deal's validity and the
 *   program period) × `authorized_unit_amount`, the cumulative quantity capped at the deal's `max_qty` in
 *   order of sale; by month of sale.
 * - `price_protection`: each price drop in the partner's country within the program period × the protected
 *   units (the smaller of the partner's snapshot on the drop date and its sell-in within
 *   `protection_window_days` before it); by month of the drop; nothing without a snapshot that day.
 * - `volume_tier`, `growth`: the company calculation of RULES.md on the partner's eligible sell-in of the
 *   program period up to the as-of date (retroactive or incremental tiers; growth over the baseline period);
 *   one row for the program period.
 * - `mdf`: `accrual_rate` × eligible sell-in of the program period up to the as-of date; one row.
 *
 * Approved is the approved amount of claims decided on or before the as-of date (their lines mapped to the
 * same period: month of the sale date, or the program period); paid is what payments paid on or before it
 * (and not reversed by then) paid. Then, per row:
 *   unclaimed = max(earned − approved, 0), accrued = unclaimed + approved = max(earned, approved),
 *   approved_unpaid = approved − paid, liability = accrued − paid = unclaimed + approved_unpaid.
 * Earned is rounded to the currency's minor unit per row, half away from zero.
 */
import { Decimal } from 'decimal.js';
import { isBusinessDate, today } from '../../core/dates.ts';
import { AppError, invalid } from '../../core/errors.ts';
import { formatAmount, minorUnits } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { programTypeLabels } from '../contracts/index.ts';
import { ratesOn, sumInReporting, toReporting } from '../fx/index.ts';
import { requireRole } from '../identity/index.ts';
import { type ExportColumn, headerWords, toCsv, writeXlsx } from '../platform/export.ts';

export const accrualReaders = ['rebate_analyst', 'approver', 'manager', 'administrator'] as const;

export interface AccrualQuery {
  as_of?: string | undefined;
  program_id?: string | undefined;
  account_id?: string | undefined;
}

export interface AccrualRow {
  program_id: string;
  program_name: string;
  program_type: string;
  currency: string;
  account_id: string;
  partner_name: string | null;
  period_start: string;
  period_end: string;
  /** Units the accrual counts (sold, credited, protected or bought), where the type has them. */
  basis_qty: string | null;
  /** The value of the sales or purchases it counts, where the type has it. */
  basis_amount: string | null;
  earned: string;
  approved: string;
  paid: string;
  unclaimed: string;
  accrued: string;
  approved_unpaid: string;
  liability: string;
}

export type AccrualTotals = Omit<
  AccrualRow,
  'account_id' | 'partner_name' | 'period_start' | 'period_end' | 'basis_qty' | 'basis_amount'
> & { partners: number };

export interface AccrualReport {
  as_of: string;
  rows: AccrualRow[];
  /** Per program: the chart's accrued against paid. */
  programs: AccrualTotals[];
  /** Per currency: the report's totals. */
  currencies: CurrencyTotals[];
  /**
   * The report in the reporting currency at the rates of the as-of date: its totals (currencies without a rate
   * left out and named in `missing`) and, per program, accrued and paid converted (null without a rate).
   */
  reporting: {
    currency: string;
    rates: Record<string, string>;
    missing: string[];
    totals: Record<(typeof amountKeys)[number], string>;
    programs: { program_id: string; currency: string; accrued: string | null; paid: string | null }[];
  };
}

export type CurrencyTotals = Pick<AccrualTotals, 'currency' | 'partners' | (typeof amountKeys)[number]>;

/** Every program version in force by the as-of date, with what a partner earned, approved and was paid. */
const accrualSql = `
with prog as (
  select v.program_id, v.version, v.name, v.type, v.currency, v.country, v.start_date, v.end_date, v.terms,
    least(v.end_date, $1::date) as upto,
    coalesce((($2::jsonb) ->> v.currency)::int, 2) as digits
  from programs p join program_versions v on v.program_id = p.program_id and v.version = p.active_version
  where v.start_date <= $1::date and ($3::text is null or v.program_id = $3)
),
enrolled as (
  select pr.program_id, a.account_id, a.country
  from prog pr
  join program_partners pp on pp.program_id = pr.program_id and pp.version = pr.version
  join accounts a on a.account_id = pp.account_id
  where $4::text is null or a.account_id = $4
  union all
  select pr.program_id, a.account_id, a.country
  from prog pr join accounts a on a.country = pr.country
  where not exists (select 1 from program_partners pp where pp.program_id = pr.program_id and pp.version = pr.version)
    and ($4::text is null or a.account_id = $4)
),
sell_out_lines as (
  select pr.program_id, so.account_id, date_trunc('month', so.sale_date)::date as period_start, so.qty,
    so.qty * so.unit_price as value,
    case when pr.terms ? 'per_unit_amount' then so.qty * (pr.terms ->> 'per_unit_amount')::numeric
         else so.qty * coalesce(so.unit_price, 0) * coalesce((pr.terms ->> 'percent_of_sell_out')::numeric, 0)
    end as earned
  from prog pr
  join enrolled e on e.program_id = pr.program_id
  join sell_out so on so.account_id = e.account_id and so.sale_date between pr.start_date and pr.upto
  left join products pd on pd.sku = so.sku
  left join end_customers ec on ec.end_customer_id = so.end_customer_id
  where pr.type = 'sell_out'
    and ((pr.terms -> 'eligible_skus' is null and pr.terms -> 'eligible_categories' is null)
         or pr.terms -> 'eligible_skus' ? so.sku or pr.terms -> 'eligible_categories' ? pd.category)
    and (pr.terms -> 'end_customer_countries' is null or pr.terms -> 'end_customer_countries' ? (ec.country::text))
    and (pr.terms ? 'per_unit_amount' or coalesce(so.currency, pr.currency) = pr.currency)
),
deal_lines as (
  select pr.program_id, d.account_id, date_trunc('month', so.sale_date)::date as period_start, so.qty,
    d.max_qty, d.authorized_unit_amount,
    coalesce(sum(so.qty) over (partition by d.deal_id order by so.sale_date, so.sell_out_ref
                               rows between unbounded preceding and 1 preceding), 0) as before
  from prog pr
  join deals d on d.program_id = pr.program_id and d.currency = pr.currency
  join enrolled e on e.program_id = pr.program_id and e.account_id = d.account_id
  join sell_out so on so.account_id = d.account_id and so.sku = d.sku
    and (d.end_customer_id is null or so.end_customer_id = d.end_customer_id)
    and so.sale_date between greatest(d.start_date, pr.start_date) and least(d.end_date, pr.upto)
  left join end_customers ec on ec.end_customer_id = so.end_customer_id
  where pr.type = 'special_bid'
    and (pr.terms -> 'end_customer_countries' is null or pr.terms -> 'end_customer_countries' ? (ec.country::text))
),
deal_credits as (
  select program_id, account_id, period_start, greatest(0, least(qty, max_qty - before)) as qty,
    greatest(0, least(qty, max_qty - before)) * authorized_unit_amount as earned
  from deal_lines
),
drops as (
  select pr.program_id, e.account_id, date_trunc('month', pc.effective_date)::date as period_start,
    least(snap.on_hand_qty, coalesce(win.qty, 0)) as qty,
    (pc.old_price - pc.new_price) * least(snap.on_hand_qty, coalesce(win.qty, 0)) as earned
  from prog pr
  join enrolled e on e.program_id = pr.program_id
  join price_changes pc on pc.country = e.country and pc.currency = pr.currency and pc.new_price < pc.old_price
    and pc.effective_date between pr.start_date and pr.upto
  left join products pd on pd.sku = pc.sku
  join inventory_reports snap on snap.account_id = e.account_id and snap.sku = pc.sku and snap.kind = 'snapshot'
    and snap.as_of_date = pc.effective_date
  cross join lateral (
    select sum(si.qty) as qty from sell_in si
    where si.account_id = e.account_id and si.sku = pc.sku
      and si.invoice_date >= pc.effective_date - coalesce((pr.terms ->> 'protection_window_days')::int, 0)
      and si.invoice_date < pc.effective_date
  ) win
  where pr.type = 'price_protection'
    and ((pr.terms -> 'eligible_skus' is null and pr.terms -> 'eligible_categories' is null)
         or pr.terms -> 'eligible_skus' ? pc.sku or pr.terms -> 'eligible_categories' ? pd.category)
),
-- Period programs: eligible sell-in in the program's currency over the program period to date, and growth's
-- baseline.
volumes as (
  select pr.program_id, e.account_id,
    coalesce(sum(si.qty) filter (where si.invoice_date between pr.start_date and pr.upto), 0) as units,
    coalesce(sum(si.qty * si.unit_price) filter (where si.invoice_date between pr.start_date and pr.upto), 0)
      as revenue,
    coalesce(sum(si.qty) filter (where si.invoice_date between (pr.terms -> 'baseline' ->> 'start_date')::date
      and least((pr.terms -> 'baseline' ->> 'end_date')::date, $1::date)), 0) as baseline_units,
    coalesce(sum(si.qty * si.unit_price) filter (where si.invoice_date
      between (pr.terms -> 'baseline' ->> 'start_date')::date
      and least((pr.terms -> 'baseline' ->> 'end_date')::date, $1::date)), 0) as baseline_revenue
  from prog pr
  join enrolled e on e.program_id = pr.program_id
  join sell_in si on si.account_id = e.account_id and si.currency = pr.currency
  left join products pd on pd.sku = si.sku
  where pr.type in ('volume_tier', 'growth', 'mdf')
    and ((pr.terms -> 'eligible_skus' is null and pr.terms -> 'eligible_categories' is null)
         or pr.terms -> 'eligible_skus' ? si.sku or pr.terms -> 'eligible_categories' ? pd.category)
  group by pr.program_id, e.account_id
),
measured as (
  select v.*, pr.type, pr.terms,
    case when pr.terms ->> 'basis' = 'units' then v.units else v.revenue end as volume,
    case when pr.terms ->> 'basis' = 'units' then v.baseline_units else v.baseline_revenue end as baseline
  from volumes v join prog pr on pr.program_id = v.program_id
),
tiers as (
  select pr.program_id, (t ->> 'from')::numeric as tier_from, (t ->> 'rate')::numeric as rate,
    lead((t ->> 'from')::numeric) over (partition by pr.program_id order by (t ->> 'from')::numeric) as tier_to
  from prog pr cross join lateral jsonb_array_elements(coalesce(pr.terms -> 'tiers', '[]'::jsonb)) t
  where pr.type in ('volume_tier', 'growth')
),
period_earned as (
  select m.program_id, m.account_id, m.units as qty, m.revenue as value,
    case
      when m.type = 'mdf' then m.revenue * coalesce((m.terms ->> 'accrual_rate')::numeric, 0)
      when m.type = 'growth' then case when m.baseline <= 0 then 0 else m.volume * coalesce(
        (select t.rate from tiers t where t.program_id = m.program_id and m.volume / m.baseline - 1 >= t.tier_from
         order by t.tier_from desc limit 1), 0) end
      when coalesce((m.terms ->> 'retroactive')::boolean, false) then m.volume * coalesce(
        (select t.rate from tiers t where t.program_id = m.program_id and m.volume >= t.tier_from
         order by t.tier_from desc limit 1), 0)
      else coalesce(
        (select sum((least(coalesce(t.tier_to, m.volume), m.volume) - t.tier_from) * t.rate) from tiers t
         where t.program_id = m.program_id and least(coalesce(t.tier_to, m.volume), m.volume) > t.tier_from), 0)
    end as earned
  from measured m
),
earned as (
  select program_id, account_id, period_start, sum(qty) as qty, sum(value) as value, sum(earned) as earned
  from sell_out_lines group by 1, 2, 3
  union all
  select program_id, account_id, period_start, sum(qty), null, sum(earned) from deal_credits group by 1, 2, 3
  union all
  select program_id, account_id, period_start, sum(qty), null, sum(earned) from drops group by 1, 2, 3
  union all
  select pe.program_id, pe.account_id, pr.start_date, pe.qty, pe.value, pe.earned
  from period_earned pe join prog pr on pr.program_id = pe.program_id
),
claimed as (
  select c.program_id, c.account_id,
    case when pr.type in ('volume_tier', 'growth', 'mdf') then pr.start_date
         else date_trunc('month', coalesce(l.sale_date, l.period_start, c.submitted_date))::date end
      as period_start,
    sum(l.approved_amount) filter (where c.decided_at::date <= $1::date or p.paid) as approved,
    sum(l.approved_amount) filter (where p.paid) as paid
  from claims c
  join prog pr on pr.program_id = c.program_id
  join claim_lines l on l.account_id = c.account_id and l.claim_id = c.claim_id
  cross join lateral (
    select exists (
      select 1 from settlement_payments s where s.account_id = c.account_id and s.claim_id = c.claim_id
        and s.paid_on <= $1::date and (s.reversed_on is null or s.reversed_on > $1::date)) as paid
  ) p
  where c.status in ('approved', 'partially_approved', 'in_payment', 'paid', 'closed')
    and ($4::text is null or c.account_id = $4)
  group by 1, 2, 3
),
combined as (
  select coalesce(e.program_id, c.program_id) as program_id, coalesce(e.account_id, c.account_id) as account_id,
    coalesce(e.period_start, c.period_start) as period_start, e.qty, e.value,
    coalesce(e.earned, 0) as earned_raw, coalesce(c.approved, 0) as approved, coalesce(c.paid, 0) as paid
  from earned e
  full join claimed c on c.program_id = e.program_id and c.account_id = e.account_id
    and c.period_start = e.period_start
),
result as (
  select x.program_id, pr.name as program_name, pr.type as program_type, pr.currency, x.account_id,
    a.name as partner_name, x.period_start,
    case when pr.type in ('volume_tier', 'growth', 'mdf') then pr.end_date
         else (x.period_start + interval '1 month' - interval '1 day')::date end as period_end,
    x.qty, x.value, round(x.earned_raw, pr.digits) as earned, round(x.approved, pr.digits) as approved,
    round(x.paid, pr.digits) as paid, pr.digits
  from combined x
  join prog pr on pr.program_id = x.program_id
  left join accounts a on a.account_id = x.account_id
  where x.earned_raw <> 0 or x.approved <> 0 or x.paid <> 0
)
select program_id, program_name, program_type, currency, account_id, partner_name,
  period_start, period_end,
  qty::text as basis_qty, round(value, 2)::text as basis_amount,
  earned::text, approved::text, paid::text,
  round(greatest(earned - approved, 0), digits)::text as unclaimed,
  greatest(earned, approved)::text as accrued,
  (approved - paid)::text as approved_unpaid,
  (greatest(earned, approved) - paid)::text as liability
from result
order by program_id, account_id, period_start`;

/** The accruals as of a date (default today), optionally for one program or one partner. */
export async function accruals(db: Db, q: AccrualQuery = {}): Promise<AccrualReport> {
  requireRole(db.actor, accrualReaders);
  const asOf = q.as_of ?? today();
  if (!isBusinessDate(asOf)) throw invalid('as_of', `${asOf} is not a date (YYYY-MM-DD)`);
  // The minor unit of each program currency, for the one rounding of earned amounts.
  const { rows: currencies } = await db.query<{ currency: string }>(
    'select distinct currency from program_versions',
  );
  const digits = Object.fromEntries(currencies.map((c) => [c.currency, minorUnits(c.currency)]));
  const { rows } = await db.query<AccrualRow>(accrualSql, [
    asOf,
    JSON.stringify(digits),
    q.program_id ?? null,
    q.account_id ?? null,
  ]);
  const fx = await ratesOn(
    db,
    rows.map((r) => r.currency),
    asOf,
  );
  const converted = (v: string, currency: string) => {
    const d = toReporting(fx, v, currency);
    return d === null ? null : formatAmount(d, fx.currency);
  };
  const programTotals = totalsBy(rows, (r) => r.program_id);
  return {
    as_of: asOf,
    rows,
    reporting: {
      currency: fx.currency,
      rates: fx.rates,
      missing: fx.missing,
      totals: Object.fromEntries(
        amountKeys.map((k) => [
          k,
          sumInReporting(
            fx,
            rows.map((r) => ({ amount: r[k], currency: r.currency })),
          ),
        ]),
      ) as Record<(typeof amountKeys)[number], string>,
      programs: programTotals.map(({ first, sums }) => ({
        program_id: first.program_id,
        currency: first.currency,
        accrued: converted(sums.accrued, first.currency),
        paid: converted(sums.paid, first.currency),
      })),
    },
    programs: programTotals.map(({ first, sums, partners }) => ({
      program_id: first.program_id,
      program_name: first.program_name,
      program_type: first.program_type,
      currency: first.currency,
      partners,
      ...sums,
    })),
    currencies: totalsBy(rows, (r) => r.currency).map(({ first, sums, partners }) => ({
      currency: first.currency,
      partners,
      ...sums,
    })),
  };
}

const amountKeys = [
  'earned',
  'approved',
  'paid',
  'unclaimed',
  'accrued',
  'approved_unpaid',
  'liability',
] as const;

type Sums = Record<(typeof amountKeys)[number], string>;

/** Sums of the amounts (Decimal, exact) and the number of partners, per key, in the rows' order. */
function totalsBy(
  rows: readonly AccrualRow[],
  key: (r: AccrualRow) => string,
): { first: AccrualRow; sums: Sums; partners: number }[] {
  const groups = new Map<string, { first: AccrualRow; sums: Decimal[]; partners: Set<string> }>();
  for (const r of rows) {
    let g = groups.get(key(r));
    if (!g) {
      g = { first: r, sums: amountKeys.map(() => new Decimal(0)), partners: new Set() };
      groups.set(key(r), g);
    }
    amountKeys.forEach((k, i) => {
      g.sums[i] = g.sums[i]!.plus(r[k]);
    });
    g.partners.add(r.account_id);
  }
  return [...groups.values()].map(({ first, sums, partners }) => ({
    first,
    sums: Object.fromEntries(
      amountKeys.map((k, i) => [k, sums[i]!.toFixed(minorUnits(first.currency))]),
    ) as Sums,
    partners: partners.size,
  }));
}

export const accrualColumns: readonly ExportColumn[] = [
  { key: 'program_id', header: 'program_id' },
  { key: 'program_name', header: 'program_name' },
  { key: 'program_type', header: 'program_type' },
  { key: 'account_id', header: 'account_id' },
  { key: 'partner_name', header: 'partner_name' },
  { key: 'period_start', header: 'period_start', type: 'date' },
  { key: 'period_end', header: 'period_end', type: 'date' },
  { key: 'currency', header: 'currency' },
  { key: 'basis_qty', header: 'basis_qty', type: 'int' },
  { key: 'basis_amount', header: 'basis_amount', type: 'amount' },
  { key: 'earned', header: 'earned', type: 'amount' },
  { key: 'approved', header: 'approved', type: 'amount' },
  { key: 'paid', header: 'paid', type: 'amount' },
  { key: 'unclaimed', header: 'unclaimed', type: 'amount' },
  { key: 'accrued', header: 'accrued', type: 'amount' },
  { key: 'approved_unpaid', header: 'approved_unpaid', type: 'amount' },
  { key: 'liability', header: 'liability', type: 'amount' },
];

const programColumns: readonly ExportColumn[] = [
  { key: 'program_id', header: 'program_id' },
  { key: 'program_name', header: 'program_name' },
  { key: 'program_type', header: 'program_type' },
  { key: 'currency', header: 'currency' },
  { key: 'partners', header: 'partners', type: 'int' },
  ...accrualColumns.slice(10),
];

const methodRows = [
  [
    'sell_out',
    'eligible sell-out × per_unit_amount per unit, or percent_of_sell_out × the line value; by month of sale',
  ],
  [
    'special_bid',
    'each deal’s sell-out × authorized_unit_amount, cumulative quantity capped at max_qty; by month of sale',
  ],
  [
    'price_protection',
    '(old − new price) × min(snapshot on the drop date, sell-in in the protection window); by month of the drop',
  ],
  ['volume_tier', 'RULES.md company calculation on eligible sell-in of the program period to the as-of date'],
  ['growth', 'tier rate of period sell-in growth over the baseline × period sell-in, program period to date'],
  ['mdf', 'accrual_rate × eligible sell-in of the program period to the as-of date'],
  ['approved', 'approved amounts of claims decided by the as-of date, same program, partner and period'],
  ['paid', 'what payments paid by the as-of date (and not reversed by then) paid'],
  ['accrued', 'max(earned, approved)'],
  ['liability', 'accrued − paid = max(earned − approved, 0) + (approved − paid)'],
].map(([measure, method]) => ({ measure, method }));

/** A program type (or a measure) in words. */
const typeWords = (type: string) =>
  programTypeLabels[type as keyof typeof programTypeLabels] ?? headerWords(type);

export const accrualsFileName = (asOf: string, ext: 'csv' | 'xlsx') => `accruals-${asOf}.${ext}`;

/** The finance workbook: Accruals (every row), By program, Method. */
export async function renderAccrualsXlsx(
  report: AccrualReport,
): Promise<{ fileName: string; content: Buffer }> {
  const inWords = <T extends { program_type: string }>(rows: readonly T[]) =>
    rows.map((r) => ({ ...r, program_type: typeWords(r.program_type) }));
  const content = await writeXlsx(
    [
      { name: 'Accruals', columns: accrualColumns, rows: inWords(report.rows) },
      { name: 'By program', columns: programColumns, rows: inWords(report.programs) },
      {
        name: 'Method',
        columns: [
          { key: 'measure', header: 'measure' },
          { key: 'method', header: `method (as of ${report.as_of})`, label: 'Method' },
        ],
        rows: methodRows.map((r) => ({ ...r, measure: typeWords(r.measure ?? '') })),
      },
    ],
    { title: 'Accruals', period: `As of ${report.as_of}` },
  );
  return { fileName: accrualsFileName(report.as_of, 'xlsx'), content };
}

export function renderAccrualsCsv(report: AccrualReport): { fileName: string; content: string } {
  return { fileName: accrualsFileName(report.as_of, 'csv'), content: toCsv(accrualColumns, report.rows) };
}

export async function accrualsXlsx(
  db: Db,
  q: AccrualQuery = {},
): Promise<{ fileName: string; content: Buffer }> {
  return renderAccrualsXlsx(await accruals(db, q));
}

export async function accrualsCsv(
  db: Db,
  q: AccrualQuery = {},
): Promise<{ fileName: string; content: string }> {
  return renderAccrualsCsv(await accruals(db, q));
}

/** For the CLI: XLSX or CSV by the file's extension. */
export function exportFormatOf(file: string): 'csv' | 'xlsx' {
  const lower = file.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.csv')) return 'csv';
  throw new AppError('bad_request', `--out ${file}: the file name must end in .csv or .xlsx.`);
}
