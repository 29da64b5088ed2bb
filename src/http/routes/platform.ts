import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../core/errors.ts';
import type { PoolDb } from '../../db/db.ts';
import { accountNames } from '../../modules/accounts/index.ts';
import { requireInternal } from '../../modules/identity/index.ts';
import {
  type DocumentStore,
  exportGrid,
  getDocument,
  gridExportInput,
  listEntityAudit,
  listEntityDocuments,
  listRecentAudit,
  openDocumentContent,
  resolveEntity,
  uploadDocument,
} from '../../modules/platform/index.ts';

export interface PlatformRoutesOptions {
  systemDb: PoolDb;
  store: DocumentStore;
  version: string;
}

export const platformRoutes: FastifyPluginAsyncZod<PlatformRoutesOptions> = async (app, opts) => {
  app.get(
    '/health',
    { schema: { tags: ['platform'], summary: 'Liveness and database reachability' } },
    async (_req, reply) => {
      try {
        await opts.systemDb.pool.query('select 1');
        return { status: 'ok', database: 'ok', version: opts.version };
      } catch {
        return reply.status(503).send({ status: 'degraded', database: 'unreachable', version: opts.version });
      }
    },
  );

  const entity = z.object({ entity_type: z.string(), entity_id: z.string() });
  // Where an entity id is unique only within its account (a partner's claim id), the account names it.
  const accountQuery = z.object({ account_id: z.string().trim().min(1).optional() });

  app.get(
    '/audit/:entity_type/:entity_id',
    {
      schema: {
        tags: ['platform'],
        summary: 'The audit trail of one entity, newest first',
        params: entity,
        querystring: accountQuery,
      },
    },
    async (req) => {
      const db = req.userDb();
      const { entity_type, entity_id } = req.params;
      const account = req.query.account_id ?? null;
      const items = await db.tx(async (tx) => {
        // An entity the caller may not see does not exist for it: 404, never 403.
        const found = await resolveEntity(tx, entity_type, entity_id, account);
        if (!found) {
          const history = await listEntityAudit(tx, entity_type, entity_id, account);
          // Deleted or renamed entities keep their history, but only the company's users may read it.
          if (history.length === 0 || tx.actor.accounts !== '*')
            throw notFound(`The ${entity_type} ${entity_id}`);
          return history;
        }
        return listEntityAudit(tx, entity_type, entity_id, found.accountId);
      });
      return { items };
    },
  );

  app.get(
    '/audit',
    {
      schema: {
        tags: ['platform'],
        summary: 'Recent audit events across entities (the company’s users)',
        querystring: z.object({
          entity_type: z.string().optional(),
          actor: z.string().optional(),
          before_id: z
            .string()
            .regex(/^\d{1,18}$/)
            .optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
        }),
      },
    },
    async (req) => {
      const db = req.userDb();
      requireInternal(db.actor);
      const q = req.query;
      return {
        items: await listRecentAudit(db, {
          entityType: q.entity_type,
          actor: q.actor,
          beforeId: q.before_id,
          limit: q.limit,
        }),
      };
    },
  );

  app.post(
    '/documents',
    {
      schema: {
        tags: ['platform'],
        summary: 'Upload a document (multipart: entity_type, entity_id, document_type?, file)',
        consumes: ['multipart/form-data'],
      },
    },
    async (req, reply) => {
      const db = req.userDb();
      if (!req.isMultipart())
        throw new AppError('unsupported_media_type', 'Send the document as multipart/form-data.');
      const fields: Record<string, string> = {};
      let document: Awaited<ReturnType<typeof uploadDocument>> | undefined;
      for await (const part of req.parts()) {
        if (part.type === 'field') {
          fields[part.fieldname] = String(part.value);
          continue;
        }
        if (part.fieldname !== 'file' || document) {
          part.file.resume();
          continue;
        }
        const missing = ['entity_type', 'entity_id'].filter((f) => !fields[f]);
        if (missing.length > 0) {
          part.file.resume();
          throw new AppError('validation_failed', 'Send entity_type and entity_id before the file.', {
            issues: missing.map((field) => ({ field, message: 'required before the file part' })),
          });
        }
        document = await uploadDocument(db, opts.store, {
          entityType: fields.entity_type!,
          entityId: fields.entity_id!,
          accountId: fields.account_id,
          documentType: fields.document_type,
          fileName: part.filename || 'upload',
          content: part.file,
          truncated: () => part.file.truncated,
        });
      }
      if (!document) {
        throw new AppError('validation_failed', 'No file was sent.', {
          issues: [{ field: 'file', message: 'required' }],
        });
      }
      return reply.status(201).send({ document });
    },
  );

  app.get(
    '/documents',
    {
      schema: {
        tags: ['platform'],
        summary: 'Documents linked to an entity',
        querystring: entity.extend(accountQuery.shape),
      },
    },
    async (req) => ({
      items: await listEntityDocuments(
        req.userDb(),
        req.query.entity_type,
        req.query.entity_id,
        req.query.account_id,
      ),
    }),
  );

  const docParams = z.object({ document_id: z.string() });

  app.get('/documents/:document_id', { schema: { tags: ['platform'], params: docParams } }, async (req) => ({
    document: await getDocument(req.userDb(), req.params.document_id),
  }));

  app.get(
    '/documents/:document_id/content',
    { schema: { tags: ['platform'], summary: 'Download a document', params: docParams } },
    async (req, reply) => {
      const { document, content } = await openDocumentContent(
        req.userDb(),
        opts.store,
        req.params.document_id,
      );
      void reply
        .header('content-type', document.media_type)
        .header('content-length', document.size_bytes)
        .header('x-content-type-options', 'nosniff')
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(document.file_name)}`,
        );
      return reply.send(content);
    },
  );

  app.post(
    '/grid-export',
    {
      bodyLimit: 50 * 1024 * 1024,
      schema: {
        tags: ['platform'],
        summary: 'The rows a grid shows as XLSX or CSV',
        description:
          'The web app sends the columns (key, label in words, type text/int/amount/date) and rows a grid shows; ' +
          'the answer is the file: text neutralised against formula injection, amounts and dates typed, and in ' +
          'XLSX a title row, the account name beside an account_id column and a totals row per currency.',
        body: gridExportInput,
      },
    },
    async (req, reply) => {
      const file = await exportGrid(req.userDb(), req.body, accountNames);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'no-store')
        .send(file.content);
    },
  );
};
