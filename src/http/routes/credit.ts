// Credit: the credit-pend report (JSON, credit_pend.csv/.xlsx), orders on hold (add through the API, release or
// keep with a comment), credit_releases.csv for the ERP, credit positions, and credit-limit change requests
// approved like adjustments. For the company's own users only; each use case checks the roles.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  accountCredit,
  approveLimitRequest,
  creditPendCsv,
  creditPendFileName,
  creditPendXlsx,
  creditReleasesCsv,
  creditReleasesXlsx,
  creditReport,
  creditReportQuery,
  getLimitRequest,
  getOrder,
  keepOrder,
  limitDecisionInput,
  limitRequestInput,
  listCreditPositions,
  listLimitRequests,
  listReleases,
  orderDecisionInput,
  orderInput,
  positionsQuery,
  refuseLimitRequest,
  releaseOrder,
  releasesQuery,
  requestLimitChange,
  saveOrder,
} from '../../modules/credit/index.ts';
import { download, xlsxType } from '../download.ts';

const tags = ['credit'];
const orderParams = z.object({ order_id: z.string().trim().min(1).max(100) });
const requestParams = z.object({ request_id: z.string().trim().min(1).max(40) });
const fileFormat = z.object({ format: z.enum(['csv', 'xlsx']).optional() });

export const creditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/credit/report',
    {
      schema: {
        tags,
        summary:
          'The credit-pend report as of a day (default today): every order on hold with its recommendation and reasons, and each account’s payments, promises and latest note',
        querystring: creditReportQuery,
      },
    },
    async (req) => creditReport(req.userDb(), req.query),
  );

  app.get(
    '/credit/report/export',
    {
      schema: {
        tags,
        summary: 'credit_pend.csv (FORMATS.md) as of a day, or XLSX with format=xlsx',
        querystring: creditReportQuery.extend(fileFormat.shape),
      },
    },
    async (req, reply) => {
      const report = await creditReport(req.userDb(), req.query);
      return req.query.format === 'xlsx'
        ? download(
            reply,
            xlsxType,
            creditPendFileName(report.as_of, 'xlsx'),
            await creditPendXlsx(report.orders),
          )
        : download(
            reply,
            'text/csv; charset=utf-8',
            creditPendFileName(report.as_of, 'csv'),
            creditPendCsv(report.orders),
          );
    },
  );

  app.post(
    '/credit/orders',
    {
      schema: {
        tags,
        summary:
          'Add or change an order on hold, as a row of orders_on_hold.csv (201 created, 200 otherwise)',
        body: orderInput,
      },
    },
    async (req, reply) => {
      const { order, created } = await saveOrder(req.userDb(), req.body);
      return reply.status(created ? 201 : 200).send(order);
    },
  );

  app.get(
    '/credit/orders/:order_id',
    {
      schema: {
        tags,
        summary: 'One order on hold or released, with every decision on it',
        params: orderParams,
      },
    },
    async (req) => getOrder(req.userDb(), req.params.order_id),
  );

  app.post(
    '/credit/orders/:order_id/release',
    {
      schema: {
        tags,
        summary:
          'Release an order with a comment; releasing again records nothing more (the first release answers)',
        params: orderParams,
        body: orderDecisionInput,
      },
    },
    async (req) => releaseOrder(req.userDb(), req.params.order_id, req.body),
  );

  app.post(
    '/credit/orders/:order_id/keep',
    {
      schema: {
        tags,
        summary: 'Keep an order on hold with a comment (409 when it was released)',
        params: orderParams,
        body: orderDecisionInput,
      },
    },
    async (req) => keepOrder(req.userDb(), req.params.order_id, req.body),
  );

  app.get(
    '/credit/releases',
    {
      schema: {
        tags,
        summary: 'Orders released, by the day released (from, to), oldest first',
        querystring: releasesQuery,
      },
    },
    async (req) => ({ items: await listReleases(req.userDb(), req.query) }),
  );

  app.get(
    '/credit/releases/export',
    {
      schema: {
        tags,
        summary: 'credit_releases.csv for the ERP (order_id, released_at, released_by, comment), or XLSX',
        querystring: releasesQuery.extend(fileFormat.shape),
      },
    },
    async (req, reply) => {
      const rows = await listReleases(req.userDb(), req.query);
      return req.query.format === 'xlsx'
        ? download(reply, xlsxType, 'credit_releases.xlsx', await creditReleasesXlsx(rows))
        : download(reply, 'text/csv; charset=utf-8', 'credit_releases.csv', creditReleasesCsv(rows));
    },
  );

  app.get(
    '/credit/positions',
    {
      schema: {
        tags,
        summary:
          'Every account’s credit limit, open receivables, orders on hold, exposure and available credit per currency',
        querystring: positionsQuery,
      },
    },
    async (req) => ({ items: await listCreditPositions(req.userDb(), req.query) }),
  );

  app.get(
    '/credit/accounts/:account_id',
    {
      schema: {
        tags,
        summary:
          'An account’s credit limits, its credit position per currency (with the hierarchy) and limit requests',
        params: z.object({ account_id: z.string().trim().min(1).max(200) }),
      },
    },
    async (req) => accountCredit(req.userDb(), req.params.account_id),
  );

  app.post(
    '/credit/limit-requests',
    {
      schema: {
        tags,
        summary: 'Ask for a new credit limit (201, pending): nothing changes until it is approved',
        body: limitRequestInput,
      },
    },
    async (req, reply) => reply.status(201).send(await requestLimitChange(req.userDb(), req.body)),
  );

  app.get(
    '/credit/limit-requests',
    {
      schema: {
        tags,
        summary: 'Credit-limit requests, newest first (of one account with account_id)',
        querystring: z.object({ account_id: z.string().trim().min(1).max(200).optional() }),
      },
    },
    async (req) => ({ items: await listLimitRequests(req.userDb(), { accountId: req.query.account_id }) }),
  );

  app.get(
    '/credit/limit-requests/:request_id',
    { schema: { tags, summary: 'One credit-limit request with its approvals', params: requestParams } },
    async (req) => getLimitRequest(req.userDb(), req.params.request_id),
  );

  app.post(
    '/credit/limit-requests/:request_id/approve',
    {
      schema: {
        tags,
        summary: 'Approve (403 for the requester or a limit below the amount; 409 when no longer pending)',
        params: requestParams,
        body: limitDecisionInput.optional(),
      },
    },
    async (req) => approveLimitRequest(req.userDb(), req.params.request_id, req.body ?? {}),
  );

  app.post(
    '/credit/limit-requests/:request_id/refuse',
    {
      schema: {
        tags,
        summary: 'Refuse with a comment (403 for the requester; 409 when no longer pending)',
        params: requestParams,
        body: limitDecisionInput,
      },
    },
    async (req) => refuseLimitRequest(req.userDb(), req.params.request_id, req.body),
  );
};
