// Receivables: aging as of any date (JSON and XLSX), open items, and one item with its applications.
// Loading happens through the import engine (invoices, payments, applications); these routes read. Row-level
// security scopes every answer to the caller's organisation; an item the caller cannot see is a 404.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  aging,
  agingCsv,
  agingFileName,
  agingQueryText,
  agingXlsx,
  getItem,
  invoiceCopy,
  invoiceCopyFileName,
  invoiceCopyPdf,
  itemQuery,
  itemsQueryText,
  listOpenItems,
} from '../../modules/receivables/index.ts';

const tags = ['receivables'];

export const receivablesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/ar/aging',
    {
      schema: {
        tags,
        summary:
          'Aging as of a date (default today): one row per account (or collector, country, currency) and currency',
        querystring: agingQueryText,
      },
    },
    async (req) => aging(req.userDb(), req.query),
  );

  app.get(
    '/ar/aging/export.xlsx',
    {
      schema: {
        tags,
        summary: 'The aging as an XLSX workbook (aging.csv columns)',
        querystring: agingQueryText,
      },
    },
    async (req, reply) => {
      const report = await aging(req.userDb(), req.query);
      const content = await agingXlsx(report);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${agingFileName(report, 'xlsx')}"`)
        .header('cache-control', 'no-store')
        .send(content);
    },
  );

  app.get(
    '/ar/aging/export.csv',
    {
      schema: {
        tags,
        summary: 'The aging as aging.csv (formula-safe)',
        querystring: agingQueryText,
      },
    },
    async (req, reply) => {
      const report = await aging(req.userDb(), req.query);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${agingFileName(report, 'csv')}"`)
        .header('cache-control', 'no-store')
        .send(agingCsv(report));
    },
  );

  app.get(
    '/ar/items',
    {
      schema: {
        tags,
        summary: 'Open items as of a date with their open amount, days past due and bucket',
        querystring: itemsQueryText,
      },
    },
    async (req) => listOpenItems(req.userDb(), req.query),
  );

  app.get(
    '/ar/items/:document_id',
    {
      schema: {
        tags,
        summary: 'One document or payment with its open amount and its applications timeline',
        params: z.object({ document_id: z.string().min(1) }),
        querystring: itemQuery,
      },
    },
    async (req) => getItem(req.userDb(), req.params.document_id, req.query),
  );

  app.get(
    '/ar/items/:document_id/copy.pdf',
    {
      schema: {
        tags,
        summary:
          'A copy of the document as issued (PDF): account, dates, amount and tax, reference, PO, what was applied and what is open on `as_of`',
        params: z.object({ document_id: z.string().min(1) }),
        querystring: itemQuery,
      },
    },
    async (req, reply) => {
      const copy = await invoiceCopy(req.userDb(), req.params.document_id, req.query);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${invoiceCopyFileName(copy)}"`)
        .header('cache-control', 'no-store')
        .send(await invoiceCopyPdf(copy));
    },
  );
};
