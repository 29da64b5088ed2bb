/**
 * The credit team's decisions on orders on hold: release (once: releasing again records nothing more and
 * answers the release already made) or keep, each with a comment, recorded with the recommendation the report
 * gave at that moment and audited. Releases are exported for the ERP as `credit_releases.csv`.
 */
import { today } from '../../core/dates.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { type ExportColumn, toCsv, writeXlsx } from '../platform/export.ts';
import { recordAudit } from '../platform/index.ts';
import { pendRows } from './credit-queries.ts';
import {
  creditDeciders,
  creditReaders,
  type OrderDecisionInput,
  orderDecisionInput,
  type ReleasesQuery,
  releasesQuery,
} from './schemas.ts';

export interface CreditOrder {
  order_id: string;
  account_id: string;
  order_date: string;
  amount: string;
  currency: string;
  hold_reason: string | null;
  status: 'on_hold' | 'released';
  released_at: string | null;
  released_by: string | null;
  release_comment: string | null;
}

export interface CreditDecision {
  decision_id: string;
  decision: 'release' | 'keep';
  comment: string;
  recommendation: string | null;
  reasons: string[];
  decided_on: string;
  decided_at: string;
  decided_by: string;
}

export interface OrderDetail extends CreditOrder {
  decisions: CreditDecision[];
}

const iso = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
const orderColumns = `order_id, account_id, to_char(order_date, 'YYYY-MM-DD') as order_date, amount::text,
  currency::text, hold_reason, status, ${iso('released_at')} as released_at, released_by, release_comment`;

export async function getOrder(db: Db, orderId: string): Promise<OrderDetail> {
  requireRole(db.actor, creditReaders);
  const { rows } = await db.query<CreditOrder>(
    `select ${orderColumns} from credit_orders where order_id = $1`,
    [orderId],
  );
  const order = rows[0];
  if (!order) throw notFound(`The order ${orderId}`);
  const { rows: decisions } = await db.query<CreditDecision>(
    `select decision_id::text, decision, comment, recommendation, reasons,
       to_char(decided_on, 'YYYY-MM-DD') as decided_on, ${iso('decided_at')} as decided_at, decided_by
     from credit_decisions where order_id = $1 order by decided_at desc`,
    [orderId],
  );
  return { ...order, decisions };
}

async function lockOrder(tx: Db, orderId: string): Promise<CreditOrder> {
  const { rows } = await tx.query<CreditOrder>(
    `select ${orderColumns} from credit_orders where order_id = $1 for update`,
    [orderId],
  );
  if (!rows[0]) throw notFound(`The order ${orderId}`);
  return rows[0];
}

async function record(
  tx: Db,
  order: CreditOrder,
  decision: 'release' | 'keep',
  comment: string,
  on: string,
): Promise<void> {
  const rec = (await pendRows(tx, on, order.account_id)).find((r) => r.order_id === order.order_id);
  await tx.query(
    `insert into credit_decisions (account_id, order_id, decision, comment, recommendation, reasons, decided_on,
       decided_by, decided_by_id)
     values ($1, $2, $3, $4, $5, $6::text[], $7::date, $8, $9::uuid)`,
    [
      order.account_id,
      order.order_id,
      decision,
      comment,
      rec?.recommendation ?? null,
      rec?.reasons ?? [],
      on,
      tx.actor.name,
      tx.actor.userId,
    ],
  );
  await recordAudit(tx, {
    entityType: 'credit_order',
    entityId: order.order_id,
    accountId: order.account_id,
    action: decision === 'release' ? 'released' : 'kept',
    before: { status: order.status },
    after: {
      status: decision === 'release' ? 'released' : order.status,
      comment,
      recommendation: rec?.recommendation ?? null,
      reasons: rec?.reasons ?? [],
    },
  });
}

/** Releases an order on hold; an order released already stays as it was released (nothing is recorded twice). */
export async function releaseOrder(db: Db, orderId: string, raw: OrderDecisionInput): Promise<OrderDetail> {
  requireRole(db.actor, creditDeciders);
  const input = orderDecisionInput.parse(raw);
  await db.tx(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (order.status === 'released') return;
    const on = today();
    await record(tx, order, 'release', input.comment, on);
    await tx.query(
      `update credit_orders set status = 'released', released_at = now(), released_on = $2::date,
         released_by = $3, release_comment = $4, updated_at = now()
       where order_id = $1`,
      [orderId, on, tx.actor.name, input.comment],
    );
  });
  return getOrder(db, orderId);
}

/** Keeps an order on hold, with the comment why. */
export async function keepOrder(db: Db, orderId: string, raw: OrderDecisionInput): Promise<OrderDetail> {
  requireRole(db.actor, creditDeciders);
  const input = orderDecisionInput.parse(raw);
  await db.tx(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (order.status === 'released')
      throw new AppError('conflict', `The order ${orderId} was released already; it is no longer on hold.`);
    await record(tx, order, 'keep', input.comment, today());
  });
  return getOrder(db, orderId);
}

export interface CreditRelease {
  order_id: string;
  account_id: string;
  released_at: string;
  released_by: string;
  comment: string;
}

/** Releases made from one day to another (by the day they were made), oldest first. */
export async function listReleases(db: Db, raw: ReleasesQuery = {}): Promise<CreditRelease[]> {
  requireRole(db.actor, creditReaders);
  const q = releasesQuery.parse(raw);
  const { rows } = await db.query<CreditRelease>(
    `select order_id, account_id, ${iso('released_at')} as released_at, released_by,
       release_comment as comment
     from credit_orders
     where status = 'released' and ($1::date is null or released_on >= $1::date)
       and ($2::date is null or released_on <= $2::date)
     order by released_at, order_id`,
    [q.from ?? null, q.to ?? null],
  );
  return rows;
}

/** credit_releases.csv's columns (order_id, released_at, released_by, comment). */
export const releaseColumns: readonly ExportColumn[] = [
  { key: 'order_id', header: 'order_id' },
  { key: 'released_at', header: 'released_at' },
  { key: 'released_by', header: 'released_by' },
  { key: 'comment', header: 'comment' },
];

export const creditReleasesCsv = (rows: readonly CreditRelease[]) => toCsv(releaseColumns, rows);
export const creditReleasesXlsx = (rows: readonly CreditRelease[]) =>
  writeXlsx([{ name: 'credit_releases', columns: releaseColumns, rows }]);
