import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { attachClaimDocument } from '../../modules/claims/index.ts';
import { claimReconciliationXlsx, claimStatementPdf } from '../../modules/claims/statement.ts';
import type { DocumentStore } from '../../modules/platform/index.ts';
import { claimAccountQuery } from './claims.ts';

const tags = ['claims'];
const claimParams = z.object({ claim_id: z.string() });
const claimKey = (req: { params: { claim_id: string }; query: { account_id?: string | undefined } }) => ({
  claim_id: req.params.claim_id,
  account_id: req.query.account_id,
});

/**
 * Documents of one claim: supporting documents uploaded to it (validated again at once), the statement
 * (PDF) and the reconciliation workbook (XLSX).
 */
export const claimsDocumentsRoutes: FastifyPluginAsyncZod<{ store: DocumentStore }> = async (app, opts) => {
  app.post(
    '/claims/:claim_id/documents',
    {
      schema: {
        tags,
        summary: 'Attach a supporting document to a claim (multipart: document_type, then file)',
        description:
          'The document type counts for the program’s required documents (MISSING_DOCUMENT); the claim is ' +
          'validated again right away.',
        params: claimParams,
        querystring: claimAccountQuery,
        consumes: ['multipart/form-data'],
      },
    },
    async (req, reply) => {
      if (!req.isMultipart())
        throw new AppError('unsupported_media_type', 'Send the document as multipart/form-data.');
      const fields: Record<string, string> = {};
      let document: Awaited<ReturnType<typeof attachClaimDocument>> | undefined;
      for await (const part of req.parts()) {
        if (part.type === 'field') {
          fields[part.fieldname] = String(part.value);
          continue;
        }
        if (part.fieldname !== 'file' || document) {
          part.file.resume();
          continue;
        }
        document = await attachClaimDocument(req.userDb(), opts.store, claimKey(req), {
          documentType: fields.document_type ?? '',
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
    '/claims/:claim_id/statement.pdf',
    {
      schema: {
        tags,
        summary: 'The claim statement as a PDF: lines, findings, totals and the variance by rule code',
        params: claimParams,
        querystring: claimAccountQuery,
      },
    },
    async (req, reply) => {
      const { fileName, content } = await claimStatementPdf(req.userDb(), claimKey(req));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .send(content);
    },
  );

  app.get(
    '/claims/:claim_id/reconciliation.xlsx',
    {
      schema: {
        tags,
        summary:
          'The reconciliation of claimed, calculated and approved amounts as XLSX (Lines, Findings, Summary)',
        params: claimParams,
        querystring: claimAccountQuery,
      },
    },
    async (req, reply) => {
      const { fileName, content } = await claimReconciliationXlsx(req.userDb(), claimKey(req));
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .send(content);
    },
  );
};
