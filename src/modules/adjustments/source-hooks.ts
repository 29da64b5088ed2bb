/**
 * What an adjustment was requested from (`source_type`, `source_id`: a dispute, a deduction) may want to
 * know how it ended. The module that owns the source registers a hook here; the adjustment's approval calls
 * it in the deciding transaction, after the posting, so the source changes exactly when the adjustment does
 * (or neither does). Adjustments never import the modules above them: they register into this.
 */
import type { Db } from '../../db/db.ts';

export interface AdjustmentSourceHook {
  /** The adjustment was approved and posted, dated `on`. */
  onApproved?(tx: Db, adjustmentId: string, sourceId: string, on: string): Promise<void>;
  /** The adjustment was refused: nothing was posted. */
  onRefused?(tx: Db, adjustmentId: string, sourceId: string): Promise<void>;
}

const hooks = new Map<string, AdjustmentSourceHook>();

export function registerAdjustmentSourceHook(sourceType: string, hook: AdjustmentSourceHook): void {
  hooks.set(sourceType, hook);
}

/** Tells the adjustment's source, if it has a hook, that the adjustment was approved or refused. */
export async function notifyAdjustmentSource(
  tx: Db,
  adjustmentId: string,
  outcome: { approved: true; on: string } | { approved: false },
): Promise<void> {
  const { rows } = await tx.query<{ source_type: string; source_id: string | null }>(
    'select source_type, source_id from adjustments where adjustment_id = $1',
    [adjustmentId],
  );
  const source = rows[0];
  if (!source?.source_id) return;
  const hook = hooks.get(source.source_type);
  if (!hook) return;
  if (outcome.approved) await hook.onApproved?.(tx, adjustmentId, source.source_id, outcome.on);
  else await hook.onRefused?.(tx, adjustmentId, source.source_id);
}
