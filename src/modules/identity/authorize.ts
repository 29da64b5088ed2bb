import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../db/db.ts';
import { hasAnyRole, isPartner, type Role } from './roles.ts';

/** Use cases check permissions themselves, so the CLI, jobs and the API enforce the same rules. */
export function requireRole(actor: Actor, allowed: readonly Role[]): void {
  if (!hasAnyRole(actor.roles, allowed)) {
    throw new AppError('forbidden', `This needs one of the roles: ${allowed.join(', ')}.`);
  }
}

export function requireInternal(actor: Actor): void {
  if (isPartner(actor.roles)) throw new AppError('forbidden', 'This is only for the company’s own users.');
}
