import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { hasAnyRole, isPartner, type Role, requireRole } from '../identity/index.ts';
import type { DisputeTeam } from './schemas.ts';

/** Who opens disputes (and withdraws them when the customer does). */
export const disputeOpeners: readonly Role[] = ['collector', 'manager', 'administrator'];
/** The teams disputes are routed to; each team is worked by the users with the role of its name. */
export const disputeTeamRoles: readonly Role[] = ['order_management', 'billing', 'distribution'];
/** Who reads disputes: the collections desk, the teams, and the approvers of the adjustments they end in. */
export const disputeReaders: readonly Role[] = [...disputeOpeners, ...disputeTeamRoles, 'approver', 'credit'];
/** Who sets the teams' SLAs. */
export const teamAdministrators: readonly Role[] = ['administrator', 'manager'];

/** Disputes are the company's own work: partners get 403 before anything is read. */
export function requireDisputes(db: Db, roles: readonly Role[] = disputeReaders): void {
  if (isPartner(db.actor.roles)) throw new AppError('forbidden', 'Disputes are the company’s own work.');
  requireRole(db.actor, roles);
}

/** The routed team's members, managers and administrators work a dispute. */
export function mayWork(roles: readonly string[], team: DisputeTeam): boolean {
  return hasAnyRole(roles, ['manager', 'administrator', team]);
}
