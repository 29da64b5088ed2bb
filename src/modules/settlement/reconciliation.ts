/**
 * The reconciliation report of credits processed: for every partner and month, the claims decided in it
 * (approved, partially approved or rejected, and further along), what was claimed, approved and paid, and
 * the variances with their reasons. Claimed − approved is explained line by line by the rule codes that cut
 * the line (rejecting or adjusting findings that were not overridden; `NO_RULE_CODE` where none did, e.g. an
 * analyst's override); approved − paid by where the payment stands (`IN_PAYMENT`: its batch waits for
 * release; `AWAITING_PAYMENT`: no payment yet, or its batch was reversed). Read through the caller's
 * connection: a partner gets its own organisation's figures only.
 */
import { today } from '../../core/dates.ts';
import { invalid } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { ruleWithCode } from '../claims/index.ts';
import { isPartner, requireRole } from '../identity/index.ts';
import { type ExportColumn, nameRows, toCsv, withAccountNames, writeXlsx } from '../platform/export.ts';
import { accrualReaders } from './accruals.ts';

export interface ReconciliationQuery {
  from?: string | undefined;
  to?: string | undefined;
  account_id?: string | undefined;
}

export interface ReconciliationRow {
  account_id: string;
  partner_name: string | null;
  period: string;
  currency: string;
  claims: number;
  lines: number;
  claimed: string;
  approved: string;
  paid: string;
  claimed_vs_approved: string;
  approved_vs_paid: string;
  /** The variance by reason, largest first: `DEAL_QTY_EXCEEDED 12.00; AWAITING_PAYMENT 5.00`. */
  reasons: string;
}

export interface ReconciliationReason {
  account_id: string;
  period: string;
  currency: string;
  /** `approval` (claimed − approved) or `payment` (approved − paid). */
  variance_kind: 'approval' | 'payment';
  reason: string;
  lines: number;
  variance: string;
}

export interface ReconciliationClaim {
  account_id: string;
  partner_name: string | null;
  claim_id: string;
  program_id: string;
  submitted_date: string;
  decided_date: string;
  status: string;
  currency: string;
  claimed: string;
  approved: string;
  paid: string;
  claimed_vs_approved: string;
  approved_vs_paid: string;
  rule_codes: string;
  payment_status: string | null;
  batch_id: string | null;
  method: string | null;
  paid_on: string | null;
}

export interface ReconciliationReport {
  from: string;
  to: string;
  rows: ReconciliationRow[];
  reasons: ReconciliationReason[];
  claims: ReconciliationClaim[];
}

const decided = `'approved', 'partially_approved', 'rejected', 'in_payment', 'paid', 'closed'`;

/** Claims decided in the range, their lines with the codes that cut them, and their live payment. */
const base = `
with cl as (
  select c.account_id, c.claim_id, c.program_id, c.currency, c.status, c.submitted_date,
    c.decided_at::date as decided_date, to_char(c.decided_at, 'YYYY-MM') as period
  from claims c
  where c.status in (${decided}) and c.decided_at::date between $1::date and $2::date
    and ($3::text is null or c.account_id = $3)
),
ln as (
  select cl.account_id, cl.claim_id, cl.period, cl.currency, l.line_no,
    coalesce(l.claimed_amount, 0)::numeric(18, 2) as claimed,
    (case when cl.status = 'rejected' then 0 else coalesce(l.approved_amount, 0) end)::numeric(18, 2) as approved,
    coalesce((select string_agg(distinct f.rule_code, ';' order by f.rule_code) from claim_findings f
      where f.account_id = l.account_id and f.claim_id = l.claim_id and f.line_no = l.line_no
        and f.effect in ('reject', 'adjust') and f.resolution is distinct from 'overridden'), '') as codes
  from cl join claim_lines l on l.account_id = cl.account_id and l.claim_id = cl.claim_id
),
pay as (
  -- a claim's live payment and what deductions settled of it (paid by deduction), one row per claim
  select x.account_id, x.claim_id,
    coalesce(sum(x.amount) filter (where x.status = 'paid'), 0) as paid,
    max(x.status) filter (where x.method <> 'deduction') as status,
    max(x.batch_id) filter (where x.method <> 'deduction') as batch_id,
    string_agg(distinct x.method, '+' order by x.method) as method, max(x.paid_on) as paid_on
  from (
    select s.account_id, s.claim_id, s.status, s.batch_id, s.method, s.paid_on, s.amount
    from settlement_payments s join cl on cl.account_id = s.account_id and cl.claim_id = s.claim_id
    where s.status <> 'reversed'
    union all
    select d.account_id, d.claim_id, 'paid', null, 'deduction', d.settled_on, d.amount
    from deduction_claims d join cl on cl.account_id = d.account_id and cl.claim_id = d.claim_id
    where d.reversed_at is null
  ) x
  group by x.account_id, x.claim_id
),
per_claim as (
  select cl.*, sum(ln.claimed)::numeric(18, 2) as claimed, sum(ln.approved)::numeric(18, 2) as approved,
    coalesce(max(p.paid), 0)::numeric(18, 2) as paid,
    string_agg(distinct nullif(ln.codes, ''), ';') as codes,
    max(p.status) as payment_status, max(p.batch_id) as batch_id, max(p.method) as method,
    max(p.paid_on) as paid_on
  from cl join ln on ln.account_id = cl.account_id and ln.claim_id = cl.claim_id
  left join pay p on p.account_id = cl.account_id and p.claim_id = cl.claim_id
  group by cl.account_id, cl.claim_id, cl.program_id, cl.currency, cl.status, cl.submitted_date,
    cl.decided_date, cl.period
),
reasons as (
  select account_id, period, currency, 'approval' as variance_kind,
    coalesce(nullif(codes, ''), 'NO_RULE_CODE') as reason, count(*)::int as lines,
    sum(claimed - approved) as variance
  from ln where claimed <> approved group by 1, 2, 3, 4, 5
  union all
  select account_id, period, currency, 'payment',
    case when payment_status = 'created' then 'IN_PAYMENT' else 'AWAITING_PAYMENT' end,
    count(*)::int, sum(approved - paid)
  from per_claim where approved <> paid group by 1, 2, 3, 4, 5
)`;

function range(q: ReconciliationQuery): { from: string; to: string } {
  const to = q.to ?? today();
  const from = q.from ?? `${to.slice(0, 4)}-01-01`;
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
      throw invalid(field, `${value} is not a date (YYYY-MM-DD)`);
  if (from > to) throw invalid('from', `${from} is after to ${to}`);
  return { from, to };
}

export async function reconciliation(db: Db, q: ReconciliationQuery = {}): Promise<ReconciliationReport> {
  if (!isPartner(db.actor.roles)) requireRole(db.actor, accrualReaders);
  const { from, to } = range(q);
  const params = [from, to, q.account_id ?? null];
  // One statement, so that the claims, their lines and their payments are read once for all three parts
  // (a CTE used more than once is computed once): three statements read them three times.
  const { rows } = await db.query<Omit<ReconciliationReport, 'from' | 'to'>>(
    `${base}
     select
       (select coalesce(json_agg(c order by c.account_id, to_char(c.decided_date, 'YYYY-MM'), c.claim_id), '[]')
        from (select p.account_id, a.name as partner_name, p.claim_id, p.program_id, p.submitted_date,
                p.decided_date, p.status, p.currency, p.claimed::text as claimed, p.approved::text as approved,
                p.paid::text as paid, (p.claimed - p.approved)::text as claimed_vs_approved,
                (p.approved - p.paid)::text as approved_vs_paid, coalesce(p.codes, '') as rule_codes,
                p.payment_status, p.batch_id, p.method, p.paid_on
              from per_claim p left join accounts a on a.account_id = p.account_id) c) as claims,
       (select coalesce(json_agg(r order by r.account_id, r.period, r.currency, r.variance_kind,
                 r.variance::numeric desc, r.reason), '[]')
        from (select account_id, period, currency, variance_kind, reason, lines, variance::text as variance
              from reasons) r) as reasons,
       (select coalesce(json_agg(g order by g.account_id, g.period, g.currency), '[]')
        from (select p.account_id, a.name as partner_name, p.period, p.currency, count(*)::int as claims,
                (select count(*)::int from ln where ln.account_id = p.account_id and ln.period = p.period
                   and ln.currency = p.currency) as lines,
                sum(p.claimed)::text as claimed, sum(p.approved)::text as approved, sum(p.paid)::text as paid,
                sum(p.claimed - p.approved)::text as claimed_vs_approved,
                sum(p.approved - p.paid)::text as approved_vs_paid,
                coalesce((select string_agg(r.reason || ' ' || r.variance::text, '; '
                                            order by r.variance desc, r.reason)
                          from reasons r where r.account_id = p.account_id and r.period = p.period
                            and r.currency = p.currency), '') as reasons
              from per_claim p left join accounts a on a.account_id = p.account_id
              group by p.account_id, a.name, p.period, p.currency) g) as rows`,
    params,
  );
  const { claims, reasons, rows: summary } = rows[0]!;
  return { from, to, rows: summary, reasons, claims };
}

const summaryColumns: readonly ExportColumn[] = [
  { key: 'account_id', header: 'account_id' },
  { key: 'partner_name', header: 'partner_name' },
  { key: 'period', header: 'period' },
  { key: 'currency', header: 'currency' },
  { key: 'claims', header: 'claims', type: 'int' },
  { key: 'lines', header: 'lines', type: 'int' },
  { key: 'claimed', header: 'claimed', type: 'amount' },
  { key: 'approved', header: 'approved', type: 'amount' },
  { key: 'paid', header: 'paid', type: 'amount' },
  { key: 'claimed_vs_approved', header: 'claimed_vs_approved', type: 'amount' },
  { key: 'approved_vs_paid', header: 'approved_vs_paid', type: 'amount' },
  { key: 'reasons', header: 'reasons' },
];

const reasonColumns: readonly ExportColumn[] = [
  { key: 'account_id', header: 'account_id' },
  { key: 'period', header: 'period' },
  { key: 'currency', header: 'currency' },
  { key: 'variance_kind', header: 'variance_kind' },
  { key: 'reason', header: 'reason' },
  { key: 'lines', header: 'lines', type: 'int' },
  { key: 'variance', header: 'variance', type: 'amount' },
];

const claimColumns: readonly ExportColumn[] = [
  { key: 'account_id', header: 'account_id' },
  { key: 'partner_name', header: 'partner_name' },
  { key: 'claim_id', header: 'claim_id' },
  { key: 'program_id', header: 'program_id' },
  { key: 'submitted_date', header: 'submitted_date', type: 'date' },
  { key: 'decided_date', header: 'decided_date', type: 'date' },
  { key: 'status', header: 'status' },
  { key: 'currency', header: 'currency' },
  { key: 'claimed', header: 'claimed', type: 'amount' },
  { key: 'approved', header: 'approved', type: 'amount' },
  { key: 'paid', header: 'paid', type: 'amount' },
  { key: 'claimed_vs_approved', header: 'claimed_vs_approved', type: 'amount' },
  { key: 'approved_vs_paid', header: 'approved_vs_paid', type: 'amount' },
  { key: 'rule_codes', header: 'rule_codes' },
  { key: 'batch_id', header: 'batch_id' },
  { key: 'method', header: 'payment_method' },
  { key: 'paid_on', header: 'paid_on', type: 'date' },
];

const reasonLabels: Record<string, string> = {
  NO_RULE_CODE: 'Not explained by a rule (a person decided)',
  IN_PAYMENT: 'In payment: the batch waits for release',
  AWAITING_PAYMENT: 'Approved, not paid yet',
};

/** A reason (rule codes `A;B`, or what holds the payment) in words. */
const reasonWords = (reason: string) =>
  reason
    .split(';')
    .filter(Boolean)
    .map((code) => reasonLabels[code] ?? ruleWithCode(code))
    .join('; ');

const fileName = (r: ReconciliationReport, ext: string) => `credits-reconciliation-${r.from}-${r.to}.${ext}`;

/** Sheets Summary (per partner and month), Reasons and Claims. */
export async function renderReconciliationXlsx(
  report: ReconciliationReport,
): Promise<{ fileName: string; content: Buffer }> {
  const names = new Map(report.rows.map((r) => [r.account_id, r.partner_name ?? '']));
  const content = await writeXlsx(
    [
      { name: 'Summary', columns: summaryColumns, rows: report.rows },
      {
        name: 'Reasons',
        columns: [
          ...withAccountNames(reasonColumns, 'Partner'),
          { key: 'reason_words', header: 'reason_words', label: 'Reason in words', width: 60 },
        ],
        rows: nameRows(report.reasons, names).map((r) => ({ ...r, reason_words: reasonWords(r.reason) })),
      },
      {
        name: 'Claims',
        columns: [...claimColumns, { key: 'rules', header: 'rules', label: 'Rules in words', width: 60 }],
        rows: report.claims.map((c) => ({ ...c, rules: reasonWords(c.rule_codes) })),
      },
    ],
    { title: 'Reconciliation of credits processed', period: `${report.from} to ${report.to}` },
  );
  return { fileName: fileName(report, 'xlsx'), content };
}

/** The summary per partner and month as CSV. */
export function renderReconciliationCsv(report: ReconciliationReport): { fileName: string; content: string } {
  return { fileName: fileName(report, 'csv'), content: toCsv(summaryColumns, report.rows) };
}

export async function reconciliationXlsx(
  db: Db,
  q: ReconciliationQuery = {},
): Promise<{ fileName: string; content: Buffer }> {
  return renderReconciliationXlsx(await reconciliation(db, q));
}

export async function reconciliationCsv(
  db: Db,
  q: ReconciliationQuery = {},
): Promise<{ fileName: string; content: string }> {
  return renderReconciliationCsv(await reconciliation(db, q));
}
