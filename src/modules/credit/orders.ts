/**
 * An order on hold through the API, as one row of orders_on_hold.csv (key order_id): created, or updated when
 * its values changed (audited); an order released here stays released.
 */
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import { getOrder, type OrderDetail } from './decisions.ts';
import { type OrderInput, orderInput } from './schemas.ts';

const orderLoaders = ['administrator', 'credit', 'manager'] as const;

export async function saveOrder(db: Db, raw: OrderInput): Promise<{ order: OrderDetail; created: boolean }> {
  requireRole(db.actor, orderLoaders);
  const input = orderInput.parse(raw);
  const created = await db.tx(async (tx) => {
    const { rowCount } = await tx.query('select 1 from accounts where account_id = $1', [input.account_id]);
    if (!rowCount)
      throw new AppError('validation_failed', `account_id: ${input.account_id} is not an account`, {
        issues: [{ field: 'account_id', message: 'unknown account' }],
      });
    const { rows: before } = await tx.query<Record<string, string | null>>(
      `select account_id, to_char(order_date, 'YYYY-MM-DD') as order_date, amount::text, currency::text, hold_reason
       from credit_orders where order_id = $1 for update`,
      [input.order_id],
    );
    const old = before[0];
    if (old && old.account_id !== input.account_id)
      throw new AppError('conflict', `The order ${input.order_id} is an order of account ${old.account_id}.`);
    const { rows } = await tx.query<{ inserted: boolean; changed: boolean }>(
      `insert into credit_orders as o (account_id, order_id, order_date, amount, currency, hold_reason)
       values ($1, $2, $3::date, $4::numeric, $5, $6)
       on conflict (account_id, order_id) do update
         set order_date = excluded.order_date, amount = excluded.amount, currency = excluded.currency,
           hold_reason = excluded.hold_reason, updated_at = now()
         where (o.order_date, o.amount, o.currency, o.hold_reason) is distinct from
           (excluded.order_date, excluded.amount, excluded.currency, excluded.hold_reason)
       returning (xmax = 0) as inserted, true as changed`,
      [
        input.account_id,
        input.order_id,
        input.order_date,
        input.amount,
        input.currency,
        input.hold_reason ?? null,
      ],
    );
    if (rows[0]?.changed && old)
      await recordAudit(tx, {
        entityType: 'credit_order',
        entityId: input.order_id,
        accountId: input.account_id,
        action: 'updated',
        before: old,
        after: { ...input, hold_reason: input.hold_reason ?? null },
      });
    return rows[0]?.inserted ?? false;
  });
  return { order: await getOrder(db, input.order_id), created };
}
