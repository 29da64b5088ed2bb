import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { gridQueryParams } from '../../db/grid-query.ts';
import { isPartner } from '../../modules/identity/index.ts';
import {
  detectTemplate,
  getImport,
  importGridColumns,
  listImports,
  loadRecord,
  rejectedRows,
  runImport,
  templates,
} from '../../modules/imports/index.ts';
import type { DocumentStore } from '../../modules/platform/index.ts';

/** A text cell that a spreadsheet would run as a formula gets a leading apostrophe. */
function safeCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

const record = z.record(z.string(), z.unknown());

/** Where the single-record endpoints of the channel templates live, and how their key is named. */
const recordRoutes = [
  { kind: 'deals', path: '/deals', key: ['deal_id'], tag: 'contracts' },
  { kind: 'sell_in', path: '/sell-in', key: ['invoice_id', 'line_no'], tag: 'channel' },
  { kind: 'sell_out', path: '/sell-out', key: ['account_id', 'sell_out_ref'], tag: 'channel' },
  { kind: 'inventory', path: '/inventory', key: ['account_id', 'sku', 'as_of_date', 'kind'], tag: 'channel' },
] as const;

export const importsRoutes: FastifyPluginAsyncZod<{ store: DocumentStore }> = async (app) => {
  app.get(
    '/import-templates',
    { schema: { tags: ['imports'], summary: 'The templates Clearhouse loads, with their columns and keys' } },
    async (req) => {
      const partner = isPartner(req.auth?.actor.roles ?? []);
      return {
        items: templates
          .filter((t) => !partner || t.partnerMayUpload)
          .map((t) => ({
            kind: t.kind,
            file_name: `${t.kind}.${t.format}`,
            label: t.label,
            description: t.description,
            format: t.format,
            key: t.key,
            depends_on: t.dependsOn,
            partner_may_upload: t.partnerMayUpload,
            columns: t.columns.map((c) => ({
              name: c.name,
              required: Boolean(c.required),
              type: typeof c.type === 'string' ? c.type : `one of ${c.type.enum.join(', ')}`,
              description: c.description,
            })),
          })),
      };
    },
  );

  app.post(
    '/imports',
    {
      schema: {
        tags: ['imports'],
        summary: 'Load a file (CSV, XLSX, or programs JSON); whole or not at all',
        description:
          'Multipart: optional field `kind`, then the file. 201 when loaded; 422 with every problem when refused.',
      },
    },
    async (req, reply) => {
      const db = req.userDb();
      const fields: Record<string, string> = {};
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-upload-'));
      try {
        let stored: { path: string; name: string } | undefined;
        for await (const part of req.parts()) {
          if (part.type === 'field') {
            fields[part.fieldname] = String(part.value);
            continue;
          }
          if (stored) {
            part.file.resume();
            continue;
          }
          const name = path.basename(part.filename || 'upload.csv');
          const file = path.join(dir, name.replace(/[^\w.-]/g, '_'));
          await pipeline(part.file, fs.createWriteStream(file));
          if (part.file.truncated)
            throw new AppError('payload_too_large', `${name} is larger than the upload limit.`);
          stored = { path: file, name };
        }
        if (!stored) {
          throw new AppError('validation_failed', 'No file was sent.', {
            issues: [{ field: 'file', message: 'required' }],
          });
        }
        const kind = fields.kind && fields.kind !== 'auto' ? fields.kind : undefined;
        detectTemplate(stored.path, stored.name, kind);
        const result = await runImport(db, {
          path: stored.path,
          fileName: stored.name,
          kind,
          source: fields.source === 'web' ? 'web' : 'api',
        });
        if (result.status === 'rejected') {
          return reply.status(422).send({
            error: { code: 'import_rejected', message: `${result.file_name}: ${result.message}` },
            import: result,
          });
        }
        return reply.status(201).send({ import: result });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  app.get(
    '/imports',
    {
      schema: {
        tags: ['imports'],
        summary: 'Import history, newest first',
        querystring: z.object({
          kind: z.string().optional(),
          status: z.enum(['loaded', 'rejected']).optional(),
          ...gridQueryParams(
            Object.keys(importGridColumns),
            Object.entries(importGridColumns).flatMap(([k, v]) => (v.filter === null ? [] : [k])),
          ),
          limit: z.coerce.number().int().min(1).max(500).optional(),
          offset: z.coerce.number().int().min(0).optional(),
        }),
      },
    },
    async (req) => listImports(req.userDb(), req.query),
  );

  const importParams = z.object({ import_id: z.uuid() });
  app.get(
    '/imports/:import_id',
    { schema: { tags: ['imports'], summary: 'One import with its problems', params: importParams } },
    async (req) => ({ import: await getImport(req.userDb(), req.params.import_id) }),
  );

  app.get(
    '/imports/:import_id/rejected.csv',
    {
      schema: {
        tags: ['imports'],
        summary: 'The refused rows as CSV, with their line and what is wrong',
        params: importParams,
      },
    },
    async (req, reply) => {
      const { columns, rows } = await rejectedRows(req.userDb(), req.params.import_id);
      const csv = stringify([columns, ...rows.map((r) => columns.map((c) => safeCell(r[c])))]);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="rejected-${req.params.import_id}.csv"`)
        .send(csv);
    },
  );

  for (const r of recordRoutes) {
    const keyPath = r.key.map((k) => `:${k}`).join('/');
    const params = z.object(Object.fromEntries(r.key.map((k) => [k, z.string()])));
    app.post(
      r.path,
      {
        schema: {
          tags: [r.tag],
          summary: `Create one ${r.kind} record (the ${r.kind} template's columns)`,
          body: record,
        },
      },
      async (req, reply) =>
        reply.status(201).send({ record: await loadRecord(req.userDb(), r.kind, 'create', req.body) }),
    );
    app.patch(
      `${r.path}/${keyPath}`,
      { schema: { tags: [r.tag], summary: `Change one ${r.kind} record`, params, body: record } },
      async (req) => {
        const p = req.params as Record<string, string>;
        return {
          record: await loadRecord(
            req.userDb(),
            r.kind,
            'update',
            req.body,
            r.key.map((k) => p[k]!),
          ),
        };
      },
    );
  }
};
