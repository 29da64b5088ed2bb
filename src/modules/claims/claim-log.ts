/**
 * The claim log: every submitted claim (drafts are not in it) with its dates (submitted, validated, decided), its age in business days and
 * SLA (state, target, due date), urgency, amounts (claimed, calculated, approved), status, partner and
 * program; filtered, paged and exported to XLSX. Setting a claim urgent halves its SLA target.
 */

import { type BusinessDate, today as todayDate } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import { type Db, PoolDb } from '../../db/db.ts';
import { type GridColumn, type GridQueryInput, gridClauses } from '../../db/grid-query.ts';
import { keptAnswer, scopeKey } from '../../db/kept-answers.ts';
import { requireRole } from '../identity/index.ts';
import { type ExportColumn, type ExportSheet, headerWords, writeXlsx } from '../platform/export.ts';
import { recordAudit } from '../platform/index.ts';
import { type ClaimKey, type ClaimRef, claimNotFound, findClaim } from './claim-ref.ts';
import { type ClaimStatus, claimTotalsSql } from './queries.ts';
import { type SlaState, slaInputsJoin, slaOf, slaSql } from './sla.ts';
import { prepareStoredSla } from './sla-calendar.ts';
import { claimStatusLabels } from './statement.ts';

export interface ClaimLogQuery extends GridQueryInput {
  status?: ClaimStatus | undefined;
  account_id?: string | undefined;
  program_id?: string | undefined;
  sla_state?: SlaState | undefined;
  submitted_from?: string | undefined;
  submitted_to?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface ClaimLogItem {
  claim_id: string;
  account_id: string;
  partner_name: string | null;
  country: string | null;
  program_id: string;
  program_name: string | null;
  status: ClaimStatus;
  urgent: boolean;
  currency: string;
  submitted_date: string;
  validated_date: string | null;
  decided_date: string | null;
  /** The payment date, which closes the SLA clock. */
  paid_date: string | null;
  lines: number;
  claimed_amount: string;
  calculated_amount: string | null;
  approved_amount: string | null;
  sla_state: SlaState;
  target_business_days: number;
  due_date: string;
  age_business_days: number;
  business_days_left: number | null;
}

const urgentSetters = ['rebate_analyst', 'manager', 'administrator'] as const;

interface LogRow {
  claim_id: string;
  account_id: string;
  partner_name: string | null;
  country: string | null;
  program_id: string;
  program_name: string | null;
  status: ClaimStatus;
  urgent: boolean;
  currency: string;
  submitted_date: string;
  validated_date: string | null;
  decided_date: string | null;
  /** The payment date, which closes the SLA clock. */
  paid_date: string | null;
  lines: number;
  claimed_amount: string;
  calculated_amount: string | null;
  approved_amount: string | null;
  sla_business_days: number | null;
  stopped_on: string | null;
}

/**
 * The columns a grid may sort (`order`) and filter (`filters`) the claim log by: `c` the claim, `a` its
 * partner, `p` its program, `sla` its SLA as worked out today (sla.ts, the due date too), `t` its totals.
 */
export const claimLogGridColumns: Readonly<Record<string, GridColumn>> = {
  claim_id: { sort: 'c.claim_id' },
  partner: { sort: 'coalesce(a.name, c.account_id)' },
  account_id: { sort: 'c.account_id' },
  program: { sort: 'coalesce(p.name, c.program_id)' },
  status: { sort: 'c.status' },
  sla_state: { sort: 'sla.sla_state' },
  urgent: { sort: 'c.urgent', filter: "case when c.urgent then 'yes' else 'no' end" },
  submitted_date: { sort: 'c.submitted_date' },
  validated_date: { sort: 'c.validated_at::date' },
  decided_date: { sort: 'c.decided_at::date' },
  paid_date: { sort: 'c.paid_on' },
  age_business_days: { sort: 'sla.age_business_days', filter: null },
  business_days_left: { sort: 'sla.business_days_left', filter: null },
  due_date: { sort: 'sla.due_date' },
  target_business_days: { sort: 'sla.target_business_days', filter: null },
  lines: { sort: 't.lines', filter: null },
  claimed_amount: { sort: 't.claimed_amount', filter: null },
  calculated_amount: { sort: 't.calculated_amount', filter: null },
  approved_amount: { sort: 't.approved_amount', filter: null },
  currency: { sort: 'c.currency' },
};

/** The log's own order: newest submitted first (the claim id, then the partner, break ties). */
const logOrder = 'c.submitted_date desc, c.claim_id desc, c.account_id';

interface LogPage {
  rows: LogRow[];
  total: number;
}

/**
 * The log's rows, filtered (the SLA state too, in SQL) and paged in the database; drafts are not in it. Claims
 * whose clock stopped have their state stored (met, missed; `prepareStoredSla`) and are paged through an index;
 * the others (open clocks, stale stored states) have it worked out here.
 */
async function logRows(db: Db, q: ClaimLogQuery, asOf: BusinessDate, claim?: ClaimRef): Promise<LogPage> {
  const where: string[] = [];
  const params: unknown[] = [asOf];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replaceAll('$?', `$${params.length}`));
  };
  if (claim) {
    add('c.claim_id = $?', claim.claim_id);
    add('c.account_id = $?', claim.account_id);
  }
  if (q.status) add('c.status = $?', q.status);
  if (q.account_id) add('c.account_id = $?', q.account_id);
  if (q.program_id) add('c.program_id = $?', q.program_id);
  if (q.sla_state) add('$sla_state = $?', q.sla_state);
  if (q.submitted_from) add('c.submitted_date >= $?::date', q.submitted_from);
  if (q.submitted_to) add('c.submitted_date <= $?::date', q.submitted_to);
  const filters = (state: string) => [...where, 'true'].join(' and ').replaceAll('$sla_state', state);
  const live = `from claims c
       ${slaInputsJoin}
       ${slaSql('$1::date')}
       where (c.sla_stale or c.sla_stopped_state is null) and c.status <> 'draft' and ${filters('sla.sla_state')}`;
  // A stored state is met or missed: the clock stopped, so the claim is not a draft.
  const stored = `from claims c
       where not c.sla_stale and c.sla_stopped_state is not null and ${filters('c.sla_stopped_state')}`;
  // A grid's own sort and column filters: every claim the other filters match has what the columns read
  // worked out (its SLA, its totals: joined only when a column reads them), then is ordered and paged.
  const grid = gridClauses('claim log', q, claimLogGridColumns, logOrder, (value) => {
    params.push(value);
    return `$${params.length}`;
  });
  // The claims the filters match, with what `reads` (SQL) reads of them joined: the count joins only what
  // the filters read, the page what its order reads too.
  const gridFrom = (reads: string) => `from claims c
       left join accounts a on a.account_id = c.account_id
       left join programs p on p.program_id = c.program_id
       ${/\bsla\./.test(reads) || q.sla_state ? `${slaInputsJoin} ${slaSql('$1::date')}` : ''}
       ${/\bt\./.test(reads) ? `cross join lateral (${claimTotalsSql('c')}) t` : ''}
       where c.status <> 'draft' and ${filters('sla.sla_state')} ${grid.where.map((w) => `and ${w}`).join(' ')}`;
  const filterReads = grid.where.join(' ');
  params.push(q.limit ?? 200, q.offset ?? 0);
  const [limitAt, offsetAt] = [params.length - 1, params.length];
  const end = `($${limitAt}::bigint + $${offsetAt}::bigint)`;
  const gridOrder = grid.order !== null || grid.where.length > 0;
  const order = grid.order ?? logOrder;
  const countSql = gridOrder
    ? `select count(*)::int as n ${gridFrom(filterReads)}`
    : `select (select count(*) ${live})::int + (select count(*) ${stored})::int as n`;
  const { rows } = await db.query<LogRow & { total_count: number }>(
    `with page as (${
      gridOrder
        ? `select c.account_id, c.claim_id ${gridFrom(`${order} ${filterReads}`)}
           order by ${order} limit $${limitAt} offset $${offsetAt}`
        : `select x.account_id, x.claim_id from (
         (select c.account_id, c.claim_id, c.submitted_date ${live}
          order by c.submitted_date desc, c.claim_id desc limit ${end})
         union all
         (select c.account_id, c.claim_id, c.submitted_date ${stored}
          order by c.submitted_date desc, c.claim_id desc limit ${end})
       ) x
       order by x.submitted_date desc, x.claim_id desc
       limit $${limitAt} offset $${offsetAt}`
    }),
     total as (${countSql})
     select c.claim_id, c.account_id, a.name as partner_name, s.country, c.program_id, p.name as program_name,
       c.status, c.urgent, c.currency, c.submitted_date, c.validated_at::date as validated_date,
       c.decided_at::date as decided_date, c.paid_on as paid_date, t.lines, t.claimed_amount::text as claimed_amount,
       t.calculated_amount::text as calculated_amount, t.approved_amount::text as approved_amount,
       sv.sla_business_days, s.stopped_on, total.n as total_count
     from page
     join claims c on c.account_id = page.account_id and c.claim_id = page.claim_id
     cross join total
     left join accounts a on a.account_id = c.account_id
     left join programs p on p.program_id = c.program_id
     ${slaInputsJoin}
     cross join lateral (${claimTotalsSql('c')}) t
     ${gridOrder ? `${slaSql('$1::date')} order by ${order}` : 'order by c.submitted_date desc, c.claim_id desc'}`,
    params,
  );
  let total = rows[0]?.total_count ?? 0;
  if (rows.length === 0 && (q.offset ?? 0) > 0) {
    // Past the last page: count what there is.
    const counted = await db.query<{ n: number }>(countSql, params.slice(0, -2));
    total = counted.rows[0]?.n ?? 0;
  }
  return { rows: rows.map(({ total_count: _n, ...r }) => r), total };
}

function toItem(r: LogRow, asOf: BusinessDate): ClaimLogItem {
  const sla = slaOf(
    {
      country: r.country,
      submitted_date: r.submitted_date,
      urgent: r.urgent,
      sla_business_days: r.sla_business_days,
      stopped_on: r.stopped_on,
    },
    asOf,
  );
  const { sla_business_days: _days, stopped_on: _stopped, ...rest } = r;
  return { ...rest, ...sla };
}

/**
 * The claim log as of `asOf` (today), newest submitted first: filtered (SLA state included) and paged in the
 * database, the figures of the page from the SLA functions (`slaOf`).
 */
export async function claimLog(
  db: Db,
  q: ClaimLogQuery = {},
  asOf: BusinessDate = todayDate(),
): Promise<{ items: ClaimLogItem[]; total: number; as_of: string }> {
  const read = async (tx: Db) => {
    const page = await logRows(tx, q, asOf);
    return { items: page.rows.map((r) => toItem(r, asOf)), total: page.total, as_of: asOf };
  };
  // A whole log (the export) is read afresh, never kept.
  if (!(db instanceof PoolDb) || (q.limit ?? 200) > 1000) {
    return db.tx(async (tx) => {
      await prepareStoredSla(tx, asOf);
      return read(tx);
    });
  }
  // A server keeps the page it read and gives it again while no claim (nor what their SLA is read from) has
  // changed (keptAnswer): the stored SLA states made current first, then read in one snapshot.
  return keptAnswer(db, 'claim_changes', [scopeKey(db.actor), 'log', asOf, q], async () => {
    await prepareStoredSla(db, asOf);
    return db.snapshot(async (tx) => {
      const { rows } = await tx.query<{ s: string }>('select pg_current_snapshot()::text as s');
      return { value: await read(tx), snapshot: rows[0]!.s };
    });
  });
}

export const claimLogColumns: readonly ExportColumn[] = [
  { key: 'claim_id', header: 'Claim' },
  { key: 'account_id', header: 'Partner ID' },
  { key: 'partner_name', header: 'Partner' },
  { key: 'country', header: 'Country' },
  { key: 'program_id', header: 'Program ID' },
  { key: 'program_name', header: 'Program' },
  { key: 'status', header: 'Status' },
  { key: 'urgent_text', header: 'Urgent' },
  { key: 'submitted_date', header: 'Submitted', type: 'date' },
  { key: 'validated_date', header: 'Validated', type: 'date' },
  { key: 'decided_date', header: 'Decided', type: 'date' },
  { key: 'paid_date', header: 'Paid', type: 'date' },
  { key: 'age_business_days', header: 'Age (business days)', type: 'int' },
  { key: 'target_business_days', header: 'SLA target (business days)', type: 'int' },
  { key: 'due_date', header: 'Due', type: 'date' },
  { key: 'business_days_left', header: 'Business days left', type: 'int' },
  { key: 'sla_state', header: 'SLA state' },
  { key: 'currency', header: 'Currency' },
  { key: 'lines', header: 'Lines', type: 'int' },
  { key: 'claimed_amount', header: 'Claimed', type: 'amount' },
  { key: 'calculated_amount', header: 'Calculated', type: 'amount' },
  { key: 'approved_amount', header: 'Approved', type: 'amount' },
];

/** The whole filtered log (no paging) as an XLSX workbook. */
export async function exportClaimLogXlsx(
  db: Db,
  q: ClaimLogQuery = {},
  asOf: BusinessDate = todayDate(),
): Promise<{ fileName: string; content: Buffer }> {
  const { items } = await claimLog(db, { ...q, limit: Number.MAX_SAFE_INTEGER, offset: 0 }, asOf);
  const content = await writeXlsx([claimLogSheet(items)], { title: 'Claim log', period: `As of ${asOf}` });
  return { fileName: `claim-log-${asOf}.xlsx`, content };
}

/** Claim log entries as a spreadsheet sheet, statuses and SLA states in words. */
export function claimLogSheet(items: readonly ClaimLogItem[]): ExportSheet {
  return {
    name: 'claim log',
    columns: claimLogColumns,
    rows: items.map((x) => ({
      ...x,
      status: claimStatusLabels[x.status] ?? x.status,
      sla_state: x.sla_state ? headerWords(x.sla_state) : x.sla_state,
      urgent_text: x.urgent ? 'yes' : 'no',
    })),
  };
}

/** One claim's log entry (404 when the caller may not see it). */
export async function claimLogItem(
  db: Db,
  key: ClaimKey,
  asOf: BusinessDate = todayDate(),
): Promise<ClaimLogItem> {
  const ref = await findClaim(db, key);
  await prepareStoredSla(db, asOf);
  const [row] = (await logRows(db, {}, asOf, ref)).rows;
  if (!row) throw claimNotFound(ref.claim_id);
  return toItem(row, asOf);
}

/** Marks a claim urgent (half the SLA target) or not; audited. Desk roles only. */
export async function setClaimUrgent(db: Db, key: ClaimKey, urgent: boolean): Promise<ClaimLogItem> {
  requireRole(db.actor, urgentSetters);
  return db.tx(async (tx) => {
    const ref = await findClaim(tx, key);
    const claimId = ref.claim_id;
    const { rows } = await tx.query<{ account_id: string; urgent: boolean; status: string }>(
      'select account_id, urgent, status from claims where account_id = $1 and claim_id = $2 for update',
      [ref.account_id, claimId],
    );
    const claim = rows[0];
    if (!claim) throw claimNotFound(claimId);
    if (claim.status === 'draft') {
      throw new AppError(
        'conflict',
        `Claim ${claimId} is a draft: its SLA starts when it is submitted, so it cannot be urgent yet.`,
      );
    }
    if (claim.urgent !== urgent) {
      await tx.query(
        'update claims set urgent = $3, updated_at = now() where account_id = $1 and claim_id = $2',
        [claim.account_id, claimId, urgent],
      );
      await recordAudit(tx, {
        entityType: 'claim',
        entityId: claimId,
        accountId: claim.account_id,
        action: urgent ? 'urgent_set' : 'urgent_unset',
        before: { urgent: claim.urgent },
        after: { urgent },
      });
    }
    return claimLogItem(tx, ref);
  });
}
