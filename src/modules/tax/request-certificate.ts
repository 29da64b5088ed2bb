/**
 * Asking a customer for a tax-exempt certificate: a certificate `requested` for the account and
 * jurisdiction, and an e-mail to the account's billing contact with the link to upload it in the partner
 * portal. One open request per account and jurisdiction; asking again while one is open is a conflict.
 */
import { loadConfig } from '../../config.ts';
import { today } from '../../core/dates.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { queueEmail, requestDelivery } from '../correspondence/index.ts';
import { isPartner, requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import { type Certificate, readCertificate } from './certificates.ts';
import { asMailer, certificateRequesters } from './roles.ts';
import { type RequestCertificateInput, requestCertificateInput } from './schemas.ts';

/** The portal page where the customer uploads it (the link in every e-mail about a certificate). */
export function portalLink(certificateId?: string): string {
  const base = `${loadConfig().publicUrl}/my-tax-certificates`;
  return certificateId ? `${base}?certificate=${encodeURIComponent(certificateId)}` : base;
}

export const splitAddresses = (list: string | null | undefined): string[] =>
  (list ?? '')
    .split(/[;,]\s*/)
    .map((a) => a.trim())
    .filter(Boolean);

export function companyName(): string {
  return process.env.CLEARHOUSE_COMPANY_NAME?.trim() || 'Clearhouse';
}

function requestBody(a: { name: string }, jurisdiction: string, link: string, note: string): string {
  return `${[
    `Dear ${a.name},`,
    '',
    `to invoice you without tax in ${jurisdiction}, we need your tax-exempt certificate for ${jurisdiction}.`,
    ...(note ? ['', note] : []),
    '',
    'Please upload it in the partner portal, with its number and the dates it is valid from and to:',
    link,
    '',
    'Until we have a valid certificate, invoices taxed in this jurisdiction carry tax.',
    '',
    companyName(),
  ].join('\n')}\n`;
}

export interface CertificateRequest {
  certificate: Certificate;
  email_id: string;
  /** 'queued' when the job queue sends it; 'pending' when the scheduled mail run (or sendQueued) will. */
  delivery: 'queued' | 'pending';
}

export async function requestCertificate(db: Db, raw: RequestCertificateInput): Promise<CertificateRequest> {
  if (isPartner(db.actor.roles))
    throw new AppError('forbidden', 'Certificates are requested by the company; upload yours instead.');
  requireRole(db.actor, certificateRequesters);
  const input = requestCertificateInput.parse(raw);
  const result = await db.tx(async (tx) => {
    const { rows: accounts } = await tx.query<{ name: string; billing_email: string | null }>(
      'select name, billing_email from accounts where account_id = $1 for update',
      [input.account_id],
    );
    const account = accounts[0];
    if (!account) throw notFound(`The account ${input.account_id}`);
    const to = splitAddresses(account.billing_email);
    if (to.length === 0)
      throw new AppError(
        'validation_failed',
        `${input.account_id} has no billing contact to ask: set the account’s billing e-mail first.`,
        { issues: [{ field: 'account_id', message: 'the account has no billing_email' }] },
      );
    const { rows: open } = await tx.query<{ certificate_id: string; requested_on: string }>(
      `select certificate_id, requested_on from tax_certificates
       where account_id = $1 and jurisdiction = $2 and status = 'requested'`,
      [input.account_id, input.jurisdiction],
    );
    if (open[0])
      throw new AppError(
        'conflict',
        `${open[0].certificate_id} was requested from ${input.account_id} for ${input.jurisdiction} on ${open[0].requested_on} and is not in yet.`,
        { details: { certificate_id: open[0].certificate_id } },
      );
    const on = today();
    const { rows } = await tx.query<{ certificate_id: string }>(
      `insert into tax_certificates (account_id, jurisdiction, status, requested_on, requested_by)
       values ($1, $2, 'requested', $3, $4) returning certificate_id`,
      [input.account_id, input.jurisdiction, on, tx.actor.name],
    );
    const certificateId = rows[0]!.certificate_id;
    const email = await queueEmail(asMailer(tx), {
      accountId: input.account_id,
      to,
      subject: `Your tax-exempt certificate for ${input.jurisdiction}, please`,
      body: requestBody(account, input.jurisdiction, portalLink(certificateId), input.note),
      kind: 'tax_certificate_request',
      dedupeKey: `tax-certificate-request:${certificateId}`,
    });
    await tx.query(
      'update tax_certificates set request_email_id = $3::uuid where account_id = $1 and certificate_id = $2',
      [input.account_id, certificateId, email!.email_id],
    );
    const certificate = (await readCertificate(tx, certificateId))!;
    await recordAudit(tx, {
      entityType: 'tax_certificate',
      entityId: certificateId,
      accountId: input.account_id,
      action: 'requested',
      after: { ...certificate, note: input.note || null },
    });
    return { certificate, email_id: email!.email_id };
  });
  const queued = await requestDelivery([result.email_id]);
  return { ...result, delivery: queued ? 'queued' : 'pending' };
}
