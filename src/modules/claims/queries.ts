/**
 * Reading claims: the queue (claims with their totals) and one claim with its lines, each line's result and
 * findings, its documents and the reconciliation of claimed, calculated and approved amounts. Row security
 * limits partner users to their organisation's claims, so another organisation's claim does not exist here.
 */
import { Money, minorUnits } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { keptRead, scopeKey } from '../../db/kept-answers.ts';
import { dealConsumption, programConsumption } from '../contracts/index.ts';
import { isPartner } from '../identity/index.ts';
import { listEntityAudit } from '../platform/index.ts';
import { type ClaimLogItem, claimLogItem } from './claim-log.ts';
import { type ClaimKey, type ClaimRef, claimNotFound, findClaim } from './claim-ref.ts';
import { unitAmountSql } from './exports.ts';
import { overrideNeedsApprovalSql } from './overrides.ts';
import { appliedPolicy } from './policies.ts';
import { overrideDocumentRules } from './resolve.ts';
import { x12RejectReason } from './x12.ts';

export const claimStatuses = [
  'draft',
  'submitted',
  'validated',
  'in_review',
  'approved',
  'partially_approved',
  'rejected',
  'in_payment',
  'paid',
  'closed',
] as const;
export type ClaimStatus = (typeof claimStatuses)[number];

export interface ClaimListQuery {
  status?: ClaimStatus | undefined;
  account_id?: string | undefined;
  program_id?: string | undefined;
  /** Part of the claim id, the partner's name or account id, or the program id. */
  q?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface LineCounts {
  approved: number;
  adjusted: number;
  review: number;
  rejected: number;
  pending: number;
}

export interface ClaimListItem {
  claim_id: string;
  account_id: string;
  partner_name: string | null;
  program_id: string;
  program_name: string | null;
  program_type: string | null;
  submitted_date: string;
  currency: string;
  status: ClaimStatus;
  version: number;
  source: string;
  urgent: boolean;
  validated_at: string | null;
  decided_at: string | null;
  decided_by: string | null;
  lines: number;
  claimed_amount: string;
  calculated_amount: string | null;
  approved_amount: string | null;
  line_counts: LineCounts;
  rule_codes: string[];
  open_findings: number;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : ((v as string | null) ?? null));

/**
 * A claim's totals from its lines (`lines`, `claimed_amount`, `calculated_amount`, `approved_amount` once
 * every line has a result, and the lines per result `n_approved` … `n_pending`), for a lateral join on the
 * claim `alias`. The lines and their results are summed apart, each through its own primary key (account,
 * claim), rather than through the `claim_lines` view, whose join the planner may make line by line against
 * every result of the claim.
 */
export const claimTotalsSql = (alias: string): string => `
    select li.lines, li.claimed_amount, lr.calculated_amount,
      case when lr.results = li.lines then lr.approved_amount end as approved_amount,
      lr.n_approved, lr.n_adjusted, lr.n_review, lr.n_rejected, li.lines - lr.results as n_pending
    from (select count(*)::int as lines, coalesce(sum(i.claimed_amount), 0) as claimed_amount
          from claim_line_inputs i where i.account_id = ${alias}.account_id and i.claim_id = ${alias}.claim_id) li,
      (select count(*)::int as results, sum(r.calculated_amount) as calculated_amount,
         sum(r.approved_amount) as approved_amount,
         (count(*) filter (where r.status = 'approved'))::int as n_approved,
         (count(*) filter (where r.status = 'adjusted'))::int as n_adjusted,
         (count(*) filter (where r.status = 'review'))::int as n_review,
         (count(*) filter (where r.status = 'rejected'))::int as n_rejected
       from claim_line_results r where r.account_id = ${alias}.account_id and r.claim_id = ${alias}.claim_id) lr
  `;

/** A claim with its totals, line counts and rule codes, from `claims c` (shared with the queue). */
export const claimSelect = `
  select c.claim_id, c.account_id, a.name as partner_name, c.program_id, p.name as program_name,
    p.type as program_type, c.submitted_date, c.currency, c.status, c.version, c.source, c.urgent,
    c.program_version, c.validated_at, c.decided_at, c.decided_by, c.created_at, c.updated_at,
    t.lines, t.claimed_amount::text as claimed_amount, t.calculated_amount::text as calculated_amount,
    t.approved_amount::text as approved_amount,
    jsonb_build_object('approved', t.n_approved, 'adjusted', t.n_adjusted, 'review', t.n_review,
      'rejected', t.n_rejected, 'pending', t.n_pending) as line_counts,
    coalesce((select array_agg(distinct f.rule_code order by f.rule_code) from claim_findings f
              where f.account_id = c.account_id and f.claim_id = c.claim_id), '{}') as rule_codes,
    (select count(*)::int from claim_findings f where f.account_id = c.account_id and f.claim_id = c.claim_id
       and f.effect = 'review' and f.resolution is null) as open_findings
  from claims c
  left join accounts a on a.account_id = c.account_id
  left join programs p on p.program_id = c.program_id
  cross join lateral (${claimTotalsSql('c')}) t`;

export function toItem(r: Record<string, unknown>): ClaimListItem {
  return {
    claim_id: r.claim_id as string,
    account_id: r.account_id as string,
    partner_name: (r.partner_name as string | null) ?? null,
    program_id: r.program_id as string,
    program_name: (r.program_name as string | null) ?? null,
    program_type: (r.program_type as string | null) ?? null,
    submitted_date: r.submitted_date as string,
    currency: r.currency as string,
    status: r.status as ClaimStatus,
    version: r.version as number,
    source: r.source as string,
    urgent: r.urgent as boolean,
    validated_at: iso(r.validated_at),
    decided_at: iso(r.decided_at),
    decided_by: (r.decided_by as string | null) ?? null,
    lines: r.lines as number,
    claimed_amount: r.claimed_amount as string,
    calculated_amount: (r.calculated_amount as string | null) ?? null,
    approved_amount: (r.approved_amount as string | null) ?? null,
    line_counts: r.line_counts as LineCounts,
    rule_codes: r.rule_codes as string[],
    open_findings: r.open_findings as number,
  };
}

/**
 * Claims, newest submitted first, with their totals. A server keeps the page it read and gives it again while
 * no claim has changed (`keptRead`).
 */
export async function listClaims(
  db: Db,
  q: ClaimListQuery = {},
): Promise<{ items: ClaimListItem[]; total: number }> {
  return keptRead(db, 'claim_changes', [scopeKey(db.actor), 'claims', q], (tx) => readClaims(tx, q));
}

async function readClaims(db: Db, q: ClaimListQuery): Promise<{ items: ClaimListItem[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replaceAll('$?', `$${params.length}`));
  };
  if (q.status) add('c.status = $?', q.status);
  if (q.account_id) add('c.account_id = $?', q.account_id);
  if (q.program_id) add('c.program_id = $?', q.program_id);
  if (q.q?.trim()) {
    add(
      `(c.claim_id ilike $? or c.account_id ilike $? or a.name ilike $? or c.program_id ilike $?)`,
      `%${q.q.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`,
    );
  }
  params.push(q.limit ?? 200, q.offset ?? 0);
  // The page is chosen on the claims alone (and counted there); only its claims get their totals.
  const filtered = `from claims c left join accounts a on a.account_id = c.account_id
    ${where.length > 0 ? `where ${where.join(' and ')}` : ''}`;
  const { rows } = await db.query(
    `with page as (
       select c.account_id, c.claim_id, c.submitted_date, c.created_at, count(*) over ()::int as total_count
       ${filtered}
       order by c.submitted_date desc, c.created_at desc, c.claim_id desc
       limit $${params.length - 1} offset $${params.length}
     )
     select x.*, page.total_count from (${claimSelect}
       where (c.account_id, c.claim_id) in (select account_id, claim_id from page)) x
     join page on page.account_id = x.account_id and page.claim_id = x.claim_id
     order by x.submitted_date desc, x.created_at desc, x.claim_id desc`,
    params,
  );
  let total = (rows[0]?.total_count as number | undefined) ?? 0;
  if (rows.length === 0 && (q.offset ?? 0) > 0) {
    const counted = await db.query<{ n: number }>(
      `select count(*)::int as n ${filtered}`,
      params.slice(0, -2),
    );
    total = counted.rows[0]?.n ?? 0;
  }
  return { items: rows.map(toItem), total };
}

export interface ClaimFinding {
  rule_code: string;
  effect: 'reject' | 'adjust' | 'review' | 'report';
  detail: string;
  evidence: Record<string, unknown>;
  resolution: 'accepted' | 'adjusted' | 'overridden' | null;
  resolution_reason: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  /** The amount an analyst adjusted the line to (resolution adjusted). */
  adjusted_amount: string | null;
  /** The document the resolution rests on. */
  resolution_document_id: string | null;
  /** The X12 849 reject reason (AAA03) that fits the finding (RULES.md), null when none does. */
  x12_reject_reason: string | null;
  /** Overriding or adjusting it must cite a document attached to the claim. */
  override_needs_document: boolean;
  /**
   * The override (or adjustment) needs an approver (the rule is on the list of the partner's country):
   * `pending` until one approves it, then `approved`; null when it needs none.
   */
  override_approval: 'pending' | 'approved' | null;
  override_approved_by: string | null;
  override_approved_at: string | null;
}

export interface ClaimLine {
  line_no: number;
  sku: string | null;
  qty: number | null;
  claimed_unit_amount: string | null;
  claimed_amount: string;
  sale_date: string | null;
  end_customer_id: string | null;
  deal_id: string | null;
  sell_out_ref: string | null;
  serial_numbers: string[];
  period_start: string | null;
  period_end: string | null;
  status: 'approved' | 'adjusted' | 'review' | 'rejected' | null;
  approved_qty: number | null;
  approved_unit_amount: string | null;
  approved_amount: string | null;
  calculated_amount: string | null;
  matched_sell_out_ref: string | null;
  variance: string | null;
  findings: ClaimFinding[];
  /** What the line was checked against, as it stands now: the deal, the matched sell-out line. */
  context: LineContext;
}

export interface LineContext {
  deal: {
    deal_id: string;
    account_id: string;
    program_id: string;
    sku: string;
    end_customer_id: string | null;
    authorized_unit_amount: string;
    currency: string;
    max_qty: number;
    used_qty: number;
    left_qty: number;
    start_date: string;
    end_date: string;
  } | null;
  sell_out: {
    sell_out_ref: string;
    sale_date: string;
    sku: string;
    qty: number;
    unit_price: string | null;
    currency: string | null;
    end_customer_id: string | null;
    partner_invoice_no: string | null;
    serial_numbers: string[];
    /** Units of it credited by consuming claim lines (this one included), and what is left. */
    credited_qty: number;
    left_qty: number;
  } | null;
  /** The partner's inventory position of the SKU can be charted (unit lines with a SKU). */
  position: { account_id: string; sku: string } | null;
}

export interface ClaimDetail {
  claim: ClaimListItem & { program_version: number | null; created_at: string; updated_at: string };
  lines: ClaimLine[];
  documents: {
    document_type: string;
    file_name: string;
    document_id: string | null;
    created_at: string;
  }[];
  /** The SLA clock of the claim today (business days of the partner's country). */
  sla: Pick<
    ClaimLogItem,
    'sla_state' | 'target_business_days' | 'due_date' | 'age_business_days' | 'business_days_left'
  > | null;
  /** The program's budget as claims have consumed it (null without a budget). */
  budget: { amount: string; used: string; left: string; currency: string } | null;
  /** The claim's payment by settlement (a reversed one is not counted): in payment, or paid on a date. */
  payment: {
    status: 'in_payment' | 'paid';
    amount: string;
    method: string;
    paid_on: string | null;
    /** The credit memo posted to the partner's receivables (credit memo payments). */
    document_id: string | null;
  } | null;
  /** What the partner's deductions settled of the claim (paid by deduction), reversed ones left out. */
  deductions: { deduction_id: string; amount: string; settled_on: string; document_id: string }[];
  /**
   * The policies its latest validation applied (RULES.md "Policies"): the country's and the account's in force
   * on the submitted date, and the fields in force (the account's over the country's). Null for partners.
   */
  policy: {
    country: { scope_id: string; effective_date: string } | null;
    account: { scope_id: string; effective_date: string } | null;
    disabled_rules: string[] | null;
    late_grace_days: number | null;
    required_documents: string[] | null;
    sla_business_days: number | null;
    payment_methods: string[] | null;
  } | null;
  reconciliation: {
    claimed_amount: string;
    calculated_amount: string | null;
    approved_amount: string | null;
    /** What settlement paid (null until paid). */
    paid_amount: string | null;
    variance: string | null;
    /** What each rule code took off the claim (claimed − approved of the lines it fired on, shared evenly). */
    by_rule_code: { rule_code: string; lines: number; variance: string }[];
  };
}

/** One claim with its lines, results, findings, documents and reconciliation. 404 when not visible. */
export async function getClaim(db: Db, key: ClaimKey): Promise<ClaimDetail> {
  return db.tx(async (tx) => {
    const ref = await findClaim(tx, key);
    const claimId = ref.claim_id;
    const head = await tx.query(`${claimSelect} where c.account_id = $1 and c.claim_id = $2`, [
      ref.account_id,
      claimId,
    ]);
    const row = head.rows[0];
    if (!row) throw claimNotFound(claimId);
    const accountId = row.account_id as string;
    const lines = await tx.query(
      `select l.line_no, l.sku, l.qty, ${unitAmountSql('l.claimed_unit_amount')} as claimed_unit_amount,
         l.claimed_amount::text as claimed_amount, l.sale_date, l.end_customer_id, l.deal_id, l.sell_out_ref,
         coalesce(l.serial_numbers, '{}') as serial_numbers, l.period_start, l.period_end, l.status,
         l.approved_qty, ${unitAmountSql('l.approved_unit_amount')} as approved_unit_amount,
         l.approved_amount::text as approved_amount, l.calculated_amount::text as calculated_amount,
         l.matched_sell_out_ref,
         case when l.approved_amount is not null then (l.claimed_amount - l.approved_amount)::text end as variance,
         coalesce((select jsonb_agg(jsonb_build_object('rule_code', f.rule_code, 'effect', f.effect,
             'detail', f.detail, 'evidence', f.evidence, 'resolution', f.resolution,
             'resolution_reason', f.resolution_reason, 'resolved_by', f.resolved_by,
             'resolved_at', f.resolved_at, 'adjusted_amount', f.adjusted_amount::text,
             'resolution_document_id', f.resolution_document_id,
             'override_approval', case when ${overrideNeedsApprovalSql('f')}
               then case when f.override_approved_at is null then 'pending' else 'approved' end end,
             'override_approved_by', f.override_approved_by, 'override_approved_at', f.override_approved_at)
             order by f.rule_code)
           from claim_findings f where f.account_id = l.account_id and f.claim_id = l.claim_id
             and f.line_no = l.line_no), '[]') as findings
       from claim_lines l where l.account_id = $1 and l.claim_id = $2 order by l.line_no`,
      [accountId, claimId],
    );
    const documents = await tx.query(
      `select document_type, file_name, document_id, created_at from claim_documents
       where account_id = $1 and claim_id = $2 order by document_type, file_name`,
      [accountId, claimId],
    );
    const byRule = await tx.query<{ rule_code: string; lines: number; variance: string }>(
      `with lv as (
         select l.line_no, l.claimed_amount - l.approved_amount as variance
         from claim_lines l where l.account_id = $1 and l.claim_id = $2 and l.approved_amount is not null
       ), fired as (
         select f.line_no, f.rule_code, count(*) over (partition by f.line_no) as n
         from claim_findings f
         where f.account_id = $1 and f.claim_id = $2 and f.effect in ('reject', 'adjust')
           and f.resolution is distinct from 'overridden'
       )
       select fired.rule_code, count(*)::int as lines, round(sum(lv.variance / fired.n), 2)::text as variance
       from fired join lv using (line_no) group by fired.rule_code order by fired.rule_code`,
      [accountId, claimId],
    );
    const contexts = await lineContexts(
      tx,
      accountId,
      lines.rows as {
        line_no: number;
        sku: string | null;
        deal_id: string | null;
        matched_sell_out_ref: string | null;
      }[],
    );
    // A partner sees its own claims only, so it could not be shown what the budget has left.
    const budget = isPartner(tx.actor.roles) ? null : await programBudget(tx, row.program_id as string);
    const paid = await tx.query<{
      status: string;
      amount: string;
      method: string;
      paid_on: string | null;
      document_id: string | null;
    }>(
      `select status, amount::text, method, paid_on, document_id from settlement_payments
       where account_id = $1 and claim_id = $2 and status <> 'reversed' order by created_at desc limit 1`,
      [accountId, claimId],
    );
    const p = paid.rows[0];
    const payment: ClaimDetail['payment'] = p
      ? {
          status: p.status === 'paid' ? 'paid' : 'in_payment',
          amount: p.amount,
          method: p.method,
          paid_on: p.paid_on,
          document_id: p.document_id,
        }
      : null;
    const deducted = await tx.query<ClaimDetail['deductions'][number]>(
      `select deduction_id, amount::text, settled_on::text, document_id from deduction_claims
       where account_id = $1 and claim_id = $2 and reversed_at is null order by settled_on, deduction_id`,
      [accountId, claimId],
    );
    const policy = isPartner(tx.actor.roles) ? null : await appliedPolicy(tx, accountId, claimId);
    const needsDocument = overrideDocumentRules();
    const item = toItem(row);
    const claimed = item.claimed_amount;
    const variance = await tx.query<{ v: string | null }>('select ($1::numeric - $2::numeric)::text as v', [
      claimed,
      item.approved_amount,
    ]);
    return {
      claim: {
        ...item,
        program_version: (row.program_version as number | null) ?? null,
        created_at: iso(row.created_at)!,
        updated_at: iso(row.updated_at)!,
      },
      budget,
      payment,
      deductions: deducted.rows,
      policy,
      // A draft's clock has not started: it has no SLA until it is submitted.
      sla: item.status === 'draft' ? null : await claimSla(tx, ref),
      lines: lines.rows.map((l) => ({
        ...(l as Omit<ClaimLine, 'findings' | 'context'>),
        context: contexts.get(l.line_no as number) ?? { deal: null, sell_out: null, position: null },
        findings: (l.findings as ClaimFinding[]).map((f) => ({
          ...f,
          x12_reject_reason: x12RejectReason(f),
          override_needs_document: needsDocument.includes(f.rule_code),
        })),
      })),
      documents: documents.rows.map((d) => ({
        document_type: d.document_type as string,
        file_name: d.file_name as string,
        document_id: (d.document_id as string | null) ?? null,
        created_at: iso(d.created_at)!,
      })),
      reconciliation: {
        claimed_amount: claimed,
        calculated_amount: item.calculated_amount,
        approved_amount: item.approved_amount,
        // Paid by settlement and by the partner's deductions.
        paid_amount:
          payment?.status === 'paid' || deducted.rows.length > 0
            ? deducted.rows
                .reduce(
                  (sum, d) => sum.plus(d.amount),
                  new Money(payment?.status === 'paid' ? payment.amount : 0),
                )
                .toFixed(minorUnits(item.currency))
            : null,
        variance: variance.rows[0]?.v ?? null,
        by_rule_code: byRule.rows,
      },
    };
  });
}

/**
 * Units of the sell-out line `alias` credited by the lines of claims that consume it (approved, adjusted or
 * waiting for review; drafts and rejected claims credit nothing).
 */
export const creditedQtySql = (alias: string): string =>
  `coalesce((select sum(l.approved_qty)::int from claim_lines l join claims c
     on c.account_id = l.account_id and c.claim_id = l.claim_id
   where l.account_id = ${alias}.account_id and l.matched_sell_out_ref = ${alias}.sell_out_ref
     and l.status in ('approved', 'adjusted', 'review')
     and c.status not in ('draft', 'rejected')), 0)`;

/** Each line's deal (with what claims used of it) and matched sell-out line (with what was credited). */
async function lineContexts(
  tx: Db,
  accountId: string,
  lines: {
    line_no: number;
    sku: string | null;
    deal_id: string | null;
    matched_sell_out_ref: string | null;
  }[],
): Promise<Map<number, LineContext>> {
  const dealIds = [...new Set(lines.flatMap((l) => (l.deal_id ? [l.deal_id] : [])))];
  const refs = [...new Set(lines.flatMap((l) => (l.matched_sell_out_ref ? [l.matched_sell_out_ref] : [])))];
  const deals = new Map<string, NonNullable<LineContext['deal']>>();
  if (dealIds.length > 0) {
    const { rows } = await tx.query<Omit<NonNullable<LineContext['deal']>, 'used_qty' | 'left_qty'>>(
      `select deal_id, account_id, program_id, sku, end_customer_id, authorized_unit_amount::text, currency,
         max_qty, start_date, end_date
       from deals where deal_id = any($1::text[])`,
      [dealIds],
    );
    const used = await dealConsumption(
      tx,
      rows.map((r) => r.deal_id),
    );
    for (const r of rows) {
      const usedQty = used.get(r.deal_id)?.used_qty ?? 0;
      deals.set(r.deal_id, {
        ...r,
        authorized_unit_amount: plainAmount(r.authorized_unit_amount),
        used_qty: usedQty,
        left_qty: Math.max(0, r.max_qty - usedQty),
      });
    }
  }
  const sellOut = new Map<string, NonNullable<LineContext['sell_out']>>();
  if (refs.length > 0) {
    const { rows } = await tx.query<NonNullable<LineContext['sell_out']>>(
      `select so.sell_out_ref, so.sale_date, so.sku, so.qty, so.unit_price::text, so.currency, so.end_customer_id,
         so.partner_invoice_no, coalesce(so.serial_numbers, '{}') as serial_numbers,
         ${creditedQtySql('so')} as credited_qty
       from sell_out so where so.account_id = $1 and so.sell_out_ref = any($2::text[])`,
      [accountId, refs],
    );
    for (const r of rows) {
      sellOut.set(r.sell_out_ref, {
        ...r,
        unit_price: r.unit_price === null ? null : plainAmount(r.unit_price),
        left_qty: Math.max(0, r.qty - r.credited_qty),
      });
    }
  }
  return new Map(
    lines.map((l) => [
      l.line_no,
      {
        deal: (l.deal_id && deals.get(l.deal_id)) || null,
        sell_out: (l.matched_sell_out_ref && sellOut.get(l.matched_sell_out_ref)) || null,
        position: l.sku ? { account_id: accountId, sku: l.sku } : null,
      },
    ]),
  );
}

/** A stored amount with at least two decimals (20.0000 → 20.00, 0.1250 → 0.125). */
export function plainAmount(v: string): string {
  const d = new Money(v);
  return d.toFixed(Math.max(2, d.decimalPlaces()));
}

async function programBudget(tx: Db, programId: string): Promise<ClaimDetail['budget']> {
  const { rows } = await tx.query<{ budget: string | null; currency: string }>(
    `select v.budget::text, v.currency from programs p
     join program_versions v on v.program_id = p.program_id and v.version = p.active_version
     where p.program_id = $1`,
    [programId],
  );
  const v = rows[0];
  if (!v?.budget) return null;
  const used = (await programConsumption(tx, [programId])).get(programId)?.used ?? '0.00';
  return {
    amount: v.budget,
    used,
    left: Money.max(0, new Money(v.budget).minus(used)).toFixed(2),
    currency: v.currency,
  };
}

async function claimSla(tx: Db, ref: ClaimRef): Promise<ClaimDetail['sla']> {
  const item = await claimLogItem(tx, ref);
  return {
    sla_state: item.sla_state,
    target_business_days: item.target_business_days,
    due_date: item.due_date,
    age_business_days: item.age_business_days,
    business_days_left: item.business_days_left,
  };
}

/** The claim's audit trail (submissions, validations, resolutions, decisions). */
export async function claimHistory(db: Db, key: ClaimKey) {
  const ref = await findClaim(db, key);
  return listEntityAudit(db, 'claim', ref.claim_id, ref.account_id);
}

export interface ClaimVersion {
  version: number;
  program_id: string;
  submitted_date: string;
  currency: string;
  status: string;
  validated_at: string | null;
  decided_at: string | null;
  decided_by: string | null;
  claimed_amount: string;
  approved_amount: string | null;
  superseded_at: string;
  superseded_by: string | null;
  /** The lines as they stood, each with its result and findings (and their resolutions). */
  lines: Record<string, unknown>[];
}

/** The earlier versions of a claim, newest first (the current one is the claim itself). 404 when not visible. */
export async function claimVersions(db: Db, key: ClaimKey): Promise<ClaimVersion[]> {
  const ref = await findClaim(db, key);
  const { rows } = await db.query(
    `select version, program_id, submitted_date, currency, status, validated_at, decided_at, decided_by,
       claimed_amount::text, approved_amount::text, superseded_at, superseded_by, lines
     from claim_versions where account_id = $1 and claim_id = $2 order by version desc`,
    [ref.account_id, ref.claim_id],
  );
  return rows.map((r) => ({
    version: r.version as number,
    program_id: r.program_id as string,
    submitted_date: r.submitted_date as string,
    currency: r.currency as string,
    status: r.status as string,
    validated_at: iso(r.validated_at),
    decided_at: iso(r.decided_at),
    decided_by: (r.decided_by as string | null) ?? null,
    claimed_amount: r.claimed_amount as string,
    approved_amount: (r.approved_amount as string | null) ?? null,
    superseded_at: iso(r.superseded_at)!,
    superseded_by: (r.superseded_by as string | null) ?? null,
    lines: r.lines as Record<string, unknown>[],
  }));
}
