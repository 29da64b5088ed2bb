import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { claimReconciliationXlsx, claimStatementPdf } from '../../modules/claims/statement.ts';

const tags = ['claims'];
const claimParams = z.object({ claim_id: z.string() });

/** Documents of one claim for the partner: the statement (PDF) and the reconciliation workbook (XLSX). */
export const claimsDocumentsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/claims/:claim_id/statement.pdf',
    {
      schema: {
        tags,
        summary: 'The claim statement as a PDF: lines, findings, totals and the variance by rule code',
        params: claimParams,
      },
    },
    async (req, reply) => {
      const { fileName, content } = await claimStatementPdf(req.userDb(), req.params.claim_id);
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
      },
    },
    async (req, reply) => {
      const { fileName, content } = await claimReconciliationXlsx(req.userDb(), req.params.claim_id);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .send(content);
    },
  );
};
