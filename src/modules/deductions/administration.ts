/**
 * The desk's administration of deductions: each customer's reason codes mapped to a category (one at a time
 * here; reason_codes.csv loads many), and the queues' SLA in business days and shared mailbox. The company's
 * own users read them; managers and administrators change them.
 */
import { notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireInternal, requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import {
  type QueueInput,
  queueInput,
  type ReasonCodeInput,
  type ReasonCodesQuery,
  reasonCodeInput,
  reasonCodesQuery,
} from './action-schemas.ts';
import { type DeductionCategory, type DeductionQueue, roleOfQueue } from './categories.ts';
import { deductionAdmins } from './routing.ts';

export interface ReasonCode {
  account_id: string;
  account_name: string | null;
  customer_code: string;
  category: DeductionCategory;
  updated_at: string;
  updated_by: string | null;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

const codeColumns = `r.account_id, a.name as account_name, r.customer_code, r.category, r.updated_at,
  coalesce((select u.name from users u where u.user_id::text = r.updated_by), r.updated_by) as updated_by`;

async function readCode(db: Db, accountId: string, code: string): Promise<ReasonCode | undefined> {
  const { rows } = await db.query<ReasonCode>(
    `select ${codeColumns} from deduction_reason_codes r left join accounts a on a.account_id = r.account_id
     where r.account_id = $1 and r.customer_code = $2`,
    [accountId, code],
  );
  return rows[0] ? { ...rows[0], updated_at: iso(rows[0].updated_at) } : undefined;
}

export async function listReasonCodes(db: Db, raw: ReasonCodesQuery = {}): Promise<ReasonCode[]> {
  requireInternal(db.actor);
  const q = reasonCodesQuery.parse(raw);
  const { rows } = await db.query<ReasonCode>(
    `select ${codeColumns} from deduction_reason_codes r left join accounts a on a.account_id = r.account_id
     where ($1::text is null or r.account_id = $1) order by r.account_id, r.customer_code limit 5000`,
    [q.account_id ?? null],
  );
  return rows.map((r) => ({ ...r, updated_at: iso(r.updated_at) }));
}

/** Maps a customer's reason code to a category (new or changed). Deductions already routed keep their queue. */
export async function saveReasonCode(
  db: Db,
  accountId: string,
  customerCode: string,
  raw: ReasonCodeInput,
): Promise<ReasonCode> {
  requireInternal(db.actor);
  requireRole(db.actor, deductionAdmins);
  const input = reasonCodeInput.parse(raw);
  return db.tx(async (tx) => {
    const { rowCount } = await tx.query('select 1 from accounts where account_id = $1', [accountId]);
    if (!rowCount) throw notFound(`The account ${accountId}`);
    const before = await readCode(tx, accountId, customerCode);
    await tx.query(
      `insert into deduction_reason_codes (account_id, customer_code, category) values ($1, $2, $3)
       on conflict (account_id, customer_code) do update set category = excluded.category, updated_at = now(),
         updated_by = excluded.updated_by`,
      [accountId, customerCode, input.category],
    );
    const after = (await readCode(tx, accountId, customerCode))!;
    await recordAudit(tx, {
      entityType: 'deduction_reason_code',
      entityId: `${accountId}:${customerCode}`,
      accountId,
      action: before ? 'updated' : 'created',
      before: before ?? null,
      after,
    });
    return after;
  });
}

export async function deleteReasonCode(db: Db, accountId: string, customerCode: string): Promise<void> {
  requireInternal(db.actor);
  requireRole(db.actor, deductionAdmins);
  await db.tx(async (tx) => {
    const before = await readCode(tx, accountId, customerCode);
    if (!before) throw notFound(`The reason code ${customerCode} of ${accountId}`);
    await tx.query('delete from deduction_reason_codes where account_id = $1 and customer_code = $2', [
      accountId,
      customerCode,
    ]);
    await recordAudit(tx, {
      entityType: 'deduction_reason_code',
      entityId: `${accountId}:${customerCode}`,
      accountId,
      action: 'deleted',
      before,
    });
  });
}

export interface DeductionQueueRow {
  queue: DeductionQueue;
  sla_business_days: number;
  email: string | null;
  /** The role whose users work it (besides managers and administrators). */
  role: string;
  updated_at: string;
  updated_by: string | null;
}

const queueColumns = `q.queue, q.sla_business_days, q.email, q.updated_at,
  coalesce((select u.name from users u where u.user_id::text = q.updated_by), q.updated_by) as updated_by`;

export async function listDeductionQueues(db: Db): Promise<DeductionQueueRow[]> {
  requireInternal(db.actor);
  const { rows } = await db.query<Omit<DeductionQueueRow, 'role'>>(
    `select ${queueColumns} from deduction_queues q order by q.queue`,
  );
  return rows.map((r) => ({ ...r, role: roleOfQueue[r.queue], updated_at: iso(r.updated_at) }));
}

/** Sets a queue's SLA (new deductions and reassignments count from it) and its shared mailbox. */
export async function saveDeductionQueue(
  db: Db,
  queue: DeductionQueue,
  raw: QueueInput,
): Promise<DeductionQueueRow> {
  requireInternal(db.actor);
  requireRole(db.actor, deductionAdmins);
  const input = queueInput.parse(raw);
  return db.tx(async (tx) => {
    const { rows: before } = await tx.query(
      `select ${queueColumns} from deduction_queues q where q.queue = $1`,
      [queue],
    );
    if (!before[0]) throw notFound(`The queue ${queue}`);
    await tx.query(
      `update deduction_queues set sla_business_days = $2, email = $3, updated_at = now(),
         updated_by = nullif(current_setting('clearhouse.actor', true), '') where queue = $1`,
      [queue, input.sla_business_days, input.email],
    );
    const after = (await listDeductionQueues(tx)).find((q) => q.queue === queue)!;
    await recordAudit(tx, {
      entityType: 'deduction_queue',
      entityId: queue,
      accountId: '',
      action: 'updated',
      before: before[0],
      after,
    });
    return after;
  });
}
