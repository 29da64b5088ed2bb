/** The administered reason codes of adjustments (CONTROLS.md lists a fresh install's). */
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import { adjustmentReaders } from './roles.ts';
import { type AdjustmentKind, type ReasonInput, reasonInput } from './schemas.ts';

export interface AdjustmentReason {
  reason_code: string;
  description: string;
  kinds: AdjustmentKind[];
  documents_required: boolean;
  active: boolean;
}

export async function listReasons(db: Db): Promise<AdjustmentReason[]> {
  requireRole(db.actor, adjustmentReaders);
  const { rows } = await db.query<AdjustmentReason>(
    `select reason_code, description, kinds, documents_required, active from adjustment_reasons
     order by reason_code`,
  );
  return rows;
}

/** Adds a reason code or changes one (an administrator); codes are never deleted, only made inactive. */
export async function saveReason(db: Db, raw: ReasonInput): Promise<AdjustmentReason> {
  requireRole(db.actor, ['administrator']);
  const input = reasonInput.parse(raw);
  return db.tx(async (tx) => {
    const before = await tx.query('select * from adjustment_reasons where reason_code = $1', [
      input.reason_code,
    ]);
    const { rows } = await tx.query<AdjustmentReason>(
      `insert into adjustment_reasons (reason_code, description, kinds, documents_required, active)
       values ($1, $2, $3, $4, $5)
       on conflict (reason_code) do update set description = excluded.description, kinds = excluded.kinds,
         documents_required = excluded.documents_required, active = excluded.active, updated_at = now()
       returning reason_code, description, kinds, documents_required, active`,
      [input.reason_code, input.description, input.kinds, input.documents_required, input.active],
    );
    await recordAudit(tx, {
      entityType: 'adjustment_reason',
      entityId: input.reason_code,
      accountId: null,
      action: before.rows[0] ? 'updated' : 'created',
      before: before.rows[0] ?? null,
      after: rows[0],
    });
    return rows[0]!;
  });
}
