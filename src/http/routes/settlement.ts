// Settlement: payment batches (list, detail, files, release, reversal) for the company; payments and payment
// advices for partners and the company; accruals for finance; the reconciliation of credits processed.
// Payment proposals: what a run would pay on a payment date, reviewed, narrowed and submitted from the web; the
// files of a run submitted here are kept with its batches (downloaded from the batch page once released).
// A settlement run that writes files to a server folder stays an operator action (the CLI).
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isBusinessDate, today } from '../../core/dates.ts';
import { invalid } from '../../core/errors.ts';
import { gridQueryParams } from '../../db/grid-query.ts';
import { requireInternal } from '../../modules/identity/index.ts';
import {
  accruals,
  accrualsCsv,
  accrualsXlsx,
  buildProposal,
  checkPaymentDate,
  getBatch,
  getBatchFile,
  getProposal,
  listAdvices,
  listPaymentBatches,
  listPayments,
  listProposals,
  paymentAdvicePdf,
  paymentAdviceXlsx,
  paymentGridColumns,
  reconciliation,
  reconciliationCsv,
  reconciliationXlsx,
  releaseBatch,
  reverseBatch,
  setExclusion,
  submitProposal,
} from '../../modules/settlement/index.ts';

const tags = ['settlement'];
const batchParams = z.object({ batch_id: z.string().trim().min(1) });
const proposalParams = z.object({ proposal_id: z.string().trim().min(1) });
const claimRefs = z
  .array(z.object({ account_id: z.string().trim().min(1), claim_id: z.string().trim().min(1) }))
  .min(1, 'name at least one claim')
  .max(10000);
const adviceQuery = z.object({ batch_id: z.string().trim().min(1), account_id: z.string().trim().min(1) });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const accrualQuery = z.object({
  as_of: date.optional(),
  program_id: z.string().trim().min(1).optional(),
  account_id: z.string().trim().min(1).optional(),
});
const accrualReportQuery = accrualQuery.extend({
  /** `false`: the totals per program and currency only, without a row per program, partner and period. */
  rows: z.enum(['true', 'false']).optional(),
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
        description:
          'A comment is required (what the approver checked; kept with the batch and in the audit trail). ' +
          'Its payments are paid on the release date (the next business day if that is not one) and its ' +
          'claims move from in_payment to paid; a credit memo batch posts its credit memos now. Whoever made ' +
          'the batch cannot release it (403). Its files can be downloaded from then on.',
        params: batchParams,
        body: z.object({ comment: z.string().trim().min(1, 'say why the batch may be paid').max(500) }),
      },
    },
    async (req) => {
      // The answer names the files, never the server's folders.
      const r = await releaseBatch(req.userDb(), req.params.batch_id, req.body);
      return {
        ...r,
        files: r.files.map((f) => path.basename(f)),
        ...(r.export_error
          ? {
              export_error:
                "The files could not be written to the run's folder; download them from the batch page.",
            }
          : {}),
      };
    },
  );

  app.get(
    '/settlement/payment-date',
    {
      schema: {
        tags,
        summary: 'Whether a date is a business day for payments, and the next business day (default today)',
        description: 'Weekends and the public holidays of CLEARHOUSE_COMPANY_COUNTRY (default US).',
        querystring: z.object({ date: date.optional() }),
      },
    },
    async (req) => {
      requireInternal(req.userDb().actor);
      const day = req.query.date ?? today();
      if (!isBusinessDate(day)) throw invalid('date', `${day} is not a date`);
      return checkPaymentDate(day);
    },
  );

  app.get(
    '/settlement/proposals',
    {
      schema: {
        tags,
        summary: 'Recent payment proposals: payment date, status, claims included and excluded',
      },
    },
    async (req) => ({ items: await listProposals(req.userDb()) }),
  );

  app.post(
    '/settlement/proposals',
    {
      schema: {
        tags,
        summary: 'Build a payment proposal: the approved claims a run would pay on a payment date',
        description:
          'as_of: the payment date, a business day (a weekend or holiday is refused with the next business ' +
          'day); default the next business day. Each claim with its partner, method, amount after ' +
          'deductions, SLA priority and blockers; the batches it would make and which wait for release.',
        body: z.object({ as_of: date.optional() }).default({}),
      },
    },
    async (req, reply) => reply.code(201).send(await buildProposal(req.userDb(), req.body)),
  );

  app.get(
    '/settlement/proposals/:proposal_id',
    {
      schema: {
        tags,
        summary: 'One payment proposal with its claims, batches and, once submitted, the result',
        params: proposalParams,
      },
    },
    async (req) => getProposal(req.userDb(), req.params.proposal_id),
  );

  app.post(
    '/settlement/proposals/:proposal_id/exclude',
    {
      schema: {
        tags,
        summary: 'Exclude claims from a payment proposal with a reason (they stay approved for a later run)',
        params: proposalParams,
        body: z.object({
          claims: claimRefs,
          reason: z.string().trim().min(1, 'say why these claims are not paid now').max(500),
        }),
      },
    },
    async (req) => setExclusion(req.userDb(), req.params.proposal_id, req.body, true),
  );

  app.post(
    '/settlement/proposals/:proposal_id/include',
    {
      schema: {
        tags,
        summary: 'Take excluded claims back into a payment proposal',
        params: proposalParams,
        body: z.object({ claims: claimRefs }),
      },
    },
    async (req) => setExclusion(req.userDb(), req.params.proposal_id, req.body, false),
  );

  app.post(
    '/settlement/proposals/:proposal_id/submit',
    {
      schema: {
        tags,
        summary: 'Submit a payment proposal: pay exactly its included claims on its payment date',
        description:
          'The batches are made as by a settlement run (those above the release limit wait for release); ' +
          'a claim paid meanwhile is not paid again and is listed in result.not_paid with the reason. ' +
          '409 once submitted or after its payment date.',
        params: proposalParams,
      },
    },
    async (req) => submitProposal(req.userDb(), req.params.proposal_id),
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
          'the filters match. A grid sorts (`order`) and filters (`filters`) over every payment; `batch_status` ' +
          'is the company’s only.',
        querystring: z.object({
          account_id: z.string().trim().min(1).optional(),
          ...gridQueryParams(
            Object.keys(paymentGridColumns),
            Object.entries(paymentGridColumns).flatMap(([k, v]) => (v.filter === null ? [] : [k])),
          ),
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
        querystring: accrualReportQuery,
      },
    },
    async (req) => {
      const { rows, ...query } = req.query;
      const report = await accruals(req.userDb(), query);
      // A chart of the totals (the dashboards) need not carry every row: a report of 12,000 rows is 350 KB.
      return rows === 'false' ? { ...report, rows: [] } : report;
    },
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
