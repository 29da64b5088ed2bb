import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import {
  approveClaim,
  claimStatuses,
  claimVersions,
  closeClaims,
  getClaim,
  listClaims,
  rejectClaim,
  resolutionReasons,
  resolutions,
  resolveFinding,
  submitClaim,
  submitDraft,
  validateClaims,
} from '../../modules/claims/index.ts';
import { runImport } from '../../modules/imports/index.ts';

const tags = ['claims'];
const optionalText = z.string().trim().min(1).optional();
const text = z.string().trim().min(1).nullish();
const amount = z.string().describe('a decimal string like "12.50"');
const claimParams = z.object({ claim_id: z.string() });
/**
 * A claim id is the partner's own number, unique within the partner: where two partners use the same one,
 * the desk names the claim with its account. A partner's claim id resolves within its own organisation.
 */
export const claimAccountQuery = z.object({
  account_id: optionalText.describe(
    'the claiming account, where the claim id is used by several partners (the desk; a partner needs none)',
  ),
});
const claimKey = (req: { params: { claim_id: string }; query: { account_id?: string | undefined } }) => ({
  claim_id: req.params.claim_id,
  account_id: req.query.account_id,
});
const findingParams = z.object({
  claim_id: z.string(),
  line_no: z.coerce.number().int().positive(),
  rule_code: z.string(),
});

const listQuery = z.object({
  status: z.enum(claimStatuses).optional(),
  account_id: optionalText,
  program_id: optionalText,
  q: optionalText.describe('part of the claim id, the partner or the program'),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

const submitLine = z.object({
  line_no: z.number().int().positive(),
  sku: text,
  qty: z.union([z.number().int(), z.string()]).nullish(),
  claimed_unit_amount: amount.nullish(),
  claimed_amount: amount,
  sale_date: text,
  end_customer_id: text,
  deal_id: text,
  sell_out_ref: text,
  serial_numbers: z.union([z.array(z.string()), z.string()]).nullish(),
  period_start: text,
  period_end: text,
});

const submitBody = z.object({
  claim_id: z.string().trim().min(1),
  account_id: z.string().trim().min(1),
  program_id: z.string().trim().min(1),
  submitted_date: text.describe('YYYY-MM-DD; today when absent'),
  currency: z.string().trim().min(1),
  status: z
    .enum(['draft', 'submitted'])
    .optional()
    .describe('draft: save it as a draft (checked, not submitted, not validated); submitted (default)'),
  lines: z.array(submitLine).min(1),
});

const draftQuery = z.object({
  draft: z
    .enum(['1', 'true', '0', 'false'])
    .optional()
    .describe('1: save the claim as a draft (the same as "status": "draft")'),
});

const resolveBody = z.object({
  resolution: z
    .enum(resolutions)
    .describe(
      'accepted: the finding stands; adjusted: the line is set to adjusted_amount; overridden: lifted',
    ),
  reason_code: z.enum(resolutionReasons),
  comment: z.string().max(2000).nullish(),
  adjusted_amount: amount.nullish().describe('with adjusted: the line amount, at most what was claimed'),
  document_id: z
    .string()
    .trim()
    .min(1)
    .nullish()
    .describe('a document attached to the claim that supports the decision (required for some rules)'),
});

export const claimsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/claims',
    {
      schema: {
        tags,
        summary: 'Claims you may see, newest submitted first, with their totals',
        querystring: listQuery,
      },
    },
    async (req) => listClaims(req.userDb(), req.query),
  );

  app.get(
    '/claims/:claim_id',
    {
      schema: {
        tags,
        summary: 'One claim: header, lines with results and findings, documents, reconciliation',
        params: claimParams,
        querystring: claimAccountQuery,
      },
    },
    async (req) => getClaim(req.userDb(), claimKey(req)),
  );

  app.get(
    '/claims/:claim_id/versions',
    {
      schema: {
        tags,
        summary:
          'Earlier versions of a claim (before each correction), newest first, with lines and findings',
        params: claimParams,
        querystring: claimAccountQuery,
      },
    },
    async (req) => ({ items: await claimVersions(req.userDb(), claimKey(req)) }),
  );

  app.post(
    '/claims',
    {
      schema: {
        tags,
        summary:
          'Submit a claim as JSON, or save it as a draft (201 created, resubmitted or submitted; 200 unchanged or updated)',
        description:
          'Passes the same checks as a claims.csv upload; refused lines come back as issues `lines.N.field`. ' +
          'An `Idempotency-Key` header with the same body returns the first response. With `"status": "draft"` ' +
          '(or `?draft=1`) the claim is kept as a draft: not submitted and never validated; sending it again as ' +
          'a draft edits it, sending it without submits it (or use `POST /api/claims/{id}/submit`).',
        body: submitBody,
        querystring: draftQuery,
      },
    },
    async (req, reply) => {
      const header = req.headers['idempotency-key'];
      const key = Array.isArray(header) ? header[0] : header;
      const { status, ...body } = req.body;
      const draft = status === 'draft' || req.query.draft === '1' || req.query.draft === 'true';
      const result = await submitClaim(req.userDb(), body, { idempotencyKey: key, draft });
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(result.status).send(result.body);
    },
  );

  app.post(
    '/claims/:claim_id/submit',
    {
      schema: {
        tags,
        summary: 'Submit a draft: submitted today (or on submitted_date) and queued for validation',
        description: 'A claim that is no longer a draft is left as it is (200, outcome unchanged).',
        params: claimParams,
        querystring: claimAccountQuery,
        body: z
          .object({ submitted_date: text.describe('YYYY-MM-DD; today when absent') })
          .optional()
          .default({}),
      },
    },
    async (req) => submitDraft(req.userDb(), claimKey(req), { submittedDate: req.body.submitted_date }),
  );

  app.post(
    '/claims/upload',
    {
      schema: {
        tags,
        summary: 'Upload claims.csv or claims.xlsx; whole or not at all',
        description: 'Multipart: the file. 201 when loaded; 422 with every problem when refused.',
      },
    },
    async (req, reply) => {
      const db = req.userDb();
      const fields: Record<string, string> = {};
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-claims-'));
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
          const name = path.basename(part.filename || 'claims.csv');
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
        const result = await runImport(db, {
          path: stored.path,
          fileName: stored.name,
          kind: 'claims',
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

  app.post(
    '/claims/validate',
    { schema: { tags, summary: 'Run the validation of every claim now; returns the run summary' } },
    async (req) => ({ summary: await validateClaims(req.userDb()) }),
  );

  app.post(
    '/claims/:claim_id/approve',
    {
      schema: {
        tags,
        summary: 'Approve a validated claim at its proposed amounts (no line may wait for review)',
        params: claimParams,
        querystring: claimAccountQuery,
      },
    },
    async (req) => ({ decision: await approveClaim(req.userDb(), claimKey(req)) }),
  );

  app.post(
    '/claims/:claim_id/close',
    {
      schema: {
        tags,
        summary: 'Close a paid claim (the end of its status flow)',
        params: claimParams,
        querystring: claimAccountQuery,
      },
    },
    async (req) => {
      const [decision] = await closeClaims(req.userDb(), [claimKey(req)]);
      return { decision: decision ?? { claim_id: req.params.claim_id, status: 'closed' } };
    },
  );

  app.post(
    '/claims/:claim_id/reject',
    {
      schema: {
        tags,
        summary: 'Reject a whole claim with a reason',
        params: claimParams,
        querystring: claimAccountQuery,
        body: z.object({ reason: z.string().trim().min(1).max(2000) }),
      },
    },
    async (req) => ({ decision: await rejectClaim(req.userDb(), claimKey(req), req.body.reason) }),
  );

  app.post(
    '/claims/:claim_id/lines/:line_no/findings/:rule_code/resolve',
    {
      schema: {
        tags,
        summary: 'Accept, adjust or override a finding with a reason; the claim is validated again',
        params: findingParams,
        querystring: claimAccountQuery,
        body: resolveBody,
      },
    },
    async (req) => ({
      finding: await resolveFinding(
        req.userDb(),
        claimKey(req),
        req.params.line_no,
        req.params.rule_code,
        req.body,
      ),
    }),
  );
};
