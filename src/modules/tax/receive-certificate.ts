/**
 * A certificate arrives: the customer uploads it in the portal (answering a request, or of its own accord),
 * or someone on the desk uploads what the customer sent. The file is stored as a document of the certificate,
 * the certificate is `received` with its number and dates as the uploader read them, and it waits in the tax
 * team's queue. A rejected certificate can be answered with a new upload the same way.
 */
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { today } from '../../core/dates.ts';
import { AppError, type FieldIssue, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { isPartner, requireRole } from '../identity/index.ts';
import { type DocumentStore, recordAudit, uploadDocument } from '../platform/index.ts';
import { type CertificateDetail, getCertificate } from './certificates.ts';
import { certificateRequesters } from './roles.ts';
import { type CertificateDetails, certificateDetails, newCertificateInput } from './schemas.ts';

export interface CertificateFile {
  fileName: string;
  content: Readable;
  truncated?: () => boolean;
}

function fail(issues: FieldIssue[]): never {
  throw new AppError('validation_failed', issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
    issues,
  });
}

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const r = schema.safeParse(raw);
  if (!r.success)
    fail(r.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message })));
  return r.data;
}

/** Partners upload their own; on the desk, those who request certificates may upload what arrived. */
function requireUploader(db: Db): void {
  if (!isPartner(db.actor.roles)) requireRole(db.actor, certificateRequesters);
}

async function refuseTakenNumber(
  tx: Db,
  accountId: string,
  jurisdiction: string,
  number: string,
  except: string | null,
): Promise<void> {
  const { rows } = await tx.query<{ certificate_id: string; status: string }>(
    `select certificate_id, status from tax_certificates
     where account_id = $1 and jurisdiction = $2 and certificate_number = $3 and certificate_id is distinct from $4`,
    [accountId, jurisdiction, number, except],
  );
  if (rows[0])
    throw new AppError(
      'conflict',
      `Certificate ${number} for ${jurisdiction} is on file already (${rows[0].certificate_id}, ${rows[0].status}).`,
      { details: { certificate_id: rows[0].certificate_id } },
    );
}

async function receive(
  tx: Db,
  store: DocumentStore,
  c: { account_id: string; certificate_id: string },
  details: z.output<typeof certificateDetails>,
  file: CertificateFile,
): Promise<void> {
  const document = await uploadDocument(tx, store, {
    entityType: 'tax_certificate',
    entityId: c.certificate_id,
    accountId: c.account_id,
    documentType: 'tax_exempt_certificate',
    fileName: file.fileName,
    content: file.content,
    ...(file.truncated ? { truncated: file.truncated } : {}),
  });
  await tx.query(
    `update tax_certificates set status = 'received', certificate_number = $3, exempt_reason = $4,
       effective_date = $5::date, expiry_date = $6::date, file_name = $7, document_id = $8::uuid,
       received_on = $9::date, received_by = $10, received_by_id = $11::uuid,
       decided_on = null, decided_by = null, decided_by_id = null, rejection_reason = null, updated_at = now()
     where account_id = $1 and certificate_id = $2`,
    [
      c.account_id,
      c.certificate_id,
      details.certificate_number,
      details.exempt_reason ?? null,
      details.effective_date,
      details.expiry_date ?? null,
      file.fileName,
      document.document_id,
      today(),
      tx.actor.name,
      tx.actor.userId,
    ],
  );
}

/** Uploads the certificate asked for (requested) or a new one for a rejected certificate. */
export async function uploadRequestedCertificate(
  db: Db,
  store: DocumentStore,
  certificateId: string,
  raw: CertificateDetails,
  file: CertificateFile,
): Promise<CertificateDetail> {
  requireUploader(db);
  const details = parse(certificateDetails, raw);
  await db.tx(async (tx) => {
    const { rows } = await tx.query<{ account_id: string; jurisdiction: string; status: string }>(
      'select account_id, jurisdiction, status from tax_certificates where certificate_id = $1 for update',
      [certificateId],
    );
    const before = rows[0];
    if (!before) throw notFound(`The certificate ${certificateId}`);
    if (before.status !== 'requested' && before.status !== 'rejected')
      throw new AppError(
        'conflict',
        `${certificateId} is ${before.status}: upload a new certificate instead of replacing this one.`,
      );
    await refuseTakenNumber(
      tx,
      before.account_id,
      before.jurisdiction,
      details.certificate_number,
      certificateId,
    );
    await receive(tx, store, { account_id: before.account_id, certificate_id: certificateId }, details, file);
    await recordAudit(tx, {
      entityType: 'tax_certificate',
      entityId: certificateId,
      accountId: before.account_id,
      action: 'received',
      before: { status: before.status },
      after: { status: 'received', ...details, file_name: file.fileName },
    });
  });
  return getCertificate(db, certificateId);
}

/**
 * Uploads a certificate for an account and jurisdiction: it answers the request open there, if any, and is
 * otherwise created `received`.
 */
export async function uploadNewCertificate(
  db: Db,
  store: DocumentStore,
  raw: Record<string, unknown>,
  file: CertificateFile,
): Promise<CertificateDetail> {
  requireUploader(db);
  const where = parse(newCertificateInput, raw);
  const details = parse(certificateDetails, raw);
  const own = db.actor.accounts;
  const accountId =
    where.account_id ??
    (own !== '*' && own.length === 1
      ? own[0]!
      : fail([{ field: 'account_id', message: 'say whose certificate it is' }]));
  const id = await db.tx(async (tx) => {
    const { rows: accounts } = await tx.query('select 1 from accounts where account_id = $1', [accountId]);
    if (!accounts[0]) throw notFound(`The account ${accountId}`);
    // A certificate asked for in that jurisdiction is answered by this upload rather than left open.
    const { rows: asked } = await tx.query<{ certificate_id: string }>(
      `select certificate_id from tax_certificates
       where account_id = $1 and jurisdiction = $2 and status = 'requested' for update`,
      [accountId, where.jurisdiction],
    );
    await refuseTakenNumber(
      tx,
      accountId,
      where.jurisdiction,
      details.certificate_number,
      asked[0]?.certificate_id ?? null,
    );
    const { rows } = asked[0]
      ? { rows: asked }
      : await tx.query<{ certificate_id: string }>(
          `insert into tax_certificates (account_id, jurisdiction, certificate_number, effective_date, status)
           values ($1, $2, $3, $4::date, 'received') returning certificate_id`,
          [accountId, where.jurisdiction, details.certificate_number, details.effective_date],
        );
    const certificateId = rows[0]!.certificate_id;
    await receive(tx, store, { account_id: accountId, certificate_id: certificateId }, details, file);
    await recordAudit(tx, {
      entityType: 'tax_certificate',
      entityId: certificateId,
      accountId,
      action: 'received',
      before: asked[0] ? { status: 'requested' } : null,
      after: { status: 'received', jurisdiction: where.jurisdiction, ...details, file_name: file.fileName },
    });
    return certificateId;
  });
  return getCertificate(db, id);
}
