// Settlement: payment batches (list, detail, release) for the company, and payments for partners and the
// company. Running a settlement writes files to a server folder, so it stays an operator action (the CLI).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { paymentAdvicePdf, paymentAdviceXlsx } from '../../modules/settlement/advice.ts';
import { getBatch, listPaymentBatches, listPayments } from '../../modules/settlement/queries.ts';
import { releaseBatch } from '../../modules/settlement/settlement.ts';

const tags = ['settlement'];
const batchParams = z.object({ batch_id: z.string().trim().min(1) });
const adviceQuery = z.object({ batch_id: z.string().trim().min(1), account_id: z.string().trim().min(1) });

export const settlementRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/settlement/batches',
    {
      schema: {
        tags,
        summary: 'The payment batches: method, currency, count, total, status, whether a release is needed',
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
        summary: 'One payment batch with its payments (claim, partner, amount, status)',
        params: batchParams,
      },
    },
    async (req) => getBatch(req.userDb(), req.params.batch_id),
  );

  app.post(
    '/settlement/batches/:batch_id/release',
    {
      schema: {
        tags,
        summary: 'Release a draft batch held for its amount (approver, manager or administrator); audited',
        params: batchParams,
      },
    },
    async (req) => releaseBatch(req.userDb(), req.params.batch_id),
  );

  app.get(
    '/settlement/payments',
    {
      schema: {
        tags,
        summary: 'Payments of claims with method, amount and batch status; a partner sees only its own',
        querystring: z.object({ account_id: z.string().trim().min(1).optional() }),
      },
    },
    async (req) => ({ items: await listPayments(req.userDb(), req.query) }),
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
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .send(content);
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
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .send(content);
    },
  );
};
