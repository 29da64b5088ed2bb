/**
 * The evidence every claim line is validated against, gathered set-based in one query and streamed to the
 * ledger with `COPY … TO STDOUT` in processing order: the claim header and partner, the deal, the end
 * customer, the sell-out lines the line may match, what the partner had bought by the sale date, the price
 * drop and protected stock, and the company's own period calculation inputs. What every line of a program
 * shares (its version in force, terms, enrolled partners) is read once per run (`programsInForceQuery`).
 * The ordered pass (ledger.ts) then only adds what earlier lines consumed.
 */

/** One claim line with its evidence, as the ledger reads it (numeric values as strings). */
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
  /**
   * False when no later line can be affected by what this one credits to its sell-out line (nobody else
   * names it or could take it), so the ledger need not remember it. Absent: remember.
   */
  sell_out_shared?: boolean;
  /** False when the stock of the line's partner and SKU can never bind (see `boughtQuery`). Absent: it can. */
  stock_binds?: boolean;
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
  /** The line's stored result: decided claims keep it; for the others it tells whether a run changed it. */
  stored_status: string | null;
  stored_approved_qty: number | null;
  stored_approved_unit_amount: string | null;
  stored_approved_amount: string | null;
  stored_calculated_amount?: string | null;
  stored_matched_sell_out_ref?: string | null;
  /** The stored findings in the form of `findingsDigest`, to write only what a run changed. */
  stored_findings?: string | null;
  /** Analysts' resolutions of this line's findings: rule code → resolution. */
  resolutions: Record<string, string> | null;
  /** The amount an analyst adjusted the line to (the smallest, if several findings were adjusted). */
  adjusted_amount?: string | null;
  /** The claim's policy on its submitted date (RULES.md "Policies"): rule codes that do not run. */
  disabled_rules?: string[] | null;
  /** Days added to the program's claim window. */
  late_grace_days?: number | null;
  /** Document types required on top of the program's. */
  policy_documents?: string[] | null;
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

/** What every line of a program shares: the version in force, its terms and who is enrolled. */
export interface ProgramInForce {
  program_id: string;
  version: number;
  type: string;
  currency: string;
  start_date: string;
  end_date: string;
  claim_window_days: number | null;
  budget: string | null;
  country: string | null;
  terms: ProgramTermsRow;
  partners: string[];
}

/** The version in force of every program, with its enrolled partners, fetched once per run. */
export const programsInForceQuery = `select v.program_id, v.version, v.type, v.currency, v.start_date, v.end_date,
    v.claim_window_days, v.budget::text as budget, v.country, v.terms,
    coalesce((select array_agg(pp.account_id) from program_partners pp
              where pp.program_id = v.program_id and pp.version = v.version), '{}') as partners
  from programs p join program_versions v on v.program_id = p.program_id and v.version = p.active_version`;

/** Claims whose decision is taken keep it; the ledger replays their consumption as decided. */
export const decidedStatuses = ['approved', 'partially_approved', 'rejected', 'in_payment', 'paid', 'closed'];

/** Separates the items of a list column (serial numbers) and the parts of a findings digest. */
const unit = '\x1f';
const record = '\x1e';

/**
 * A line's findings as one comparable string (code, effect and detail, sorted by code): the stored one comes
 * from the query, the new one from the ledger, and only lines whose digest or result changed are written.
 */
export function findingsDigest(findings: readonly { rule_code: string; effect: string; detail: string }[]) {
  if (findings.length === 0) return null;
  return [...findings]
    .sort((a, b) => (a.rule_code < b.rule_code ? -1 : a.rule_code > b.rule_code ? 1 : 0))
    .map((f) => `${f.rule_code}${unit}${f.effect}${unit}${f.detail}`)
    .join(record);
}

const eligible = (skuExpr: string, categoryExpr: string) => `(
  (v.terms->'eligible_skus' is null and v.terms->'eligible_categories' is null)
  or ${skuExpr} in (select jsonb_array_elements_text(v.terms->'eligible_skus'))
  or ${categoryExpr} in (select jsonb_array_elements_text(v.terms->'eligible_categories')))`;

/**
 * A run may be scoped to some partners (a slice of a run spread over workers, `slices.ts`): each reader then
 * first fills the temporary table `val_scope` with their account ids, and every statement reads their rows only.
 */
export const scopeTable = 'create temp table val_scope (account_id text primary key) on commit drop';
const inScope = (scoped: boolean, column: string) =>
  scoped ? ` and ${column} in (select account_id from val_scope)` : '';

/**
 * The claims in the order they are validated, the same in every stream of a run: decided claims first (their
 * results stand, so what they consumed is taken before any open claim is evaluated: a claim loaded later with
 * an earlier date cannot take a paid claim's units), then `submitted_date` and `claim_id` by its characters
 * (collation "C", whatever the database's locale), then the partner's account id (two partners may use the
 * same claim id). `seq` numbers them, so that the streams sort their lines by two integers (`seq`,
 * `line_no`) rather than by dates and text. Every reader of a run makes this temporary table first, and
 * joins lines to it by account and claim id.
 */
export const claimsInOrderFor = (scoped: boolean) => `create temp table val_claims on commit drop as
  select account_id, claim_id, status, submitted_date, currency, program_id,
    row_number() over (order by status in (${decidedStatuses.map((d) => `'${d}'`).join(', ')}) desc, submitted_date,
      claim_id collate "C", account_id collate "C") as seq
  from claims where status <> 'draft'${inScope(scoped, 'account_id')}`;
export const claimsInOrder = claimsInOrderFor(false);

/**
 * The columns of the input stream, in order: a name for the parser and the SQL that produces it from the
 * line with its joined evidence (`l`). Lists are joined with the unit separator, JSON travels as text.
 */
const lineColumns = [
  ['account_id', 'c.account_id'],
  ['claim_id', 'c.claim_id'],
  ['line_no', 'l.line_no'],
  ['submitted_date', 'c.submitted_date'],
  ['claim_currency', 'c.currency'],
  ['claim_status', 'c.status'],
  ['program_id', 'c.program_id'],
  ['partner_country', 'a.country'],
  ['sku', 'l.sku'],
  ['qty', 'l.qty'],
  ['claimed_unit_amount', 'l.claimed_unit_amount'],
  ['claimed_amount', 'l.claimed_amount'],
  ['sale_date', 'l.sale_date'],
  ['end_customer_id', 'l.end_customer_id'],
  ['deal_id', 'l.deal_id'],
  ['sell_out_ref', 'l.sell_out_ref'],
  ['serial_numbers', `array_to_string(l.serial_numbers, E'${unit}')`],
  ['period_start', 'l.period_start'],
  ['period_end', 'l.period_end'],
  ['product_category', 'pr.category'],
  ['deal_found', 'dl.deal_id'],
  ['deal_account_id', 'dl.account_id'],
  ['deal_program_id', 'dl.program_id'],
  ['deal_sku', 'dl.sku'],
  ['deal_end_customer_id', 'dl.end_customer_id'],
  ['deal_authorized_unit_amount', 'dl.authorized_unit_amount'],
  ['deal_max_qty', 'dl.max_qty'],
  ['deal_start_date', 'dl.start_date'],
  ['deal_end_date', 'dl.end_date'],
  ['end_customer_country', 'ec.country'],
  ['stored_status', 'l.status'],
  ['stored_approved_qty', 'l.approved_qty'],
  ['stored_approved_unit_amount', 'l.approved_unit_amount'],
  ['stored_approved_amount', 'l.approved_amount'],
  ['stored_calculated_amount', 'l.calculated_amount'],
  ['stored_matched_sell_out_ref', 'l.matched_sell_out_ref'],
] as const;

/** Evidence that only some lines need, gathered for those lines alone and joined by claim and line. */
const sparseColumns = [
  ['sell_out_shared', 'l.sell_out_ref is null or sh.sell_out_ref is not null'],
  ['candidates', 'm.sell_out'],
  ['drop_old_price', 'pp.old_price'],
  ['drop_new_price', 'pp.new_price'],
  ['snapshot_on_drop', 'pp.snapshot'],
  ['sell_in_in_window', 'pp.in_window'],
  ['period_units', 'per.period_units'],
  ['period_revenue', 'per.period_revenue'],
  ['baseline_units', 'per.baseline_units'],
  ['baseline_revenue', 'per.baseline_revenue'],
  ['program_period_revenue', 'per.program_revenue'],
  ['documents', 'docs.types'],
  ['resolutions', 'res.resolutions'],
  ['adjusted_amount', 'res.adjusted_amount'],
  ['stored_findings', 'sf.digest'],
  ['disabled_rules', `array_to_string(pol.disabled_rules, E'${unit}')`],
  ['late_grace_days', 'pol.late_grace_days'],
  ['policy_documents', `array_to_string(pol.required_documents, E'${unit}')`],
] as const;

const columns = [...lineColumns.map(([name]) => [name, `l.${name}`] as const), ...sparseColumns];
type Column = (typeof columns)[number][0];
const at = Object.fromEntries(columns.map(([name], i) => [name, i])) as Record<Column, number>;

/** The lines (`l`) of claims (`c`) of some kinds of program, with the version in force (`v`). */
const linesOf = (types: string) => `claims c
  join programs p on p.program_id = c.program_id
  join program_versions v on v.program_id = p.program_id and v.version = p.active_version and v.type in (${types})
  join claim_line_inputs l on l.account_id = c.account_id and l.claim_id = c.claim_id`;

/**
 * Evidence that only some lines need (unreferenced, price-protection and period lines, documents, analysts'
 * resolutions, the stored findings), gathered first into temporary tables for those lines alone: the planner
 * then knows how few they are and joins them by hash.
 */
export const sparseEvidenceFor = (scoped: boolean) => [
  // Sell-out lines whose credits later lines may depend on: named by more than one line, or open to an
  // unreferenced line as a candidate. A sell-out line named once is credited once, and the ledger keeps
  // nothing for it (nor for the lines that name none: they always count).
  `create temp table val_shared on commit drop as
  select account_id, sell_out_ref from claim_line_inputs where sell_out_ref is not null${inScope(scoped, 'account_id')}
  group by account_id, sell_out_ref having count(*) > 1
  union
  select so.account_id, so.sell_out_ref from claim_line_inputs l
  join sell_out so on so.account_id = l.account_id and so.sku = l.sku and so.sale_date = l.sale_date
    and coalesce(so.end_customer_id, '') = coalesce(l.end_customer_id, '')
  where l.sell_out_ref is null and l.sku is not null and l.sale_date is not null${inScope(scoped, 'l.account_id')}`,
  // Lines without a reference may match several sell-out lines (same SKU, date and end customer).
  `create temp table val_matches on commit drop as
  select l.account_id, l.claim_id, l.line_no,
    jsonb_agg(jsonb_build_object('sell_out_ref', so.sell_out_ref, 'qty', so.qty, 'unit_price', so.unit_price::text,
      'serial_numbers', so.serial_numbers) order by so.sell_out_ref collate "C") as sell_out
  from claims c join claim_line_inputs l on l.account_id = c.account_id and l.claim_id = c.claim_id
  join sell_out so on so.account_id = l.account_id and so.sku = l.sku and so.sale_date = l.sale_date
    and coalesce(so.end_customer_id, '') = coalesce(l.end_customer_id, '')
  where c.status <> 'draft' and l.sell_out_ref is null and l.sku is not null and l.sale_date is not null${inScope(scoped, 'c.account_id')}
  group by l.account_id, l.claim_id, l.line_no`,
  // Price protection: the drop on the sale date, the snapshot that day, and the sell-in of the window before.
  `create temp table val_pp on commit drop as
  select l.account_id, l.claim_id, l.line_no, drop.old_price, drop.new_price,
    (select ir.on_hand_qty from inventory_reports ir where ir.account_id = l.account_id and ir.sku = l.sku
       and ir.kind = 'snapshot' and ir.as_of_date = l.sale_date) as snapshot,
    coalesce((select sum(si.qty) from sell_in si where si.account_id = l.account_id and si.sku = l.sku
      and si.invoice_date >= l.sale_date - coalesce((v.terms->>'protection_window_days')::int, 0)
      and si.invoice_date < l.sale_date), 0) as in_window
  from ${linesOf(`'price_protection'`)}
  left join accounts a on a.account_id = c.account_id
  left join lateral (
    select pc.old_price, pc.new_price from price_changes pc
    where pc.sku = l.sku and pc.country = a.country and pc.effective_date = l.sale_date and pc.new_price < pc.old_price
    order by (pc.currency = v.currency) desc limit 1
  ) drop on true
  where c.status <> 'draft'${inScope(scoped, 'c.account_id')}`,
  // Period programs: eligible sell-in in the claimed period, the baseline and the whole program period.
  `create temp table val_per on commit drop as
  select l.account_id, l.claim_id, l.line_no, per.units as period_units, per.revenue as period_revenue,
    base.units as baseline_units, base.revenue as baseline_revenue, whole.revenue as program_revenue
  from ${linesOf(`'volume_tier', 'growth', 'mdf'`)}
  left join lateral (
    select sum(si.qty) as units, sum(si.qty * si.unit_price) as revenue
    from sell_in si left join products sp on sp.sku = si.sku
    where l.period_start is not null and si.account_id = l.account_id and si.currency = v.currency
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
  where c.status <> 'draft'${inScope(scoped, 'c.account_id')}`,
  // Each claim's policy on its submitted date (RULES.md "Policies"), for the claims that have one.
  `create temp table val_policy on commit drop as
  select c.account_id, c.claim_id, pol.disabled_rules, pol.late_grace_days, pol.required_documents
  from val_claims c cross join lateral clearhouse_policy(c.account_id, c.submitted_date) pol
  where exists (select 1 from policies)
    and (pol.disabled_rules is not null or pol.late_grace_days is not null or pol.required_documents is not null)`,
  // Document types attached to claims of programs (or policies) that require documents.
  `create temp table val_docs on commit drop as
  select c.account_id, c.claim_id, string_agg(distinct t.document_type, E'${unit}') as types
  from claims c
  join programs p on p.program_id = c.program_id
  join program_versions v on v.program_id = p.program_id and v.version = p.active_version
  join lateral (
    select d.document_type from claim_documents d where d.account_id = c.account_id and d.claim_id = c.claim_id
    union all
    select doc.document_type from document_links dl2
    join documents doc on doc.account_id = dl2.account_id and doc.document_id = dl2.document_id
    where dl2.account_id = c.account_id and dl2.entity_type = 'claim' and dl2.entity_id = c.claim_id
      and doc.document_type is not null
  ) t on true
  where c.status <> 'draft'${inScope(scoped, 'c.account_id')}
    and (v.terms ? 'required_documents' or exists (select 1 from val_policy pol
      where pol.account_id = c.account_id and pol.claim_id = c.claim_id and pol.required_documents is not null))
  group by c.account_id, c.claim_id`,
  // Analysts' resolutions and the stored findings are few: gathered once rather than looked up per line.
  `create temp table val_res on commit drop as
  select account_id, claim_id, line_no, jsonb_object_agg(rule_code, resolution) as resolutions,
    min(adjusted_amount) as adjusted_amount
  from claim_findings where resolution is not null${inScope(scoped, 'account_id')}
  group by account_id, claim_id, line_no`,
  `create temp table val_sf on commit drop as
  select account_id, claim_id, line_no,
    string_agg(rule_code || E'${unit}' || effect || E'${unit}' || detail, E'${record}' order by rule_code collate "C") as digest
  from claim_findings where true${inScope(scoped, 'account_id')} group by account_id, claim_id, line_no`,
];
export const sparseEvidence = sparseEvidenceFor(false);

/**
 * Every non-draft claim line in processing order with its evidence, for `COPY (…) TO STDOUT` after
 * `sparseEvidence` has run; `referencedSellOutQuery` and `boughtQuery` stream beside it.
 */
export const lineInputsQuery = `
with lines as (
  select c.seq, ${lineColumns.map(([name, sql]) => `${sql} as ${name}`).join(',\n    ')}
  from val_claims c
  join claim_lines l on l.account_id = c.account_id and l.claim_id = c.claim_id
  left join accounts a on a.account_id = c.account_id
  left join products pr on pr.sku = l.sku
  left join known_end_customers() ec on ec.end_customer_id = l.end_customer_id
  left join deals dl on dl.deal_id = l.deal_id
)
select ${columns.map(([, sql]) => sql).join(', ')}
from lines l
left join val_shared sh on sh.account_id = l.account_id and sh.sell_out_ref = l.sell_out_ref
left join val_matches m on m.account_id = l.account_id and m.claim_id = l.claim_id and m.line_no = l.line_no
left join val_pp pp on pp.account_id = l.account_id and pp.claim_id = l.claim_id and pp.line_no = l.line_no
left join val_per per on per.account_id = l.account_id and per.claim_id = l.claim_id and per.line_no = l.line_no
left join val_docs docs on docs.account_id = l.account_id and docs.claim_id = l.claim_id
left join val_res res on res.account_id = l.account_id and res.claim_id = l.claim_id and res.line_no = l.line_no
left join val_sf sf on sf.account_id = l.account_id and sf.claim_id = l.claim_id and sf.line_no = l.line_no
left join val_policy pol on pol.account_id = l.account_id and pol.claim_id = l.claim_id
order by l.seq, l.line_no`;

/**
 * Beside the lines, in the same order and one row per line, the sell-out line each line names: a join of
 * narrow rows with the largest table, run on a connection of its own.
 */
export const referencedSellOutQuery = `
select l.claim_id, l.line_no, so.sell_out_ref, so.qty, so.unit_price, array_to_string(so.serial_numbers, E'${unit}')
from val_claims c
join claim_line_inputs l on l.account_id = c.account_id and l.claim_id = c.claim_id
left join sell_out so on so.account_id = l.account_id and so.sell_out_ref = l.sell_out_ref
order by c.seq, l.line_no`;

/**
 * Beside the lines, in the same order and one row per line, the units bought by each line's sale date, in
 * one ordered pass rather than a lookup per line: the claim lines are merged with the sell-in and opening
 * balances of each partner and SKU by date, and a running sum gives every line its figure (sell-in and
 * openings of a day count for a sale on that day). The partition key starts with a hash of partner and SKU
 * so that the sort compares integers, and carries both so that it stays exact. Only the sell-in and openings
 * of the partners' SKUs that some line claims are read (no other movement reaches a line). The last column
 * says whether
 * the stock of the line's partner and SKU can bind at all: when every unit ever claimed for it fits in what
 * was bought by its earliest sale, no credit can exceed what was bought, and the ledger keeps no credits.
 */
export const boughtQueryFor = (scoped: boolean) => `
with claimed as materialized (
  select distinct l.account_id, l.sku from val_claims c
  join claim_line_inputs l on l.account_id = c.account_id and l.claim_id = c.claim_id
  where l.sku is not null
)
select claim_id, line_no, bought, binds from (
select seq, claim_id, line_no, bought,
  coalesce(sum(claimed) over stock > min(bought) filter (where seq is not null) over stock, true) as binds
from (
  select h, account_id, sku, seq, claim_id, line_no, claimed,
    sum(q) over (partition by h, account_id, sku order by d, o rows unbounded preceding) as bought
  from (
    select hashtextextended(l.account_id, hashtextextended(coalesce(l.sku, ''), 0)) as h, l.account_id, l.sku,
      l.sale_date as d, 1 as o, 0::bigint as q, coalesce(l.qty, 0) as claimed, c.seq, l.claim_id, l.line_no
    from val_claims c join claim_line_inputs l on l.account_id = c.account_id and l.claim_id = c.claim_id
    union all
    select hashtextextended(si.account_id, hashtextextended(si.sku, 0)), si.account_id, si.sku, si.invoice_date, 0,
      si.qty, 0, null, null, null
    from sell_in si where (si.account_id, si.sku) in (select account_id, sku from claimed)${inScope(scoped, 'si.account_id')}
    union all
    select hashtextextended(ir.account_id, hashtextextended(ir.sku, 0)), ir.account_id, ir.sku, ir.as_of_date, 0,
      ir.on_hand_qty, 0, null, null, null
    from inventory_reports ir where ir.kind = 'opening' and (ir.account_id, ir.sku) in (select account_id, sku from claimed)${inScope(scoped, 'ir.account_id')}
  ) movements
) running
window stock as (partition by h, account_id, sku)
) lines
where seq is not null
order by seq, line_no`;
export const boughtQuery = boughtQueryFor(false);

/** A field of COPY's text format: `\N` is null, backslash sequences stand for special characters. */
function field(raw: string | undefined): string | null {
  if (raw === undefined || raw === '\\N') return null;
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\(.)/g, (_, c: string) => {
    switch (c) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      default:
        return c;
    }
  });
}

const list = (raw: string | null): string[] | null => (raw === null || raw === '' ? null : raw.split(unit));
const int = (raw: string | null): number | null => (raw === null ? null : Number(raw));

/** The rows of one line in the three streams of a run: the line, its referenced sell-out line, bought. */
export interface StreamedLine {
  line: string;
  sellOut: string;
  bought: string;
}

/**
 * One line of the input streams as the ledger's LineInput, with what its program shares filled in from the
 * programs in force. The three rows must be of the same line: anything else is a fault of the run.
 */
export function parseLine(rows: StreamedLine, programs: ReadonlyMap<string, ProgramInForce>): LineInput {
  const f = rows.line.split('\t');
  const ref = rows.sellOut.split('\t');
  const bought = rows.bought.split('\t');
  if (ref[0] !== f[at.claim_id] || ref[1] !== f[at.line_no] || bought[0] !== ref[0] || bought[1] !== ref[1]) {
    throw new Error(`validation streams out of step at ${f[at.claim_id]}/${f[at.line_no]}`);
  }
  const accountId = field(f[at.account_id])!;
  const programId = field(f[at.program_id])!;
  const partnerCountry = field(f[at.partner_country]);
  const program = programs.get(programId);
  const refFound = field(ref[2]);
  const candidates = field(f[at.candidates]);
  const dealFound = field(f[at.deal_found]);
  const resolutions = field(f[at.resolutions]);
  return {
    account_id: accountId,
    claim_id: field(f[at.claim_id])!,
    line_no: Number(field(f[at.line_no])),
    submitted_date: field(f[at.submitted_date])!,
    claim_currency: field(f[at.claim_currency])!,
    claim_status: field(f[at.claim_status])!,
    program_id: programId,
    partner_country: partnerCountry,
    program_version: program?.version ?? null,
    program_type: program?.type ?? null,
    program_currency: program?.currency ?? null,
    program_start: program?.start_date ?? null,
    program_end: program?.end_date ?? null,
    claim_window_days: program?.claim_window_days ?? null,
    budget: program?.budget ?? null,
    terms: program?.terms ?? null,
    enrolled:
      program !== undefined &&
      (program.partners.length > 0
        ? program.partners.includes(accountId)
        : program.country !== null && program.country === partnerCountry),
    documents: list(field(f[at.documents])) ?? [],
    sku: field(f[at.sku]),
    qty: int(field(f[at.qty])),
    claimed_unit_amount: field(f[at.claimed_unit_amount]),
    claimed_amount: field(f[at.claimed_amount])!,
    sale_date: field(f[at.sale_date]),
    end_customer_id: field(f[at.end_customer_id]),
    deal_id: field(f[at.deal_id]),
    sell_out_ref: field(f[at.sell_out_ref]),
    serial_numbers: list(field(f[at.serial_numbers])),
    period_start: field(f[at.period_start]),
    period_end: field(f[at.period_end]),
    product_category: field(f[at.product_category]),
    deal:
      dealFound === null
        ? null
        : {
            deal_id: dealFound,
            account_id: field(f[at.deal_account_id])!,
            program_id: field(f[at.deal_program_id])!,
            sku: field(f[at.deal_sku])!,
            end_customer_id: field(f[at.deal_end_customer_id]),
            authorized_unit_amount: field(f[at.deal_authorized_unit_amount])!,
            max_qty: Number(field(f[at.deal_max_qty])),
            start_date: field(f[at.deal_start_date])!,
            end_date: field(f[at.deal_end_date])!,
          },
    end_customer_country: field(f[at.end_customer_country]),
    sell_out:
      refFound !== null
        ? [
            {
              sell_out_ref: refFound,
              qty: Number(ref[3]),
              unit_price: field(ref[4]),
              serial_numbers: list(field(ref[5])),
            },
          ]
        : candidates === null
          ? []
          : (JSON.parse(candidates) as SellOutRow[]),
    bought_at_sale: field(bought[2]) ?? '0',
    sell_out_shared: f[at.sell_out_shared] !== 'f',
    stock_binds: bought[3] !== 'f',
    drop_old_price: field(f[at.drop_old_price]),
    drop_new_price: field(f[at.drop_new_price]),
    snapshot_on_drop: field(f[at.snapshot_on_drop]),
    sell_in_in_window: field(f[at.sell_in_in_window]) ?? '0',
    period_units: field(f[at.period_units]),
    period_revenue: field(f[at.period_revenue]),
    baseline_units: field(f[at.baseline_units]),
    baseline_revenue: field(f[at.baseline_revenue]),
    program_period_revenue: field(f[at.program_period_revenue]),
    stored_status: field(f[at.stored_status]),
    stored_approved_qty: int(field(f[at.stored_approved_qty])),
    stored_approved_unit_amount: field(f[at.stored_approved_unit_amount]),
    stored_approved_amount: field(f[at.stored_approved_amount]),
    stored_calculated_amount: field(f[at.stored_calculated_amount]),
    stored_matched_sell_out_ref: field(f[at.stored_matched_sell_out_ref]),
    stored_findings: field(f[at.stored_findings]),
    resolutions: resolutions === null ? null : (JSON.parse(resolutions) as Record<string, string>),
    adjusted_amount: field(f[at.adjusted_amount]),
    disabled_rules: list(field(f[at.disabled_rules])),
    late_grace_days: int(field(f[at.late_grace_days])),
    policy_documents: list(field(f[at.policy_documents])),
  };
}
