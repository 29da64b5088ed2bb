import { AppError } from '../../core/errors.ts';
import type { Db, Row } from '../../db/db.ts';
import { isPartner, type Role, requireRole } from '../identity/index.ts';

/** The tax team decides on certificates: validates or rejects them (managers and administrators may too). */
export const taxTeam: readonly Role[] = ['tax', 'manager', 'administrator'];
/** Who asks a customer for a certificate: the tax team and the collections desk. */
export const certificateRequesters: readonly Role[] = [...taxTeam, 'collector'];
/** Who reads certificates and the tax exceptions on the desk; partners read their own certificates. */
export const certificateReaders: readonly Role[] = [
  ...certificateRequesters,
  'credit',
  'approver',
  'billing',
];

/** Partners read and upload their own certificates (row security); the desk needs a reader's role. */
export function requireCertificateReader(db: Db): void {
  if (isPartner(db.actor.roles)) return;
  requireRole(db.actor, certificateReaders);
}

/** The tax exceptions are the company's own checks of its invoices: partners get 403. */
export function requireDeskReader(db: Db): void {
  if (isPartner(db.actor.roles)) throw new AppError('forbidden', 'This is only for the company’s own users.');
  requireRole(db.actor, certificateReaders);
}

/**
 * Certificate e-mails (the request, expiry reminders) are the certificate process's own: the tax team need
 * not be allowed to send any other correspondence. The view acts with the collections desk's sending right,
 * in the same transaction, so the audit trail still names the user.
 */
export function asMailer(tx: Db): Db {
  const actor = { ...tx.actor, roles: [...new Set([...tx.actor.roles, 'collector'])] };
  const view: Db = {
    actor,
    client: tx.client,
    query: <R extends Row>(text: string, values?: readonly unknown[]) => tx.query<R>(text, values),
    tx: (fn) => tx.tx(() => fn(view)),
  };
  return view;
}
