import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { recordAudit, recordAuditMany } from './audit.ts';
import type { DocumentStore } from './document-store.ts';
import { resolveEntity } from './entities.ts';
import { mapInFlight } from './render-pool.ts';

/**
 * Supporting documents (proof of sale, invoices, certificates, letters): uploaded once, stored by content
 * hash, linked to entities, and readable only by whoever may see an entity they are linked to.
 */
export interface DocumentRow {
  document_id: string;
  account_id: string;
  file_name: string;
  media_type: string;
  size_bytes: string;
  sha256: string;
  document_type: string | null;
  uploaded_by: string | null;
  uploaded_at: Date;
}

/** What we accept: business documents and images, identified by their content, never by the file name. */
const allowedMediaTypes = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/tiff',
  'image/gif',
  'image/webp',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/msword',
  'application/x-cfb',
  'message/rfc822',
  'application/xml',
  'text/plain',
  'text/csv',
]);

/** Plain text (CSV, EDI, BAI2, e-mail) has no magic number: accept it when it decodes as UTF-8 without NULs. */
function sniffText(head: Buffer, fileName: string): string | undefined {
  if (head.includes(0)) return undefined;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
  } catch {
    return undefined;
  }
  const text = head.toString('utf8').trimStart();
  if (text.startsWith('<?xml') || text.startsWith('<Document')) return 'application/xml';
  if (/^(From|Received|Return-Path|MIME-Version|Subject):/m.test(text.slice(0, 500))) return 'message/rfc822';
  return fileName.toLowerCase().endsWith('.csv') ? 'text/csv' : 'text/plain';
}

export async function sniffMediaType(head: Buffer, fileName: string): Promise<string | undefined> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) return detected.mime;
  return sniffText(head, fileName);
}

const documentColumns = `d.document_id, d.account_id, d.file_name, d.media_type, d.size_bytes, d.sha256,
  d.document_type, d.uploaded_by, d.uploaded_at`;

export interface UploadInput {
  entityType: string;
  entityId: string;
  /** The owning account, where the entity id is unique only within its account (a partner's claim id). */
  accountId?: string | null | undefined;
  fileName: string;
  documentType?: string | undefined;
  content: Readable;
  /** True when the transport cut the content at its size limit. */
  truncated?: () => boolean;
}

export async function uploadDocument(db: Db, store: DocumentStore, input: UploadInput): Promise<DocumentRow> {
  const entity = await resolveEntity(db, input.entityType, input.entityId, input.accountId);
  if (!entity) throw notFound(`The ${input.entityType} ${input.entityId}`);
  let mediaType = '';
  // Nothing is kept until the content is accepted: cut at the size limit, empty or of a type not allowed,
  // it leaves nothing on disk.
  const stored = await store.put(input.content, async (info) => {
    if (input.truncated?.())
      throw new AppError('payload_too_large', `${input.fileName} is larger than the allowed size.`);
    if (info.size === 0)
      throw new AppError('validation_failed', 'The file is empty.', {
        issues: [{ field: 'file', message: 'empty' }],
      });
    const sniffed = await sniffMediaType(info.head, input.fileName);
    if (!sniffed || !allowedMediaTypes.has(sniffed)) {
      throw new AppError(
        'unsupported_media_type',
        `${input.fileName}: its content (${sniffed ?? 'unknown'}) is not a document type Clearhouse accepts (PDF, images, Office files, text, XML, e-mail).`,
      );
    }
    mediaType = sniffed;
  });
  try {
    return await recordDocument(db, input, entity.accountId, stored, mediaType);
  } catch (err) {
    // New content whose record could not be written is removed again, unless another upload of the same
    // content recorded it meanwhile.
    if (stored.created) {
      const { rowCount } = await db.query('select 1 from document_blobs where sha256 = $1', [stored.sha256]);
      if (!rowCount) await store.remove(stored.sha256);
    }
    throw err;
  }
}

/** A file made by Clearhouse itself (a statement, an advice) to keep as a document of an entity. */
export interface MadeDocument {
  /** The owning account of the entity (the caller has just read the entity: it is not looked up again). */
  accountId: string;
  entityType: string;
  entityId: string;
  fileName: string;
  documentType?: string | undefined;
  content: Buffer;
}

/**
 * The content of many made documents put in the store (checked as an upload is: not empty, a type
 * allowed), each with the document id it is to be recorded under. Recording them is `recordMadeDocuments`,
 * in the caller's transaction; content not recorded in the end is taken back with `discardMadeDocuments`.
 */
export async function putMadeDocuments(
  store: DocumentStore,
  inputs: readonly MadeDocument[],
): Promise<StoredMadeDocument[]> {
  // A few at once: each put waits on the file system (or the object store) more than it computes.
  return mapInFlight(inputs, putWidth, async (input) => {
    let mediaType = '';
    const stored = await store.put(Readable.from([input.content]), async (info) => {
      if (info.size === 0)
        throw new AppError('validation_failed', `${input.fileName} is empty.`, {
          issues: [{ field: 'file', message: 'empty' }],
        });
      const sniffed = await sniffMediaType(info.head, input.fileName);
      if (!sniffed || !allowedMediaTypes.has(sniffed))
        throw new AppError(
          'unsupported_media_type',
          `${input.fileName}: its content is not a document type kept.`,
        );
      mediaType = sniffed;
    });
    const { content: _content, ...rest } = input;
    return {
      ...rest,
      document_id: randomUUID(),
      sha256: stored.sha256,
      size: stored.size,
      media_type: mediaType,
      created: stored.created,
    };
  });
}

/** Made documents put in the store at once. */
const putWidth = 8;

export interface StoredMadeDocument extends Omit<MadeDocument, 'content'> {
  document_id: string;
  sha256: string;
  size: number;
  media_type: string;
  created: boolean;
}

/**
 * Records made documents set-based, in the caller's transaction: their content, the documents, their links
 * to the entities and the audit rows (`document_attached`), one statement each for all of them.
 */
export async function recordMadeDocuments(db: Db, docs: readonly StoredMadeDocument[]): Promise<void> {
  if (docs.length === 0) return;
  await db.query(
    `insert into document_blobs (sha256, size_bytes, media_type)
     select distinct on (sha256) sha256, size_bytes, media_type
     from unnest($1::text[], $2::bigint[], $3::text[]) as b(sha256, size_bytes, media_type)
     on conflict (sha256) do nothing`,
    [docs.map((d) => d.sha256), docs.map((d) => d.size), docs.map((d) => d.media_type)],
  );
  const column = <K extends keyof StoredMadeDocument>(k: K) => docs.map((d) => d[k] ?? null);
  await db.query(
    `with d as (
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[],
         $8::text[], $9::text[])
         as d(document_id, account_id, sha256, file_name, media_type, size_bytes, document_type, entity_type,
           entity_id)
     ), documents_made as (
       insert into documents (document_id, account_id, sha256, file_name, media_type, size_bytes, document_type,
         uploaded_by)
       select document_id, account_id, sha256, file_name, media_type, size_bytes, document_type, $10 from d
     )
     insert into document_links (account_id, document_id, entity_type, entity_id, linked_by)
     select account_id, document_id, entity_type, entity_id, $10 from d`,
    [
      column('document_id'),
      column('accountId'),
      column('sha256'),
      column('fileName'),
      column('media_type'),
      column('size'),
      column('documentType'),
      column('entityType'),
      column('entityId'),
      db.actor.name,
    ],
  );
  await recordAuditMany(
    db,
    docs.map((d) => ({
      entityType: d.entityType,
      entityId: d.entityId,
      accountId: d.accountId,
      action: 'document_attached',
      after: {
        document_id: d.document_id,
        file_name: d.fileName,
        sha256: d.sha256,
        document_type: d.documentType ?? null,
      },
    })),
  );
}

/** Takes back content put for made documents that were not recorded (unless another document holds it). */
export async function discardMadeDocuments(
  db: Db,
  store: DocumentStore,
  docs: readonly StoredMadeDocument[],
): Promise<void> {
  const created = [...new Set(docs.filter((d) => d.created).map((d) => d.sha256))];
  if (created.length === 0) return;
  const { rows } = await db.query<{ sha256: string }>(
    'select sha256 from document_blobs where sha256 = any($1::text[])',
    [created],
  );
  const kept = new Set(rows.map((r) => r.sha256));
  for (const sha of created) if (!kept.has(sha)) await store.remove(sha);
}

async function recordDocument(
  db: Db,
  input: UploadInput,
  accountId: string,
  stored: { sha256: string; size: number },
  mediaType: string,
): Promise<DocumentRow> {
  return db.tx(async (tx) => {
    await tx.query(
      `insert into document_blobs (sha256, size_bytes, media_type) values ($1, $2, $3) on conflict (sha256) do nothing`,
      [stored.sha256, stored.size, mediaType],
    );
    const { rows } = await tx.query<{ document_id: string }>(
      `insert into documents (account_id, sha256, file_name, media_type, size_bytes, document_type, uploaded_by)
       values ($1, $2, $3, $4, $5, $6, $7) returning document_id`,
      [
        accountId,
        stored.sha256,
        input.fileName,
        mediaType,
        stored.size,
        input.documentType ?? null,
        tx.actor.name,
      ],
    );
    const documentId = rows[0]!.document_id;
    await tx.query(
      `insert into document_links (account_id, document_id, entity_type, entity_id, linked_by) values ($1, $2, $3, $4, $5)`,
      [accountId, documentId, input.entityType, input.entityId, tx.actor.name],
    );
    const document = await getDocument(tx, documentId);
    await recordAudit(tx, {
      entityType: input.entityType,
      entityId: input.entityId,
      accountId: accountId,
      action: 'document_attached',
      after: {
        document_id: documentId,
        file_name: input.fileName,
        sha256: stored.sha256,
        document_type: input.documentType ?? null,
      },
    });
    return document;
  });
}

/** A document the actor may see: one linked to at least one entity visible to it. */
export async function getDocument(db: Db, documentId: string): Promise<DocumentRow> {
  const document = (await getDocuments(db, [documentId])).get(documentId.toLowerCase());
  if (!document) throw notFound('The document');
  return document;
}

/**
 * The documents the actor may see among `documentIds` (one query for all), by id (lower case); the others are
 * left out.
 */
export async function getDocuments(
  db: Db,
  documentIds: readonly string[],
): Promise<Map<string, DocumentRow>> {
  const ids = [...new Set(documentIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id)))];
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<DocumentRow>(
    `select ${documentColumns} from documents d
     where d.document_id = any($1::uuid[])
       and exists (select 1 from document_links l where l.document_id = d.document_id and l.account_id = d.account_id)`,
    [ids],
  );
  return new Map(rows.map((r) => [r.document_id, r]));
}

export async function listEntityDocuments(
  db: Db,
  entityType: string,
  entityId: string,
  accountId?: string | null,
): Promise<DocumentRow[]> {
  const entity = await resolveEntity(db, entityType, entityId, accountId);
  if (!entity) throw notFound(`The ${entityType} ${entityId}`);
  const { rows } = await db.query<DocumentRow>(
    `select ${documentColumns} from documents d
     join document_links l on l.document_id = d.document_id and l.account_id = d.account_id
     where l.entity_type = $1 and l.entity_id = $2 and l.account_id = $3 order by d.uploaded_at desc`,
    [entityType, entityId, entity.accountId],
  );
  return rows;
}

export async function openDocumentContent(
  db: Db,
  store: DocumentStore,
  documentId: string,
): Promise<{ document: DocumentRow; content: Readable }> {
  const document = await getDocument(db, documentId);
  return { document, content: await documentContent(store, document) };
}

/** The content of a document read already (`getDocuments`). */
export async function documentContent(store: DocumentStore, document: DocumentRow): Promise<Readable> {
  if (!(await store.has(document.sha256)))
    throw new AppError('internal', 'The document content is missing from storage.');
  return store.get(document.sha256);
}
