/**
 * tax_certificates.csv names each certificate's file; the files travel beside the CSV. After a load, every
 * named file found in the same folder is stored (once, by content) and linked to its certificate.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/db.ts';
import { type DocumentStore, uploadDocument } from '../platform/index.ts';

export async function attachCertificateFiles(
  db: Db,
  store: DocumentStore,
  folder: string,
): Promise<{ attached: number; missing: string[] }> {
  const { rows } = await db.query<{ account_id: string; certificate_id: string; file_name: string }>(
    `select account_id, certificate_id, file_name from tax_certificates
     where file_name is not null and document_id is null order by account_id, certificate_id`,
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
      entityType: 'tax_certificate',
      entityId: r.certificate_id,
      accountId: r.account_id,
      documentType: 'tax_exempt_certificate',
      fileName: path.basename(r.file_name),
      content: fs.createReadStream(file),
    });
    await db.query(
      `update tax_certificates set document_id = $3::uuid, updated_at = now()
       where account_id = $1 and certificate_id = $2`,
      [r.account_id, r.certificate_id, doc.document_id],
    );
    attached++;
  }
  return { attached, missing };
}
