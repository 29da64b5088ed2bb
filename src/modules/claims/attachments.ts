/**
 * claim_documents.csv names each supporting file; the files travel beside the CSV. After a load, every named
 * file found in the same folder is stored (once, by content) and linked to its claim.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '../../core/errors.ts';
import { type Db, PoolDb, systemActor } from '../../db/db.ts';
import { type DocumentRow, type DocumentStore, uploadDocument } from '../platform/index.ts';
import { type ClaimKey, findClaim } from './claim-ref.ts';
import { requestValidation } from './jobs.ts';
import { validateClaims } from './validate.ts';

export interface AttachedFiles {
  attached: number;
  missing: string[];
}

export async function attachClaimFiles(db: Db, store: DocumentStore, folder: string): Promise<AttachedFiles> {
  const { rows } = await db.query<{
    account_id: string;
    claim_id: string;
    document_type: string;
    file_name: string;
  }>(
    'select account_id, claim_id, document_type, file_name from claim_documents where document_id is null order by claim_id, file_name',
  );
  let attached = 0;
  const missing: string[] = [];
  for (const r of rows) {
    const file = path.join(folder, path.basename(r.file_name));
    if (!fs.existsSync(file)) {
      missing.push(r.file_name);
      continue;
    }
    const doc = await uploadDocument(db, store, {
      entityType: 'claim',
      entityId: r.claim_id,
      accountId: r.account_id,
      documentType: r.document_type,
      fileName: path.basename(r.file_name),
      content: fs.createReadStream(file),
    });
    await db.query(
      `update claim_documents set document_id = $5
       where account_id = $1 and claim_id = $2 and document_type = $3 and file_name = $4`,
      [r.account_id, r.claim_id, r.document_type, r.file_name, doc.document_id],
    );
    attached++;
  }
  return { attached, missing };
}

export interface ClaimDocumentUpload {
  documentType: string;
  fileName: string;
  content: Readable;
  truncated?: () => boolean;
}

/**
 * A supporting document uploaded to a claim (portal, desk, API): stored once by content and linked to the
 * claim with its type, then validation runs again, so a missing document stops being missing at once.
 */
export async function attachClaimDocument(
  db: Db,
  store: DocumentStore,
  key: ClaimKey,
  input: ClaimDocumentUpload,
): Promise<DocumentRow> {
  const documentType = input.documentType.trim();
  if (!documentType) {
    throw new AppError('validation_failed', 'Say what the document is (its type, e.g. proof_of_sale).', {
      issues: [{ field: 'document_type', message: 'required' }],
    });
  }
  const ref = await findClaim(db, key);
  const document = await uploadDocument(db, store, {
    entityType: 'claim',
    entityId: ref.claim_id,
    accountId: ref.account_id,
    documentType,
    fileName: input.fileName,
    content: input.content,
    ...(input.truncated ? { truncated: input.truncated } : {}),
  });
  // Queued where there is a job queue; otherwise (tests, one-off processes) validated here, as the system,
  // since the partner who uploads may not start validation runs.
  if (!(await requestValidation(db))) {
    await validateClaims(db instanceof PoolDb ? db.as(systemActor('claims.document-attached')) : db);
  }
  return document;
}
