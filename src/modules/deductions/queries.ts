/**
 * What the deduction desk and the partner portal read: deductions by queue, status, validation, category,
 * account and SLA state (paged by the server, worked by SLA: breached first), and each queue's totals.
 * The SLA state is computed from `sla_due_date` against today; only open deductions have one.
 */
import { z } from 'zod';
import { addDays, type BusinessDate, today } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { type GridColumn, gridClauses, gridQueryParams } from '../../db/grid-query.ts';
import { isPartner, requireInternal } from '../identity/index.ts';
import {
  type DeductionCategory,
  type DeductionFinding,
  type DeductionQueue,
  type DeductionStatus,
  type DeductionValidation,
  deductionCategories,
  deductionQueues,
  deductionStatuses,
  deductionValidations,
} from './categories.ts';

export const deductionSlaStates = ['on_track', 'due_soon', 'breached'] as const;
export type DeductionSlaState = (typeof deductionSlaStates)[number];

/** Due soon: the SLA due date falls within the next three working days (weekends skipped). */
export const dueSoonWorkingDays = 3;

/** The last day still "due soon" on `asOf`: three weekdays after it. */
export function dueSoonUntil(asOf: BusinessDate): BusinessDate {
  let date = asOf;
  let left = dueSoonWorkingDays;
  while (left > 0) {
    date = addDays(date, 1);
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6) left--;
  }
  return date;
}

/** One deduction as the lists show it (partners get the same row without the desk's fields). */
export interface DeductionRow {
  account_id: string;
  account_name: string | null;
  deduction_id: string;
  payment_ref: string | null;
  /** The invoice it was taken from. */
  document_id: string | null;
  amount: string;
  currency: string;
  /** What is still owed on the deduction item (its amount less what was applied to it). */
  open_amount: string;
  reason_code: string | null;
  deduction_date: string;
  reference: string | null;
  source: 'cash' | 'import';
  category: DeductionCategory;
  queue: DeductionQueue;
  sla_due_date: string | null;
  /** Open deductions only; null once decided. */
  sla_state: DeductionSlaState | null;
  /** Calendar days to the SLA due date (negative: overdue); null when not open. */
  sla_days_left: number | null;
  /** Calendar days since the deduction was taken. */
  age_days: number;
  validation: DeductionValidation | null;
  finding: DeductionFinding | null;
  claim_ids: string[];
  valid_amount: string;
  invalid_amount: string;
  status: DeductionStatus;
  denied_on: string | null;
  payback_due_date: string | null;
  /** Denied, and the payback was not received by its due date. */
  payback_overdue: boolean;
  escalated_on: string | null;
  resolved_on: string | null;
  /** The denial letter (download it at `/api/documents/{id}/content`). */
  denial_document_id: string | null;
  /** Desk only (null for partners). */
  assignee: string | null;
}

const openAmountSql = `(d.amount - coalesce((select sum(e.amount) from ar_application_entries e
    where e.document_id = d.deduction_id), 0))`;

/** The row's columns; $1 is today, $2 the last day still due soon. */
export const rowColumns = `d.account_id, a.name as account_name, d.deduction_id, d.payment_ref, d.document_id,
  d.amount::text, d.currency, ${openAmountSql}::numeric(18, 2)::text as open_amount, d.reason_code,
  d.deduction_date, d.reference, d.source, d.category, d.queue, d.sla_due_date,
  case when d.status <> 'open' or d.sla_due_date is null then null
    when d.sla_due_date < $1::date then 'breached' when d.sla_due_date <= $2::date then 'due_soon'
    else 'on_track' end as sla_state,
  case when d.status = 'open' and d.sla_due_date is not null then d.sla_due_date - $1::date end as sla_days_left,
  ($1::date - d.deduction_date) as age_days,
  d.validation, d.finding, d.claim_ids, d.valid_amount::text, d.invalid_amount::text, d.status, d.denied_on,
  d.payback_due_date,
  (d.status = 'denied' and d.payback_due_date is not null and d.payback_due_date < $1::date) as payback_overdue,
  d.escalated_on, d.resolved_on, d.denial_document_id::text, d.assignee`;

// Lists arrive comma-separated in a query string; a use case called again with parsed input gets arrays.
const list = (values: readonly string[]) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((s) => (Array.isArray(s) ? s : s ? s.split(',') : []))
    .refine((l) => l.every((v) => values.includes(v)), {
      message: `one or more of: ${values.join(', ')} (comma-separated)`,
    });

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === true || v === 'true' || v === '1'));

export const deductionSorts = ['sla', 'amount', 'date', 'age', 'account'] as const;

/**
 * The columns a grid may sort (`order`, before the list's own sort, with the deduction id last) and filter
 * (`filters`, contains) the deductions by; `$1` is today. A partner may neither sort nor filter by the
 * assignee (the desk's own field).
 */
export const deductionGridColumns: Readonly<Record<string, GridColumn>> = {
  deduction_id: { sort: 'd.deduction_id' },
  account: { sort: 'coalesce(a.name, d.account_id)' },
  account_id: { sort: 'd.account_id' },
  deduction_date: { sort: 'd.deduction_date' },
  amount: { sort: 'd.amount', filter: null },
  open_amount: { sort: openAmountSql, filter: null },
  currency: { sort: 'd.currency' },
  queue: { sort: 'd.queue' },
  category: { sort: 'd.category' },
  validation: { sort: 'd.validation', filter: "coalesce(d.validation, 'pending')" },
  status: { sort: 'd.status' },
  assignee: { sort: 'd.assignee' },
  reason_code: { sort: 'd.reason_code' },
  reference: { sort: 'd.reference' },
  payment_ref: { sort: 'd.payment_ref' },
  document_id: { sort: 'd.document_id' },
  // The SLA column: open deductions by their days left (most overdue first), closed ones last.
  sla_days_left: {
    sort: `case when d.status = 'open' and d.sla_due_date is not null then d.sla_due_date - $1::date end`,
    filter: `case when d.status <> 'open' or d.sla_due_date is null then null
      when d.sla_due_date < $1::date then 'breached' when d.sla_due_date <= $2::date then 'due_soon'
      else 'on_track' end`,
  },
  age_days: { sort: '($1::date - d.deduction_date)', filter: null },
};

export const deductionsQuery = z.object({
  queue: list(deductionQueues).describe('queues, comma-separated'),
  status: list(deductionStatuses).describe('statuses, comma-separated'),
  validation: list([...deductionValidations, 'pending']).describe(
    'validation results, comma-separated; pending = not yet validated',
  ),
  category: list(deductionCategories).describe('categories, comma-separated'),
  sla: list(deductionSlaStates).describe('SLA states of open deductions, comma-separated'),
  account_id: z.string().min(1).optional(),
  assignee: z.string().min(1).optional(),
  payback_overdue: flag.describe('denied deductions whose payback is past its due date'),
  open: flag.describe('only deductions with something still owed on them'),
  age_from: z.coerce.number().int().min(0).optional().describe('at least this many days old'),
  age_to: z.coerce.number().int().min(0).optional().describe('at most this many days old'),
  taken_from: date.optional().describe('taken on or after this date'),
  taken_to: date.optional().describe('taken on or before this date'),
  q: z.string().max(100).optional().describe('deduction id, invoice, payment, reference or account'),
  sort: z.enum(deductionSorts).default('sla'),
  dir: z.enum(['asc', 'desc']).optional(),
  ...gridQueryParams(
    Object.keys(deductionGridColumns),
    Object.entries(deductionGridColumns).flatMap(([k, v]) => (v.filter === null ? [] : [k])),
  ),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type DeductionsQuery = z.input<typeof deductionsQuery>;

export interface DeductionList {
  items: DeductionRow[];
  total: number;
  /** Open deductions matching the other filters, per SLA state (the chips' counts). */
  counts: Record<DeductionSlaState, number>;
  as_of: string;
}

const orderBy: Record<(typeof deductionSorts)[number], (dir: string) => string> = {
  // Worked by SLA: open ones first, breached first (the earliest due date), then the larger amount.
  sla: (dir) => `(d.status = 'open') desc, d.sla_due_date ${dir} nulls last, d.amount desc, d.deduction_id`,
  amount: (dir) => `d.amount ${dir}, d.deduction_id`,
  date: (dir) => `d.deduction_date ${dir}, d.deduction_id`,
  age: (dir) => `d.deduction_date ${dir === 'asc' ? 'desc' : 'asc'}, d.deduction_id`,
  account: (dir) => `a.name ${dir}, d.account_id, d.deduction_id`,
};

/** Partners see their own rows without the desk's fields; the claims they name only when theirs. */
function partnerRow(row: DeductionRow, ownClaims: Set<string>): DeductionRow {
  return { ...row, assignee: null, claim_ids: row.claim_ids.filter((c) => ownClaims.has(c)) };
}

/** The claim ids of these deductions that are the partner's own (row security shows only those). */
export async function ownClaimIds(db: Db, rows: readonly DeductionRow[]): Promise<Set<string>> {
  const pairs = rows.flatMap((r) => r.claim_ids.map((c) => ({ account_id: r.account_id, claim_id: c })));
  if (pairs.length === 0) return new Set();
  const found = await db.query<{ claim_id: string }>(
    `select c.claim_id from claims c
     join jsonb_to_recordset($1::jsonb) as p(account_id text, claim_id text)
       on p.account_id = c.account_id and p.claim_id = c.claim_id`,
    [JSON.stringify(pairs)],
  );
  return new Set(found.rows.map((r) => r.claim_id));
}

/**
 * Deductions by the desk's filters, paged, worked by SLA by default. Partners get their own organisation's
 * (row security scopes the table) in the partner-safe shape.
 */
export async function listDeductions(db: Db, raw: DeductionsQuery = {}): Promise<DeductionList> {
  const q = deductionsQuery.parse(raw);
  const asOf = today();
  const params: unknown[] = [asOf, dueSoonUntil(asOf)];
  const where: string[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (q.queue.length) add('d.queue = any(?::text[])', q.queue);
  if (q.status.length) add('d.status = any(?::text[])', q.status);
  if (q.validation.length) {
    add(
      `(d.validation = any(?::text[]) or ('pending' = any(?::text[]) and d.validation is null))`,
      q.validation,
    );
  }
  if (q.category.length) add('d.category = any(?::text[])', q.category);
  if (q.account_id) add('d.account_id = ?', q.account_id);
  // The assignee is the desk's: a partner's filter by it would tell who works their deductions.
  if (q.assignee && !isPartner(db.actor.roles)) add('d.assignee = ?', q.assignee);
  if (q.payback_overdue !== undefined) {
    where.push(
      `${q.payback_overdue ? '' : 'not '}(d.status = 'denied' and d.payback_due_date is not null
        and d.payback_due_date < $1::date)`,
    );
  }
  if (q.open !== undefined) where.push(`${openAmountSql} ${q.open ? '>' : '<='} 0`);
  if (q.age_from !== undefined) add('d.deduction_date <= $1::date - ?::int', q.age_from);
  if (q.age_to !== undefined) add('d.deduction_date >= $1::date - ?::int', q.age_to);
  if (q.taken_from) add('d.deduction_date >= ?::date', q.taken_from);
  if (q.taken_to) add('d.deduction_date <= ?::date', q.taken_to);
  if (q.q) {
    add(
      `(d.deduction_id ilike '%' || ? || '%' or d.document_id ilike ? || '%' or d.payment_ref ilike ? || '%'
        or d.reference ilike '%' || ? || '%' or d.account_id ilike ? || '%' or a.name ilike '%' || ? || '%')`,
      q.q,
    );
  }
  // A grid's own sort and column filters (deductionGridColumns), over every deduction the others match.
  const { assignee: _desk, ...partnerColumns } = deductionGridColumns;
  const grid = gridClauses(
    'deductions list',
    q,
    isPartner(db.actor.roles) ? partnerColumns : deductionGridColumns,
    // Equal values keep the list's own order (its sort ends on the deduction id, so pages never overlap).
    orderBy[q.sort](q.dir ?? (q.sort === 'sla' || q.sort === 'account' ? 'asc' : 'desc')),
    (value) => {
      params.push(value);
      return `$${params.length}`;
    },
  );
  where.push(...grid.where);
  const base = `from deductions d left join accounts a on a.account_id = d.account_id`;
  const filters = where.length ? `where ${where.join(' and ')}` : '';
  const n = params.length;
  const dir = q.dir ?? (q.sort === 'sla' || q.sort === 'account' ? 'asc' : 'desc');
  const slaWhere = q.sla.length
    ? `${filters ? `${filters} and` : 'where'} d.status = 'open' and d.sla_due_date is not null and (case
        when d.sla_due_date < $1::date then 'breached' when d.sla_due_date <= $2::date then 'due_soon'
        else 'on_track' end) = any($${n + 1}::text[])`
    : filters;
  const slaParams = q.sla.length ? [...params, q.sla] : params;
  const m = slaParams.length;
  const rows = await db.query<DeductionRow>(
    `select ${rowColumns} ${base} ${slaWhere}
     order by ${grid.order ?? orderBy[q.sort](dir)} limit $${m + 1} offset $${m + 2}`,
    [...slaParams, q.limit, q.offset],
  );
  // $1 and $2 are typed here too: the filters may not mention them.
  const total = await db.query<{ n: number }>(
    `select count(*)::int as n, $1::date as as_of, $2::date as due_soon_until ${base} ${slaWhere}`,
    slaParams,
  );
  const counts = await db.query<{ breached: number; due_soon: number; on_track: number }>(
    `select count(*) filter (where d.sla_due_date < $1::date)::int as breached,
       count(*) filter (where d.sla_due_date >= $1::date and d.sla_due_date <= $2::date)::int as due_soon,
       count(*) filter (where d.sla_due_date > $2::date)::int as on_track
     ${base} ${filters ? `${filters} and` : 'where'} d.status = 'open'`,
    params,
  );
  let items = rows.rows;
  if (isPartner(db.actor.roles)) {
    const own = await ownClaimIds(db, items);
    items = items.map((r) => partnerRow(r, own));
  }
  return { items, total: total.rows[0]!.n, counts: counts.rows[0]!, as_of: asOf };
}

export interface QueueAmount {
  currency: string;
  open_amount: string;
  due_soon_amount: string;
  breached_amount: string;
}

export interface QueueSummary {
  queue: DeductionQueue;
  sla_business_days: number;
  /** Deductions waiting for the team's decision (status open). */
  open_count: number;
  due_soon_count: number;
  breached_count: number;
  /** Denied deductions whose payback is overdue. */
  payback_overdue_count: number;
  /** Per currency (amounts are never added across currencies). */
  amounts: QueueAmount[];
}

/** Every queue with its open deductions: how many, how much, due soon, breached. Desk only. */
export async function deductionQueueSummaries(
  db: Db,
  opts: { country?: string | undefined } = {},
): Promise<{ as_of: string; queues: QueueSummary[] }> {
  requireInternal(db.actor);
  const asOf = today();
  const params = [asOf, dueSoonUntil(asOf), opts.country ?? null];
  // One country's customers only (the WD8 review of a country), when asked.
  const ofCountry = `($3::text is null or exists (select 1 from accounts a
    where a.account_id = d.account_id and a.country = $3))`;
  const counts = await db.query<Omit<QueueSummary, 'amounts'>>(
    `select q.queue, q.sla_business_days,
       count(d.*) filter (where d.status = 'open')::int as open_count,
       count(d.*) filter (where d.status = 'open' and d.sla_due_date >= $1::date
         and d.sla_due_date <= $2::date)::int as due_soon_count,
       count(d.*) filter (where d.status = 'open' and d.sla_due_date < $1::date)::int as breached_count,
       count(d.*) filter (where d.status = 'denied' and d.payback_due_date < $1::date)::int
         as payback_overdue_count
     from deduction_queues q left join deductions d on d.queue = q.queue and ${ofCountry}
     group by q.queue, q.sla_business_days`,
    params,
  );
  const amounts = await db.query<QueueAmount & { queue: string }>(
    `select d.queue, d.currency, sum(d.amount)::numeric(18, 2)::text as open_amount,
       coalesce(sum(d.amount) filter (where d.sla_due_date >= $1::date and d.sla_due_date <= $2::date), 0)
         ::numeric(18, 2)::text as due_soon_amount,
       coalesce(sum(d.amount) filter (where d.sla_due_date < $1::date), 0)::numeric(18, 2)::text
         as breached_amount
     from deductions d where d.status = 'open' and ${ofCountry}
     group by d.queue, d.currency order by d.queue, d.currency`,
    params,
  );
  const order = (queue: string) => deductionQueues.indexOf(queue as DeductionQueue);
  return {
    as_of: asOf,
    queues: counts.rows
      .sort((a, b) => order(a.queue) - order(b.queue))
      .map((c) => ({
        ...c,
        amounts: amounts.rows.filter((a) => a.queue === c.queue).map(({ queue: _, ...amount }) => amount),
      })),
  };
}
