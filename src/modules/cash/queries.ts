/** What the cash desk reads: bank files with their credits and totals, the exception queue, a credit with
 * its candidates, open items of any customer, runs with their measures, and the two CSV exports. */
import { z } from 'zod';
import { notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { toCsv } from '../platform/export.ts';
import { type CashRun, runColumns } from './cascade.ts';
import { requireCashDesk } from './roles.ts';

export type ExceptionReason = 'UNKNOWN_PAYER' | 'AMBIGUOUS' | 'NO_MATCH' | 'REMITTANCE_MISMATCH';
export type CreditStatus = 'new' | 'applied' | 'exception';

export interface Suggestion {
  documents: string[];
  account_id: string | null;
  /** 0 to 1, as a decimal string. */
  score: string;
  why: string;
}

export interface BankCredit {
  payment_ref: string;
  file_id: string;
  statement_no: number;
  position: number;
  amount: string;
  currency: string;
  value_date: string;
  payer_name: string | null;
  payer_bank_account: string | null;
  customer_reference: string | null;
  text: string;
  account_id: string | null;
  payer_source: string | null;
  status: CreditStatus;
  reason: ExceptionReason | null;
  rule: string | null;
  run_id: string | null;
  decided_by: 'cascade' | 'manual' | null;
  /** What the credit's decision did: cash applied to documents, deduction items, kept on account. */
  applied_amount: string;
  deduction_amount: string;
  on_account_amount: string;
  suggestions: Suggestion[];
}

const creditColumns = `c.payment_ref, c.file_id, c.statement_no, c.position, c.amount::text, c.currency,
  c.value_date, c.payer_name, c.payer_bank_account, c.customer_reference, c.text, c.account_id, c.payer_source,
  c.status, c.reason, c.rule, c.run_id::text, c.decided_by,
  coalesce(o.applied, 0)::numeric(18, 2)::text as applied_amount,
  coalesce(o.deducted, 0)::numeric(18, 2)::text as deduction_amount,
  coalesce(o.on_account, 0)::numeric(18, 2)::text as on_account_amount, c.suggestions`;
const outcomeJoin = `left join lateral (
    select sum(a.amount) filter (where a.kind = 'invoice') as applied,
      sum(a.amount) filter (where a.kind = 'deduction') as deducted,
      sum(a.amount) filter (where a.kind = 'on_account') as on_account
    from cash_applications a where a.payment_ref = c.payment_ref and a.reversed_at is null
  ) o on true`;

export interface BankStatementTotals {
  statement_no: number;
  account_number: string | null;
  currency: string | null;
  statement_date: string | null;
  declared_credit_total: string | null;
  declared_debit_total: string | null;
  declared_count: number | null;
  credit_count: number;
  credit_total: string;
  debit_count: number;
  debit_total: string;
  /** The credits and debits add up to the declared totals (null when the file declares none). */
  ties: boolean | null;
}

export interface BankFileSummary {
  file_id: string;
  file_name: string;
  format: string;
  bank_file_ref: string | null;
  created_date: string | null;
  loaded_at: string;
  credit_count: number;
  credit_total: string;
  debit_count: number;
  debit_total: string;
  applied_count: number;
  exception_count: number;
  new_count: number;
  applied_amount: string;
  deduction_amount: string;
  on_account_amount: string;
  exception_amount: string;
}

const fileSummarySql = `
  select f.file_id, f.file_name, f.format, f.bank_file_ref, f.created_date, f.loaded_at, f.credit_count,
    f.credit_total::text, f.debit_count, f.debit_total::text,
    count(c.*) filter (where c.status = 'applied')::int as applied_count,
    count(c.*) filter (where c.status = 'exception')::int as exception_count,
    count(c.*) filter (where c.status = 'new')::int as new_count,
    coalesce(sum(o.applied), 0)::numeric(18, 2)::text as applied_amount,
    coalesce(sum(o.deducted), 0)::numeric(18, 2)::text as deduction_amount,
    coalesce(sum(o.on_account), 0)::numeric(18, 2)::text as on_account_amount,
    coalesce(sum(c.amount) filter (where c.status = 'exception'), 0)::numeric(18, 2)::text as exception_amount
  from bank_files f
  left join bank_credits c on c.file_id = f.file_id
  ${outcomeJoin}`;

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export async function listBankFiles(
  db: Db,
  raw: z.input<typeof pageQuery> = {},
): Promise<{ items: BankFileSummary[]; total: number }> {
  requireCashDesk(db);
  const q = pageQuery.parse(raw);
  const rows = await db.query<BankFileSummary>(
    `${fileSummarySql} group by f.file_id order by f.loaded_at desc, f.file_id limit $1 offset $2`,
    [q.limit, q.offset],
  );
  const total = await db.query<{ n: number }>(`select count(*)::int as n from bank_files`);
  return { items: rows.rows, total: total.rows[0]!.n };
}

export interface BankFileDetail {
  file: BankFileSummary;
  statements: BankStatementTotals[];
  credits: BankCredit[];
  credits_total: number;
}

export const creditsQuery = pageQuery.extend({
  status: z.enum(['new', 'applied', 'exception']).optional(),
  reason: z.enum(['UNKNOWN_PAYER', 'AMBIGUOUS', 'NO_MATCH', 'REMITTANCE_MISMATCH']).optional(),
  file_id: z.string().optional(),
  account_id: z.string().optional(),
});

export async function getBankFile(
  db: Db,
  fileId: string,
  raw: z.input<typeof pageQuery> = {},
): Promise<BankFileDetail> {
  requireCashDesk(db);
  const q = pageQuery.parse(raw);
  const file = await db.query<BankFileSummary>(`${fileSummarySql} where f.file_id = $1 group by f.file_id`, [
    fileId,
  ]);
  if (!file.rows[0]) throw notFound(`The bank file ${fileId}`);
  const statements = await db.query<BankStatementTotals>(
    `select s.statement_no, s.account_number, s.currency, s.statement_date,
       s.declared_credit_total::text, s.declared_debit_total::text, s.declared_count,
       coalesce(c.n, 0)::int as credit_count, coalesce(c.total, 0)::numeric(18, 2)::text as credit_total,
       coalesce(d.n, 0)::int as debit_count, coalesce(d.total, 0)::numeric(18, 2)::text as debit_total,
       case when s.declared_credit_total is null and s.declared_debit_total is null then null
         else coalesce(s.declared_credit_total = coalesce(c.total, 0), true)
           and coalesce(s.declared_debit_total = coalesce(d.total, 0), true) end as ties
     from bank_statements s
     left join (select statement_no, count(*) as n, sum(amount) as total from bank_credits where file_id = $1
       group by statement_no) c on c.statement_no = s.statement_no
     left join (select statement_no, count(*) as n, sum(amount) as total from bank_debits where file_id = $1
       group by statement_no) d on d.statement_no = s.statement_no
     where s.file_id = $1 order by s.statement_no`,
    [fileId],
  );
  const credits = await listCredits(db, { file_id: fileId, limit: q.limit, offset: q.offset });
  return {
    file: file.rows[0],
    statements: statements.rows,
    credits: credits.items,
    credits_total: credits.total,
  };
}

/** Credits by status and reason (the exception queue is status=exception), oldest value date first. */
export async function listCredits(
  db: Db,
  raw: z.input<typeof creditsQuery> = {},
): Promise<{ items: BankCredit[]; total: number; by_reason: Record<string, number> }> {
  requireCashDesk(db);
  const q = creditsQuery.parse(raw);
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (q.status) add('c.status = ?', q.status);
  if (q.reason) add('c.reason = ?', q.reason);
  if (q.file_id) add('c.file_id = ?', q.file_id);
  if (q.account_id) add('c.account_id = ?', q.account_id);
  const w = where.length ? `where ${where.join(' and ')}` : '';
  const n = params.length;
  const rows = await db.query<BankCredit>(
    `select ${creditColumns} from bank_credits c ${outcomeJoin} ${w}
     order by ${q.file_id ? 'c.position' : 'c.value_date, c.payment_ref'} limit $${n + 1} offset $${n + 2}`,
    [...params, q.limit, q.offset],
  );
  const counts = await db.query<{ reason: string | null; n: number }>(
    `select c.reason, count(*)::int as n from bank_credits c ${w} group by c.reason`,
    params,
  );
  return {
    items: rows.rows,
    total: counts.rows.reduce((a, r) => a + r.n, 0),
    by_reason: Object.fromEntries(counts.rows.filter((r) => r.reason).map((r) => [r.reason, r.n])),
  };
}

export interface CashApplicationLine {
  seq: number;
  account_id: string;
  document_id: string | null;
  amount: string;
  kind: 'invoice' | 'deduction' | 'on_account';
  reason_code: string | null;
  deduction_id: string | null;
  rule: string;
  confidence: string;
  run_id: string | null;
  applied_date: string;
  created_at: string;
  created_by: string | null;
  reversed_at: string | null;
}

export interface OpenDocument {
  account_id: string;
  account_name: string | null;
  document_id: string;
  type: string;
  document_date: string;
  due_date: string;
  currency: string;
  amount: string;
  open_amount: string;
  reference: string | null;
}

export interface CreditDetail {
  credit: BankCredit;
  /** Every line its decisions wrote, reversed ones included (reversed_at set). */
  applications: CashApplicationLine[];
  /** The payer's open documents in the credit's currency (empty when the payer is unknown). */
  payer_open_items: OpenDocument[];
}

const openDocsSql = (where: string) => `
  select d.account_id, a.name as account_name, d.document_id, d.type, d.document_date, d.due_date, d.currency,
    d.amount::text, (d.amount - coalesce(s.applied, 0))::numeric(18, 2)::text as open_amount, d.reference
  from ar_documents d
  join accounts a on a.account_id = d.account_id
  left join lateral (select sum(e.amount) as applied from ar_application_entries e
    where e.document_id = d.document_id) s on true
  where d.type <> 'credit_memo' and d.amount - coalesce(s.applied, 0) > 0 and ${where}`;

export async function getCredit(db: Db, paymentRef: string): Promise<CreditDetail> {
  requireCashDesk(db);
  const found = await db.query<BankCredit>(
    `select ${creditColumns} from bank_credits c ${outcomeJoin} where c.payment_ref = $1`,
    [paymentRef],
  );
  const credit = found.rows[0];
  if (!credit) throw notFound(`The bank credit ${paymentRef}`);
  const apps = await db.query<CashApplicationLine>(
    `select seq, account_id, document_id, amount::text, kind, reason_code, deduction_id, rule, confidence::text,
       run_id::text, applied_date, created_at, created_by, reversed_at
     from cash_applications where payment_ref = $1 order by created_at, seq`,
    [paymentRef],
  );
  const open = credit.account_id
    ? await db.query<OpenDocument>(
        `${openDocsSql('d.account_id = $1 and d.currency = $2')} order by d.due_date, d.document_id limit 500`,
        [credit.account_id, credit.currency],
      )
    : { rows: [] };
  return { credit, applications: apps.rows, payer_open_items: open.rows };
}

export const openItemsSearch = z.object({
  q: z.string().optional(),
  account_id: z.string().optional(),
  currency: z.string().length(3).optional(),
  amount: z
    .string()
    .regex(/^\d+(\.\d{1,2})?$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Open documents of any customer: by account, by document number or reference (prefix), by amount. */
export async function searchOpenItems(
  db: Db,
  raw: z.input<typeof openItemsSearch>,
): Promise<{ items: OpenDocument[] }> {
  requireCashDesk(db);
  const q = openItemsSearch.parse(raw);
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...v: unknown[]) => {
    let s = sql;
    for (const x of v) {
      params.push(x);
      s = s.replace('?', `$${params.length}`);
    }
    where.push(s);
  };
  if (q.account_id) add('d.account_id = ?', q.account_id);
  if (q.currency) add('d.currency = ?', q.currency.toUpperCase());
  if (q.amount) add('d.amount - coalesce(s.applied, 0) = ?::numeric', q.amount);
  if (q.q) {
    add(
      `(d.document_id ilike ? || '%' or cash_ref_key(d.document_id) = cash_ref_key(?)
        or cash_ref_number(d.document_id) = cash_ref_key(?) or d.reference ilike ? || '%'
        or a.name ilike '%' || ? || '%')`,
      q.q,
      q.q,
      q.q,
      q.q,
      q.q,
    );
  }
  if (where.length === 0) return { items: [] };
  const rows = await db.query<OpenDocument>(
    `${openDocsSql(where.join(' and '))} order by d.account_id, d.due_date, d.document_id limit ${q.limit}`,
    params,
  );
  return { items: rows.rows };
}

export async function listRuns(db: Db, raw: z.input<typeof pageQuery> = {}): Promise<{ items: CashRun[] }> {
  requireCashDesk(db);
  const q = pageQuery.parse(raw);
  const rows = await db.query<CashRun>(
    `select ${runColumns} from cash_runs r order by r.run_id desc limit $1 offset $2`,
    [q.limit, q.offset],
  );
  return { items: rows.rows };
}

export async function getRun(db: Db, runId: string): Promise<CashRun> {
  requireCashDesk(db);
  const rows = await db.query<CashRun>(`select ${runColumns} from cash_runs r where r.run_id::text = $1`, [
    runId,
  ]);
  if (!rows.rows[0]) throw notFound(`The cash run ${runId}`);
  return rows.rows[0];
}

/** cash_applications.csv: one row per application in force. */
export async function cashApplicationsCsv(db: Db): Promise<string> {
  requireCashDesk(db);
  const rows = await db.query<Record<string, string | null>>(
    `select a.payment_ref, a.account_id, a.document_id, a.amount::text, a.kind, a.reason_code, a.rule,
       a.confidence::text
     from cash_applications a where a.reversed_at is null order by a.payment_ref, a.seq`,
  );
  return toCsv(
    ['payment_ref', 'account_id', 'document_id', 'amount', 'kind', 'reason_code', 'rule', 'confidence'].map(
      (c) => ({ key: c, header: c }),
    ),
    rows.rows,
  );
}

/** cash_exceptions.csv: the payments left for a person, with their suggestions (`A+B:0.92;C:0.60`). */
export async function cashExceptionsCsv(db: Db): Promise<string> {
  requireCashDesk(db);
  const rows = await db.query<{
    payment_ref: string;
    amount: string;
    currency: string;
    payer_name: string | null;
    reason: string;
    suggestions: Suggestion[];
  }>(
    `select c.payment_ref, c.amount::text, c.currency, c.payer_name, c.reason, c.suggestions
     from bank_credits c where c.status = 'exception' order by c.value_date, c.payment_ref`,
  );
  return toCsv(
    ['payment_ref', 'amount', 'currency', 'payer_name', 'reason', 'suggestions'].map((c) => ({
      key: c,
      header: c,
    })),
    rows.rows.map((r) => ({
      ...r,
      suggestions: r.suggestions.map((s) => `${s.documents.join('+')}:${s.score}`).join(';'),
    })),
  );
}
