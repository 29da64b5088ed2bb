// Cash application: bank files and their credits, the exception queue, a credit's candidates, manual
// decisions, cascade runs with their measures, clearing credits against invoices, and the two exports.
// The cash desk only: every use case refuses partner users (403) and other roles without the desk's.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  applyCreditManually,
  autoClearCredits,
  cashApplicationsCsv,
  cashExceptionsCsv,
  clearCredit,
  clearInput,
  clearingView,
  creditsQuery,
  getBankFile,
  getCredit,
  getRun,
  listBankFiles,
  listCredits,
  listRuns,
  manualApplyInput,
  openItemsSearch,
  pageQuery,
  reverseClearing,
  runCascade,
  searchOpenItems,
  setClearingPolicy,
  unapplyCredit,
} from '../../modules/cash/index.ts';

const tags = ['cash'];
const ref = z.object({ payment_ref: z.string().min(1) });
const account = z.object({ account_id: z.string().min(1) });

export const cashRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/cash/bank-files',
    {
      schema: {
        tags,
        summary: 'Bank files loaded, newest first, with what happened to their credits',
        querystring: pageQuery,
      },
    },
    async (req) => listBankFiles(req.userDb(), req.query),
  );

  app.get(
    '/cash/bank-files/:file_id',
    {
      schema: {
        tags,
        summary:
          'One bank file: its statements with declared and computed totals, and its credits with their outcome',
        params: z.object({ file_id: z.string().min(1) }),
        querystring: pageQuery,
      },
    },
    async (req) => getBankFile(req.userDb(), req.params.file_id, req.query),
  );

  app.get(
    '/cash/credits',
    {
      schema: {
        tags,
        summary:
          'Bank credits by status and reason (status=exception is the exception queue), with suggestions',
        querystring: creditsQuery,
      },
    },
    async (req) => listCredits(req.userDb(), req.query),
  );

  app.get(
    '/cash/credits/:payment_ref',
    {
      schema: {
        tags,
        summary:
          'One credit with its applications (reversed ones too), suggestions and the payer’s open items',
        params: ref,
      },
    },
    async (req) => getCredit(req.userDb(), req.params.payment_ref),
  );

  app.post(
    '/cash/credits/:payment_ref/apply',
    {
      schema: {
        tags,
        summary:
          'Apply a credit to documents of an account (full or part; deduction with a reason; the rest on account)',
        description:
          'Replaces any earlier decision (a changed automatic decision counts as a wrong match of its run). Teaches the payer’s bank account and reference pattern.',
        params: ref,
        body: manualApplyInput,
      },
    },
    async (req) => applyCreditManually(req.userDb(), req.params.payment_ref, req.body),
  );

  app.post(
    '/cash/credits/:payment_ref/unapply',
    {
      schema: {
        tags,
        summary: 'Un-apply a credit: its entries are reversed; it waits in the queue again',
        params: ref,
      },
    },
    async (req) => unapplyCredit(req.userDb(), req.params.payment_ref),
  );

  app.get(
    '/cash/open-items',
    {
      schema: {
        tags,
        summary:
          'Search open documents of any customer (number or reference, account, currency, open amount)',
        querystring: openItemsSearch,
      },
    },
    async (req) => searchOpenItems(req.userDb(), req.query),
  );

  app.post(
    '/cash/runs',
    { schema: { tags, summary: 'Run the matching cascade on every credit not yet through it' } },
    async (req, reply) => reply.status(201).send(await runCascade(req.userDb())),
  );

  app.get(
    '/cash/runs',
    { schema: { tags, summary: 'Cascade runs with their measures, newest first', querystring: pageQuery } },
    async (req) => listRuns(req.userDb(), req.query),
  );

  app.get(
    '/cash/runs/:run_id',
    {
      schema: {
        tags,
        summary: 'One cascade run with its measures',
        params: z.object({ run_id: z.string() }),
      },
    },
    async (req) => getRun(req.userDb(), req.params.run_id),
  );

  app.get(
    '/cash/accounts/:account_id/clearing',
    {
      schema: {
        tags,
        summary:
          'An account’s open credits (credit memos, unapplied cash) beside its open invoices, policy, clearings',
        params: account,
      },
    },
    async (req) => clearingView(req.userDb(), req.params.account_id),
  );

  app.put(
    '/cash/accounts/:account_id/clearing-policy',
    {
      schema: {
        tags,
        summary: 'Whether the daily job clears the account’s credits oldest-first',
        params: account,
        body: z.object({ auto_clear_credits: z.boolean() }),
      },
    },
    async (req) => setClearingPolicy(req.userDb(), req.params.account_id, req.body.auto_clear_credits),
  );

  app.post(
    '/cash/accounts/:account_id/clearings',
    {
      schema: {
        tags,
        summary: 'Apply one open credit of the account to invoices it picks',
        params: account,
        body: clearInput,
      },
    },
    async (req, reply) =>
      reply.status(201).send(await clearCredit(req.userDb(), req.params.account_id, req.body)),
  );

  app.post(
    '/cash/accounts/:account_id/clearings/:clearing_id/reverse',
    {
      schema: {
        tags,
        summary: 'Reverse a clearing',
        params: z.object({ account_id: z.string().min(1), clearing_id: z.string().min(1) }),
      },
    },
    async (req) => reverseClearing(req.userDb(), req.params.account_id, req.params.clearing_id),
  );

  app.post(
    '/cash/clearings/auto',
    {
      schema: {
        tags,
        summary: 'Clear credits oldest-first now (accounts whose policy says so, or the one given)',
        body: z.object({ account_id: z.string().min(1).optional() }).optional(),
      },
    },
    async (req) => autoClearCredits(req.userDb(), { account_id: req.body?.account_id }),
  );

  app.get(
    '/cash/export/cash_applications.csv',
    { schema: { tags, summary: 'cash_applications.csv (FORMATS.md)' } },
    async (req, reply) =>
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="cash_applications.csv"')
        .send(await cashApplicationsCsv(req.userDb())),
  );

  app.get(
    '/cash/export/cash_exceptions.csv',
    { schema: { tags, summary: 'cash_exceptions.csv (FORMATS.md)' } },
    async (req, reply) =>
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="cash_exceptions.csv"')
        .send(await cashExceptionsCsv(req.userDb())),
  );
};
