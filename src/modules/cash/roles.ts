import type { Db } from '../../db/db.ts';
import { requireInternal, requireRole } from '../identity/index.ts';

/** The cash desk: who applies cash, works the exception queue and clears credits. Partners never do. */
export const cashRoles = ['administrator', 'collector', 'manager', 'credit'] as const;

export function requireCashDesk(db: Db): void {
  requireInternal(db.actor);
  requireRole(db.actor, cashRoles);
}
