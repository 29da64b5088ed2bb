/**
 * The evidence every claim line is validated against, gathered set-based in one query: the claim header
 * and partner, the program version in force, the deal, the end customer, the sell-out lines the line may
 * match, what the partner had bought by the sale date, the price drop and protected stock, and the company's
 * own period calculation inputs. The ordered pass (ledger.ts) then only adds what earlier lines consumed.
 */

/** One claim line with its evidence, as the input query returns it (numeric values as strings). */
export interface LineInput {
  account_id: string;
  claim_id: string;
  line_no: number;
  submitted_date: string;
  claim_currency: string;
  claim_status: string;
  program_id: string;
  partner_country: string | null;
  /** The program version in force, or null when the program is unknown or not in force. */
  program_version: number | null;
  program_type: string | null;
  program_currency: string | null;
  program_start: string | null;
  program_end: string | null;
  claim_window_days: number | null;
  budget: string | null;
  terms: ProgramTermsRow | null;
  enrolled: boolean;
  documents: string[];
  sku: string | null;
  qty: number | null;
  claimed_unit_amount: string | null;
  claimed_amount: string;
  sale_date: string | null;
  end_customer_id: string | null;
  deal_id: string | null;
  sell_out_ref: string | null;
  serial_numbers: string[] | null;
  period_start: string | null;
  period_end: string | null;
  product_category: string | null;
  deal: DealRow | null;
  end_customer_country: string | null;
  /** Candidate sell-out lines: the referenced one, or those of the same SKU, date and end customer by ref. */
  sell_out: SellOutRow[];
  /** Units bought (sell-in by invoice date plus opening balances) on or before the sale date. */
  bought_at_sale: string;
  /** The price decrease effective on the sale date in the partner's country, if any. */
  drop_old_price: string | null;
  drop_new_price: string | null;
  snapshot_on_drop: string | null;
  sell_in_in_window: string;
  /** Period programs: eligible sell-in in the claimed period and in the baseline, units and revenue. */
  period_units: string | null;
  period_revenue: string | null;
  baseline_units: string | null;
  baseline_revenue: string | null;
  /** mdf: eligible sell-in revenue of the whole program period. */
  program_period_revenue: string | null;
  /** Decided claims keep their decision: these are their stored results. */
  stored_status: string | null;
  stored_approved_qty: number | null;
  stored_approved_unit_amount: string | null;
  stored_approved_amount: string | null;
  /** Analysts' resolutions of this line's findings: rule code → resolution. */
  resolutions: Record<string, string> | null;
  /** The amount an analyst adjusted the line to (the smallest, if several findings were adjusted). */
  adjusted_amount?: string | null;
}

export interface ProgramTermsRow {
  eligible_skus?: string[];
  eligible_categories?: string[];
  end_customer_countries?: string[];
  per_unit_amount?: string;
  percent_of_sell_out?: string;
  accrual_rate?: string;
  basis?: 'units' | 'revenue';
  tiers?: { from: string; rate: string }[];
  retroactive?: boolean;
  baseline?: { start_date: string; end_date: string };
  protection_window_days?: string | number;
  required_documents?: string[];
}

export interface DealRow {
  deal_id: string;
  account_id: string;
  program_id: string;
  sku: string;
  end_customer_id: string | null;
  authorized_unit_amount: string;
  max_qty: number;
  start_date: string;
  end_date: string;
}

export interface SellOutRow {
  sell_out_ref: string;
  qty: number;
  unit_price: string | null;
  serial_numbers: string[] | null;
}

/** The terms of every program version in force, fetched once per run rather than with every line. */
export const programTermsQuery = `select v.program_id, v.terms from programs p
  join program_versions v on v.program_id = p.program_id and v.version = p.active_version`;

/** The candidate sell-out lines of an input row: the referenced one, or the aggregated candidates. */
export function sellOutOf(row: Record<string, unknown>): SellOutRow[] {
  if (row.ref_found !== null && row.ref_found !== undefined) {
    return [
      {
        sell_out_ref: row.ref_found as string,
        qty: row.ref_qty as number,
        unit_price: (row.ref_unit_price as string | null) ?? null,
        serial_numbers: (row.ref_serial_numbers as string[] | null) ?? null,
      },
    ];
  }
  return (row.sell_out as SellOutRow[] | null) ?? [];
}

/** The deal columns of an input row, as the object the ledger reads. */
export function dealOf(row: Record<string, unknown>): DealRow | null {
  if (row.deal_found === null || row.deal_found === undefined) return null;
  return {
    deal_id: row.deal_found as string,
    account_id: row.deal_account_id as string,
    program_id: row.deal_program_id as string,
    sku: row.deal_sku as string,
    end_customer_id: (row.deal_end_customer_id as string | null) ?? null,
    authorized_unit_amount: row.deal_authorized_unit_amount as string,
    max_qty: row.deal_max_qty as number,
    start_date: row.deal_start_date as string,
    end_date: row.deal_end_date as string,
  };
}

/** Claims whose decision is taken keep it; the ledger replays their consumption as decided. */
export const decidedStatuses = ['approved', 'partially_approved', 'rejected', 'in_payment', 'paid', 'closed'];

const eligible = (skuExpr: string, categoryExpr: string) => `(
  (v.terms->'eligible_skus' is null and v.terms->'eligible_categories' is null)
  or ${skuExpr} in (select jsonb_array_elements_text(v.terms->'eligible_skus'))
  or ${categoryExpr} in (select jsonb_array_elements_text(v.terms->'eligible_categories')))`;

/**
 * Every non-draft claim line in processing order (submitted_date, claim_id, line_no) with its evidence.
 * Identifiers sort by their characters (collation "C"), so the order is the same whatever the database's
 * locale. Decided claims come first: their results stand, so what they consumed is taken before any open
 * claim is evaluated (a claim loaded later with an earlier date cannot take a paid claim's units). Run as a
 * cursor; memory stays flat.
 */
export const lineInputsQuery = `
with lines as (
  select c.account_id, c.claim_id, l.line_no, c.submitted_date, c.currency as claim_currency,
    c.status as claim_status, c.program_id, a.country as partner_country,
    l.sku, l.qty, l.claimed_unit_amount, l.claimed_amount, l.sale_date, l.end_customer_id, l.deal_id,
    l.sell_out_ref, l.serial_numbers, l.period_start, l.period_end,
    l.status as stored_status, l.approved_qty as stored_approved_qty,
    l.approved_unit_amount as stored_approved_unit_amount, l.approved_amount as stored_approved_amount
  from claims c
  join claim_lines l on l.account_id = c.account_id and l.claim_id = c.claim_id
  left join accounts a on a.account_id = c.account_id
  where c.status <> 'draft'
),
-- Analysts' resolutions are few: gathered once rather than looked up for every line.
resolved as (
  select account_id, claim_id, line_no, jsonb_object_agg(rule_code, resolution) as resolutions,
    min(adjusted_amount)::text as adjusted_amount
  from claim_findings where resolution is not null group by account_id, claim_id, line_no
),
-- Lines without a reference may match several sell-out lines (same SKU, date and end customer); lines with
-- one match at most one, joined directly below.
matches as (
  select l.claim_id, l.line_no,
    jsonb_agg(jsonb_build_object('sell_out_ref', so.sell_out_ref, 'qty', so.qty, 'unit_price', so.unit_price::text,
      'serial_numbers', so.serial_numbers) order by so.sell_out_ref collate "C") as sell_out
  from lines l join sell_out so on so.account_id = l.account_id and so.sku = l.sku and so.sale_date = l.sale_date
    and coalesce(so.end_customer_id, '') = coalesce(l.end_customer_id, '')
  where l.sell_out_ref is null and l.sku is not null and l.sale_date is not null
  group by l.claim_id, l.line_no
)
select l.account_id, l.claim_id, l.line_no, l.submitted_date, l.claim_currency, l.claim_status, l.program_id,
  l.partner_country,
  v.version as program_version, v.type as program_type, v.currency as program_currency,
  v.start_date as program_start, v.end_date as program_end, v.claim_window_days, v.budget::text as budget,
  coalesce(
    exists (select 1 from program_partners pp where pp.program_id = v.program_id and pp.version = v.version
            and pp.account_id = l.account_id)
    or (not exists (select 1 from program_partners pp where pp.program_id = v.program_id and pp.version = v.version)
        and v.country = l.partner_country),
    false) as enrolled,
  case when v.terms ? 'required_documents' then
    coalesce((select array_agg(distinct t) from (
                select d.document_type as t from claim_documents d
                where d.account_id = l.account_id and d.claim_id = l.claim_id
                union all
                select doc.document_type from document_links dl2
                join documents doc on doc.account_id = dl2.account_id and doc.document_id = dl2.document_id
                where dl2.account_id = l.account_id and dl2.entity_type = 'claim' and dl2.entity_id = l.claim_id
                  and doc.document_type is not null) types), '{}')
  else '{}' end as documents,
  l.sku, l.qty, l.claimed_unit_amount::text as claimed_unit_amount, l.claimed_amount::text as claimed_amount,
  l.sale_date, l.end_customer_id, l.deal_id, l.sell_out_ref, l.serial_numbers, l.period_start, l.period_end,
  pr.category as product_category,
  dl.deal_id as deal_found, dl.account_id as deal_account_id, dl.program_id as deal_program_id, dl.sku as deal_sku,
  dl.end_customer_id as deal_end_customer_id, dl.authorized_unit_amount::text as deal_authorized_unit_amount,
  dl.max_qty as deal_max_qty, dl.start_date as deal_start_date, dl.end_date as deal_end_date,
  ec.country as end_customer_country,
  m.sell_out,
  ref.sell_out_ref as ref_found, ref.qty as ref_qty, ref.unit_price::text as ref_unit_price,
  ref.serial_numbers as ref_serial_numbers,
  (coalesce((select sum(si.qty) from sell_in si where si.account_id = l.account_id and si.sku = l.sku
              and si.invoice_date <= l.sale_date), 0)
   + coalesce((select sum(ir.on_hand_qty) from inventory_reports ir where ir.account_id = l.account_id
              and ir.sku = l.sku and ir.kind = 'opening' and ir.as_of_date <= l.sale_date), 0))::text as bought_at_sale,
  drop.old_price::text as drop_old_price, drop.new_price::text as drop_new_price,
  case when v.type = 'price_protection' then
    (select ir.on_hand_qty from inventory_reports ir where ir.account_id = l.account_id and ir.sku = l.sku
       and ir.kind = 'snapshot' and ir.as_of_date = l.sale_date)::text
  end as snapshot_on_drop,
  case when v.type = 'price_protection' then
    coalesce((select sum(si.qty) from sell_in si where si.account_id = l.account_id and si.sku = l.sku
      and si.invoice_date >= l.sale_date - coalesce((v.terms->>'protection_window_days')::int, 0)
      and si.invoice_date < l.sale_date), 0)::text
  else '0' end as sell_in_in_window,
  per.units::text as period_units, per.revenue::text as period_revenue,
  base.units::text as baseline_units, base.revenue::text as baseline_revenue,
  whole.revenue::text as program_period_revenue,
  l.stored_status, l.stored_approved_qty, l.stored_approved_unit_amount::text as stored_approved_unit_amount,
  l.stored_approved_amount::text as stored_approved_amount,
  res.resolutions, res.adjusted_amount
from lines l
left join programs p on p.program_id = l.program_id
left join program_versions v on v.program_id = p.program_id and v.version = p.active_version
left join products pr on pr.sku = l.sku
left join known_end_customers() ec on ec.end_customer_id = l.end_customer_id
left join deals dl on dl.deal_id = l.deal_id
left join matches m on m.claim_id = l.claim_id and m.line_no = l.line_no
left join sell_out ref on ref.account_id = l.account_id and ref.sell_out_ref = l.sell_out_ref
left join resolved res on res.account_id = l.account_id and res.claim_id = l.claim_id and res.line_no = l.line_no
left join lateral (
  select pc.old_price, pc.new_price from price_changes pc
  where v.type = 'price_protection' and pc.sku = l.sku and pc.country = l.partner_country
    and pc.effective_date = l.sale_date and pc.new_price < pc.old_price
  order by (pc.currency = v.currency) desc limit 1
) drop on true
left join lateral (
  select sum(si.qty) as units, sum(si.qty * si.unit_price) as revenue
  from sell_in si left join products sp on sp.sku = si.sku
  where v.type in ('volume_tier', 'growth', 'mdf') and l.period_start is not null
    and si.account_id = l.account_id and si.currency = v.currency
    and si.invoice_date between l.period_start and l.period_end
    and ${eligible('si.sku', 'sp.category')}
) per on true
left join lateral (
  select sum(si.qty) as units, sum(si.qty * si.unit_price) as revenue
  from sell_in si left join products sp on sp.sku = si.sku
  where v.type = 'growth' and si.account_id = l.account_id and si.currency = v.currency
    and si.invoice_date between (v.terms->'baseline'->>'start_date')::date and (v.terms->'baseline'->>'end_date')::date
    and ${eligible('si.sku', 'sp.category')}
) base on true
left join lateral (
  select sum(si.qty * si.unit_price) as revenue
  from sell_in si left join products sp on sp.sku = si.sku
  where v.type = 'mdf' and si.account_id = l.account_id and si.currency = v.currency
    and si.invoice_date between v.start_date and v.end_date
    and ${eligible('si.sku', 'sp.category')}
) whole on true
order by l.claim_status in ('approved', 'partially_approved', 'rejected', 'in_payment', 'paid', 'closed') desc,
  l.submitted_date, l.claim_id collate "C", l.line_no`;
