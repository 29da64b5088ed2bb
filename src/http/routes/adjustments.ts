// Adjustments and write-offs (requests, worksheets, approvals), the approvers' inbox, approval limits, the
// month end and the journal. For the company's own users only; each use case checks the roles.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adjustmentInput,
  adjustmentsQuery,
  approveAdjustment,
  decisionInput,
  getAdjustment,
  listAdjustments,
  listReasons,
  monthEndRuns,
  reasonInput,
  refuseAdjustment,
  requestAdjustment,
  runMonthEnd,
  saveReason,
} from '../../modules/adjustments/index.ts';
import {
  approvalInbox,
  approvalLimitsInput,
  approvalThresholdInput,
  listApprovalLimits,
  listApprovalThresholds,
  removeApprovalThreshold,
  setApprovalLimits,
  setApprovalThreshold,
} from '../../modules/approvals/index.ts';
import {
  glAccountsInput,
  journal,
  journalCsv,
  journalFileName,
  journalQuery,
  journalXlsx,
  listGlAccounts,
  setGlAccounts,
} from '../../modules/journal/index.ts';
import { download, xlsxType } from '../download.ts';

const tags = ['adjustments'];
const idParams = z.object({ adjustment_id: z.string().trim().min(1) });

export const adjustmentsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/adjustments',
    {
      schema: {
        tags,
        summary: 'Request an adjustment or write-off (201, status pending); lines for a write-off worksheet',
        description:
          'kind: credit_adjustment, rebill (corrected_amount; amount is the open amount), debit_adjustment, ' +
          'write_off, absorption. Attach supporting documents with POST /api/documents (entity_type adjustment).',
        body: adjustmentInput,
      },
    },
    async (req, reply) => reply.status(201).send(await requestAdjustment(req.userDb(), req.body)),
  );

  app.get(
    '/adjustments',
    {
      schema: {
        tags,
        summary: 'Adjustments, newest first, by status, document, account or kind',
        querystring: adjustmentsQuery,
      },
    },
    async (req) => ({ items: await listAdjustments(req.userDb(), req.query) }),
  );

  app.get(
    '/adjustments/:adjustment_id',
    {
      schema: {
        tags,
        summary: 'One adjustment: lines with their documents, approvals, postings, documents and history',
        params: idParams,
      },
    },
    async (req) => getAdjustment(req.userDb(), req.params.adjustment_id),
  );

  app.post(
    '/adjustments/:adjustment_id/approve',
    {
      schema: {
        tags,
        summary: 'Approve (403 for the requester or a limit below the amount; 409 when no longer pending)',
        params: idParams,
        body: decisionInput.optional(),
      },
    },
    async (req) => approveAdjustment(req.userDb(), req.params.adjustment_id, req.body ?? {}),
  );

  app.post(
    '/adjustments/:adjustment_id/refuse',
    {
      schema: {
        tags,
        summary:
          'Refuse with a comment (403 for the requester or a limit below the amount; 409 when decided)',
        params: idParams,
        body: decisionInput,
      },
    },
    async (req) => refuseAdjustment(req.userDb(), req.params.adjustment_id, req.body),
  );

  app.get(
    '/adjustment-reasons',
    { schema: { tags, summary: 'The reason codes of adjustments' } },
    async (req) => ({
      items: await listReasons(req.userDb()),
    }),
  );

  app.put(
    '/adjustment-reasons/:reason_code',
    {
      schema: {
        tags,
        summary: 'Add or change a reason code (administrator)',
        params: z.object({ reason_code: z.string() }),
        body: reasonInput.omit({ reason_code: true }),
      },
    },
    async (req) => saveReason(req.userDb(), { ...req.body, reason_code: req.params.reason_code }),
  );

  app.get(
    '/approvals/inbox',
    {
      schema: {
        tags,
        summary: 'What waits for me: pending requests within my limits, not my own, oldest first',
      },
    },
    async (req) => ({ items: await approvalInbox(req.userDb()) }),
  );

  app.get(
    '/approval-limits',
    {
      schema: {
        tags,
        summary: 'Every internal user with their approval limits per currency (administrator)',
      },
    },
    async (req) => ({ items: await listApprovalLimits(req.userDb()) }),
  );

  app.put(
    '/approval-limits/:user_id',
    {
      schema: {
        tags,
        summary: 'Replace a user’s approval limits, one per currency (administrator); audited',
        params: z.object({ user_id: z.string() }),
        body: approvalLimitsInput,
      },
    },
    async (req) => ({ limits: await setApprovalLimits(req.userDb(), req.params.user_id, req.body) }),
  );

  app.get(
    '/approval-thresholds',
    {
      schema: {
        tags,
        summary:
          'The second-level thresholds: above this amount a request needs two approvals (`*` is every currency without its own)',
      },
    },
    async (req) => ({ items: await listApprovalThresholds(req.userDb()) }),
  );

  app.put(
    '/approval-thresholds/:currency',
    {
      schema: {
        tags,
        summary: 'Set the second-level threshold of a currency, or of `*` (administrator); audited',
        params: z.object({ currency: z.string().max(3) }),
        body: approvalThresholdInput,
      },
    },
    async (req) => setApprovalThreshold(req.userDb(), req.params.currency, req.body),
  );

  app.delete(
    '/approval-thresholds/:currency',
    {
      schema: {
        tags,
        summary: 'Remove a currency’s own threshold: it falls back to `*` (administrator); audited',
        params: z.object({ currency: z.string().max(3) }),
      },
    },
    async (req, reply) => {
      await removeApprovalThreshold(req.userDb(), req.params.currency);
      return reply.status(204).send();
    },
  );

  app.post(
    '/month-end/runs',
    {
      schema: {
        tags,
        summary:
          'Run the month end for a date (as the daily job does): on a month’s last day it writes off the open non-compliance charges',
        body: z.object({ as_of: z.string() }),
      },
    },
    async (req, reply) => reply.status(201).send(await runMonthEnd(req.userDb(), req.body)),
  );

  app.get(
    '/month-end/runs',
    { schema: { tags, summary: 'Month-end runs, newest first, with what each wrote off' } },
    async (req) => ({ items: await monthEndRuns(req.userDb()) }),
  );

  app.get(
    '/journal',
    {
      schema: {
        tags,
        summary: 'The journal between two dates (default this month), every posting with its GL accounts',
        querystring: journalQuery,
      },
    },
    async (req) => journal(req.userDb(), req.query),
  );

  app.get(
    '/journal.csv',
    { schema: { tags, summary: 'journal.csv (FORMATS.md)', querystring: journalQuery } },
    async (req, reply) => {
      const j = await journal(req.userDb(), req.query);
      return download(reply, 'text/csv; charset=utf-8', journalFileName(j, 'csv'), journalCsv(j.rows));
    },
  );

  app.get(
    '/journal.xlsx',
    { schema: { tags, summary: 'The journal as XLSX', querystring: journalQuery } },
    async (req, reply) => {
      const j = await journal(req.userDb(), req.query);
      return download(reply, xlsxType, journalFileName(j, 'xlsx'), await journalXlsx(req.userDb(), j));
    },
  );

  app.get(
    '/journal/gl-accounts',
    { schema: { tags, summary: 'The GL accounts of each journal kind' } },
    async (req) => ({
      items: await listGlAccounts(req.userDb()),
    }),
  );

  app.put(
    '/journal/gl-accounts/:kind',
    {
      schema: {
        tags,
        summary: 'Change the GL accounts of a journal kind (administrator); audited',
        params: z.object({ kind: z.string() }),
        body: glAccountsInput,
      },
    },
    async (req) => setGlAccounts(req.userDb(), req.params.kind, req.body),
  );
};
