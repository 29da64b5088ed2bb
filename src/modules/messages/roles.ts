import type { Actor } from '../../db/db.ts';
import { isPartner, requireRole } from '../identity/index.ts';

/** The desk's roles that read and write messages with partners. */
export const messageDesk = ['administrator', 'rebate_analyst', 'manager', 'collector'] as const;
/** The desk's roles that send (and resolve) recommendations from the scorecard. */
export const recommenders = ['administrator', 'rebate_analyst', 'manager'] as const;

export type Side = 'desk' | 'partner';

/** The side an actor writes from: a partner's own users, or the desk's roles that message (else 403). */
export function sideOf(actor: Actor): Side {
  if (isPartner(actor.roles)) return 'partner';
  requireRole(actor, messageDesk);
  return 'desk';
}
