// Deductions, the read side: the desk's lists by queue and SLA, one deduction with its evidence, the queues'
// totals and the dashboard (aging and DDO). Every internal role may read; partners read their own
// organisation's deductions (row security scopes them) in a partner-safe shape, and nothing else.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  dashboardQuery,
  deductionDashboard,
  deductionQueueSummaries,
  deductionsQuery,
  getDeduction,
  listDeductions,
} from '../../modules/deductions/index.ts';

const tags = ['deductions'];

export const deductionsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/deductions',
    {
      schema: {
        tags,
        summary:
          'Deductions by queue, status, validation, category, account and SLA state, worked by SLA (breached first), paged',
        description:
          'Partners get their own organisation’s deductions, without the desk’s fields. `counts` are the open deductions matching the other filters per SLA state.',
        querystring: deductionsQuery,
      },
    },
    async (req) => listDeductions(req.userDb(), req.query),
  );

  app.get(
    '/deductions/queues',
    {
      schema: {
        tags,
        summary: 'Each queue with its open deductions: count, amount per currency, due soon, breached',
      },
    },
    async (req) => deductionQueueSummaries(req.userDb()),
  );

  app.get(
    '/deductions/dashboard',
    {
      schema: {
        tags,
        summary:
          'The deduction aging per queue as of a date and days deduction outstanding per queue and month',
        querystring: dashboardQuery,
      },
    },
    async (req) => deductionDashboard(req.userDb(), req.query),
  );

  app.get(
    '/deductions/:deduction_id',
    {
      schema: {
        tags,
        summary:
          'One deduction with its evidence: claims, suggestions, invoice, payment and remittance, documents, adjustments, timeline',
        params: z.object({ deduction_id: z.string().min(1) }),
      },
    },
    async (req) => getDeduction(req.userDb(), req.params.deduction_id),
  );
};
