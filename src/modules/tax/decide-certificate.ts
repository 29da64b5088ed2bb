/**
 * The tax team's decision on a received certificate: validated (it covers invoices from then on, within its
 * dates) or rejected with the reason, which is e-mailed to the customer's billing contact with the link to
 * upload a correct one. Nobody validates a certificate they uploaded themselves.
 */
import { today } from '../../core/dates.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { queueEmail, requestDelivery } from '../correspondence/index.ts';
import { requireInternal, requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import { type CertificateDetail, getCertificate, readCertificate } from './certificates.ts';
import { companyName, portalLink, splitAddresses } from './request-certificate.ts';
import { asMailer, taxTeam } from './roles.ts';
import {
  type RejectCertificateInput,
  rejectCertificateInput,
  type ValidateCertificateInput,
  validateCertificateInput,
} from './schemas.ts';

async function lockReceived(tx: Db, certificateId: string, doing: string) {
  const { rows } = await tx.query<{ status: string; received_by_id: string | null }>(
    'select status, received_by_id::text from tax_certificates where certificate_id = $1 for update',
    [certificateId],
  );
  const now = rows[0];
  const before = await readCertificate(tx, certificateId);
  if (!now || !before) throw notFound(`The certificate ${certificateId}`);
  if (now.status !== 'received')
    throw new AppError(
      'conflict',
      `${certificateId} is ${now.status}: only a received certificate is ${doing}.`,
    );
  return { before, receivedById: now.received_by_id };
}

export async function validateCertificate(
  db: Db,
  certificateId: string,
  raw: ValidateCertificateInput = {},
): Promise<CertificateDetail> {
  requireInternal(db.actor);
  requireRole(db.actor, taxTeam);
  const input = validateCertificateInput.parse(raw);
  await db.tx(async (tx) => {
    const { before, receivedById } = await lockReceived(tx, certificateId, 'validated');
    if (receivedById && receivedById === tx.actor.userId)
      throw new AppError(
        'forbidden',
        'You uploaded this certificate: someone else in the tax team validates it (separation of duties).',
      );
    const effective = input.effective_date ?? before.effective_date;
    const expiry = input.expiry_date === undefined ? before.expiry_date : input.expiry_date;
    if (!effective)
      throw new AppError('validation_failed', 'Give the date the certificate is effective from.', {
        issues: [{ field: 'effective_date', message: 'required' }],
      });
    if (expiry && expiry < effective)
      throw new AppError(
        'validation_failed',
        `expiry_date: ${expiry} is before effective_date ${effective}`,
        {
          issues: [{ field: 'expiry_date', message: 'is before effective_date' }],
        },
      );
    await tx.query(
      `update tax_certificates set status = 'validated', effective_date = $2::date, expiry_date = $3::date,
         decided_on = $4::date, decided_by = $5, decided_by_id = $6::uuid, rejection_reason = null,
         updated_at = now()
       where certificate_id = $1`,
      [certificateId, effective, expiry, today(), tx.actor.name, tx.actor.userId],
    );
    const after = (await readCertificate(tx, certificateId))!;
    await recordAudit(tx, {
      entityType: 'tax_certificate',
      entityId: certificateId,
      accountId: before.account_id,
      action: 'validated',
      before,
      after: { ...after, comment: input.comment || null },
    });
  });
  return getCertificate(db, certificateId);
}

export async function rejectCertificate(
  db: Db,
  certificateId: string,
  raw: RejectCertificateInput,
): Promise<CertificateDetail & { email_id: string | null }> {
  requireInternal(db.actor);
  requireRole(db.actor, taxTeam);
  const input = rejectCertificateInput.parse(raw);
  const emailId = await db.tx(async (tx) => {
    const { before } = await lockReceived(tx, certificateId, 'rejected');
    await tx.query(
      `update tax_certificates set status = 'rejected', decided_on = $2::date, decided_by = $3,
         decided_by_id = $4::uuid, rejection_reason = $5, updated_at = now()
       where certificate_id = $1`,
      [certificateId, today(), tx.actor.name, tx.actor.userId, input.reason],
    );
    const after = (await readCertificate(tx, certificateId))!;
    await recordAudit(tx, {
      entityType: 'tax_certificate',
      entityId: certificateId,
      accountId: before.account_id,
      action: 'rejected',
      before,
      after,
    });
    const { rows } = await tx.query<{ name: string; billing_email: string | null }>(
      'select name, billing_email from accounts where account_id = $1',
      [before.account_id],
    );
    const to = splitAddresses(rows[0]?.billing_email);
    if (to.length === 0) return null;
    const email = await queueEmail(asMailer(tx), {
      accountId: before.account_id,
      to,
      subject: `Your tax-exempt certificate for ${before.jurisdiction} could not be accepted`,
      body: `${[
        `Dear ${rows[0]!.name},`,
        '',
        `we could not accept your tax-exempt certificate ${before.certificate_number ?? ''} for ${before.jurisdiction}:`,
        input.reason,
        '',
        'Please upload a valid certificate in the partner portal:',
        portalLink(certificateId),
        '',
        companyName(),
      ].join('\n')}\n`,
      kind: 'tax_certificate_rejected',
      dedupeKey: `tax-certificate-rejected:${certificateId}:${before.document_id ?? 'none'}`,
    });
    return email?.email_id ?? null;
  });
  if (emailId) await requestDelivery([emailId]);
  return { ...(await getCertificate(db, certificateId)), email_id: emailId };
}
