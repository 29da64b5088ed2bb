/**
 * What an adjustment was requested for (a dispute, a deduction) learns of its decision: the module that owns
 * the source registers a hook for its source_type, called in the approval's transaction after the
 * adjustment posted (approved) or closed (refused).
 */
import type { Db } from '../../db/db.ts';

export interface AdjustmentDecision {
  adjustmentId: string;
  sourceId: string;
  kind: string;
  /** The approval date (approved only). */
  on?: string;
}

export interface AdjustmentSourceHook {
  onApproved(tx: Db, decision: AdjustmentDecision): Promise<void>;
  onRefused(tx: Db, decision: AdjustmentDecision): Promise<void>;
}

const hooks = new Map<string, AdjustmentSourceHook>();

export function registerAdjustmentSourceHook(sourceType: string, hook: AdjustmentSourceHook): void {
  hooks.set(sourceType, hook);
}

/** Calls the hook of the adjustment's source, if its module registered one. */
export async function notifyAdjustmentSource(
  tx: Db,
  adjustmentId: string,
  decision: 'approved' | 'refused',
  on?: string,
): Promise<void> {
  const { rows } = await tx.query<{ source_type: string; source_id: string | null; kind: string }>(
    'select source_type, source_id, kind from adjustments where adjustment_id = $1',
    [adjustmentId],
  );
  const a = rows[0];
  const hook = a?.source_id ? hooks.get(a.source_type) : undefined;
  if (!a?.source_id || !hook) return;
  const d: AdjustmentDecision = { adjustmentId, sourceId: a.source_id, kind: a.kind, on };
  await (decision === 'approved' ? hook.onApproved(tx, d) : hook.onRefused(tx, d));
}
