// Settlement: payment batches (list, detail, files, release, reversal) for the company; payments and payment
// advices for partners and the company; accruals for finance; the reconciliation of credits processed.
// Running a settlement writes files to a server folder, so it stays an operator action (the CLI).
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  accruals,
  accrualsCsv,
  accrualsXlsx,
  getBatch,
  getBatchFile,
  listAdvices,
  listPaymentBatches,
  listPayments,
  paymentAdvicePdf,
  paymentAdviceXlsx,
  reconciliation,
  reconciliationCsv,
  reconciliationXlsx,
  releaseBatch,
  reverseBatch,
} from '../../modules/settlement/index.ts';

const tags = ['settlement'];
const batchParams = z.object({ batch_id: z.string().trim().min(1) });
const adviceQuery = z.object({ batch_id: z.string().trim().min(1), account_id: z.string().trim().min(1) });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const accrualQuery = z.object({
  as_of: date.optional(),
  program_id: z.string().trim().min(1).optional(),
  account_id: z.string().trim().min(1).optional(),
});
const reconciliationQuery = z.object({
  from: date.optional(),
  to: date.optional(),
  account_id: z.string().trim().min(1).optional(),
});

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function download(reply: FastifyReply, type: string, fileName: string, content: Buffer | string) {
  return reply
    .header('content-type', type)
    .header('content-disposition', `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
    .header('cache-control', 'no-store')
    .send(content);
}

export const settlementRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/settlement/batches',
    {
      schema: {
        tags,
        summary: 'The payment batches: method, currency, count, total, status, release, SLA priority',
        description: 'For the company’s own users; partners see their payments at /settlement/payments.',
      },
    },
    async (req) => ({ items: await listPaymentBatches(req.userDb()) }),
  );

  app.get(
    '/settlement/batches/:batch_id',
    {
      schema: {
        tags,
        summary: 'One payment batch with its payments (claim, partner, amount, status, SLA) and stored files',
        params: batchParams,
      },
    },
    async (req) => getBatch(req.userDb(), req.params.batch_id),
  );

  app.get(
    '/settlement/batches/:batch_id/files/:file_name',
    {
      schema: {
        tags,
        summary: 'A file of a batch exactly as the run wrote it: NACHA, CSV, check register PDF, advices',
        params: batchParams.extend({ file_name: z.string().trim().min(1) }),
      },
    },
    async (req, reply) => {
      const file = await getBatchFile(req.userDb(), req.params.batch_id, req.params.file_name);
      return download(reply, file.mediaType, file.fileName, file.content);
    },
  );

  app.post(
    '/settlement/batches/:batch_id/release',
    {
      schema: {
        tags,
        summary: 'Release a draft batch held for its amount (approver, manager or administrator); audited',
        description: 'Its payments are paid on the release date and its claims move from in_payment to paid.',
        params: batchParams,
      },
    },
    async (req) => releaseBatch(req.userDb(), req.params.batch_id),
  );

  app.post(
    '/settlement/batches/:batch_id/reverse',
    {
      schema: {
        tags,
        summary: 'Reverse a batch the bank rejected, with a reason (approver, manager or administrator)',
        description:
          'Its claims return to approved and are paid again by a later run; its credit memos are reversed ' +
          'by debit memos in receivables; audited. Reversing a reversed batch changes nothing (reversed_now false).',
        params: batchParams,
        body: z.object({ reason: z.string().trim().min(1, 'say why the batch is reversed').max(500) }),
      },
    },
    async (req) => reverseBatch(req.userDb(), req.params.batch_id, req.body),
  );

  app.get(
    '/settlement/payments',
    {
      schema: {
        tags,
        summary: 'Payments of claims with method, amount and batch status; a partner sees only its own',
        description:
          'Newest first, a page at a time (`limit`, 200 by default, and `offset`); `total` counts every payment ' +
          'the filter matches.',
        querystring: z.object({
          account_id: z.string().trim().min(1).optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
          offset: z.coerce.number().int().min(0).optional(),
        }),
      },
    },
    async (req) => listPayments(req.userDb(), req.query),
  );

  app.get(
    '/settlement/advices',
    {
      schema: {
        tags,
        summary: 'Payment advices, one per partner and batch, newest first; a partner sees only its own',
        querystring: z.object({ account_id: z.string().trim().min(1).optional() }),
      },
    },
    async (req) => ({ items: await listAdvices(req.userDb(), req.query) }),
  );

  app.get(
    '/settlement/payments/advice.pdf',
    {
      schema: {
        tags,
        summary: 'The payment advice of one partner in one batch as a PDF; a partner gets only its own',
        querystring: adviceQuery,
      },
    },
    async (req, reply) => {
      const { fileName, content } = await paymentAdvicePdf(
        req.userDb(),
        req.query.batch_id,
        req.query.account_id,
      );
      return download(reply, 'application/pdf', fileName, content);
    },
  );

  app.get(
    '/settlement/payments/advice.xlsx',
    {
      schema: {
        tags,
        summary: 'The payment advice of one partner in one batch as XLSX (Claims, Lines, Totals)',
        querystring: adviceQuery,
      },
    },
    async (req, reply) => {
      const { fileName, content } = await paymentAdviceXlsx(
        req.userDb(),
        req.query.batch_id,
        req.query.account_id,
      );
      return download(reply, xlsxType, fileName, content);
    },
  );

  app.get(
    '/settlement/accruals',
    {
      schema: {
        tags,
        summary:
          'Accruals as of a date: earned, approved, paid and liability per program, partner and period',
        description:
          'The company’s own users (rebate analyst, approver, manager, administrator). The method is in the README.',
        querystring: accrualQuery,
      },
    },
    async (req) => accruals(req.userDb(), req.query),
  );

  app.get(
    '/settlement/accruals/export.xlsx',
    {
      schema: {
        tags,
        summary: 'The accruals for finance as XLSX (Accruals, By program, Method)',
        querystring: accrualQuery,
      },
    },
    async (req, reply) => {
      const { fileName, content } = await accrualsXlsx(req.userDb(), req.query);
      return download(reply, xlsxType, fileName, content);
    },
  );

  app.get(
    '/settlement/accruals/export.csv',
    {
      schema: {
        tags,
        summary: 'The accruals as CSV, one row per program, partner and period',
        querystring: accrualQuery,
      },
    },
    async (req, reply) => {
      const { fileName, content } = await accrualsCsv(req.userDb(), req.query);
      return download(reply, 'text/csv; charset=utf-8', fileName, content);
    },
  );

  app.get(
    '/settlement/reconciliation',
    {
      schema: {
        tags,
        summary:
          'Credits processed per partner and month: claimed, approved, paid, variances and their reasons',
        description:
          'Claims decided between from and to (default: the year to date); a partner sees its own.',
        querystring: reconciliationQuery,
      },
    },
    async (req) => reconciliation(req.userDb(), req.query),
  );

  app.get(
    '/settlement/reconciliation/export.xlsx',
    {
      schema: {
        tags,
        summary: 'The reconciliation of credits processed as XLSX (Summary, Reasons, Claims)',
        querystring: reconciliationQuery,
      },
    },
    async (req, reply) => {
      const { fileName, content } = await reconciliationXlsx(req.userDb(), req.query);
      return download(reply, xlsxType, fileName, content);
    },
  );

  app.get(
    '/settlement/reconciliation/export.csv',
    {
      schema: {
        tags,
        summary: 'The reconciliation summary per partner and month as CSV',
        querystring: reconciliationQuery,
      },
    },
    async (req, reply) => {
      const { fileName, content } = await reconciliationCsv(req.userDb(), req.query);
      return download(reply, 'text/csv; charset=utf-8', fileName, content);
    },
  );
};
