// Disputes on invoices and the teams they are routed to. The desk's routes are for the company's own users
// (partners get 403); a partner raises and follows its own account's disputes under /accounts/{id}/disputes.
// Each use case checks the roles.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { today } from '../../core/dates.ts';
import {
  accountDisputesQuery,
  assignDispute,
  assignDisputeInput,
  closeDisputeInput,
  commentInput,
  commentOnDispute,
  disputesCsv,
  disputesQuery,
  getDispute,
  listAccountDisputes,
  listDisputes,
  listTeams,
  openDispute,
  openDisputeInput,
  proposeAdjustment,
  proposeAdjustmentInput,
  raiseDispute,
  raiseDisputeInput,
  rejectDispute,
  setTeamSla,
  teamSlaInput,
  withdrawDispute,
} from '../../modules/disputes/index.ts';

const tags = ['disputes'];
const idParams = z.object({ dispute_id: z.string().trim().min(1).max(100) });

export const disputesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/disputes',
    {
      schema: {
        tags,
        summary:
          'Open a dispute on an invoice or debit memo (201); routed to the category’s team with its SLA',
        description:
          'category: pricing, quantity, billing_error, missing_pod (default teams: order_management, ' +
          'distribution, billing, distribution). amount: at most the open amount. 409 when the document is in ' +
          'dispute already. Attach documents with POST /api/documents (entity_type dispute).',
        body: openDisputeInput,
      },
    },
    async (req, reply) => reply.status(201).send(await openDispute(req.userDb(), req.body)),
  );

  const accountParams = z.object({ account_id: z.string().trim().min(1).max(200) });
  app.get(
    '/accounts/:account_id/disputes',
    {
      schema: {
        tags,
        summary:
          'The account’s disputes as the customer sees them (partners: their own accounts), active first',
        params: accountParams,
        querystring: accountDisputesQuery,
      },
    },
    async (req) => ({ items: await listAccountDisputes(req.userDb(), req.params.account_id, req.query) }),
  );

  app.post(
    '/accounts/:account_id/disputes',
    {
      schema: {
        tags,
        summary:
          'Raise a dispute on one of the account’s invoices or debit memos (201): partners from the portal, or the desk',
        description:
          'The same checks as POST /api/disputes (amount at most what is open, one dispute at a time per ' +
          'document: 409) and the same routing: the category’s team with its SLA. No team or assignee.',
        params: accountParams,
        body: raiseDisputeInput,
      },
    },
    async (req, reply) =>
      reply.status(201).send({ dispute: await raiseDispute(req.userDb(), req.params.account_id, req.body) }),
  );

  app.get(
    '/disputes',
    {
      schema: {
        tags,
        summary:
          'Disputes, overdue first then by due date; by team, state, category, account, document, assignee',
        querystring: disputesQuery,
      },
    },
    async (req) => listDisputes(req.userDb(), req.query),
  );

  app.get(
    '/disputes/export.csv',
    { schema: { tags, summary: 'disputes.csv: every dispute with its state, dates and adjustment' } },
    async (req, reply) => {
      const csv = await disputesCsv(req.userDb());
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="disputes-${today()}.csv"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );

  app.get(
    '/disputes/:dispute_id',
    {
      schema: {
        tags,
        summary: 'One dispute: the invoice, SLA, adjustment, documents, timeline and what you may do',
        params: idParams,
      },
    },
    async (req) => getDispute(req.userDb(), req.params.dispute_id),
  );

  app.post(
    '/disputes/:dispute_id/assign',
    {
      schema: {
        tags,
        summary:
          'Assign to a person of its team (assignee; null back to the queue) or route to another team (team)',
        params: idParams,
        body: assignDisputeInput,
      },
    },
    async (req) => assignDispute(req.userDb(), req.params.dispute_id, req.body),
  );

  app.post(
    '/disputes/:dispute_id/comments',
    {
      schema: {
        tags,
        summary: 'Add a comment to the dispute’s timeline',
        params: idParams,
        body: commentInput,
      },
    },
    async (req, reply) =>
      reply.status(201).send(await commentOnDispute(req.userDb(), req.params.dispute_id, req.body)),
  );

  app.post(
    '/disputes/:dispute_id/adjustment',
    {
      schema: {
        tags,
        summary:
          'Propose the billing adjustment that settles it (credit_adjustment, rebill, debit_adjustment); it waits for approval',
        description:
          'The adjustment is requested with source_type dispute: approved, it resolves the dispute ' +
          '(resolved_adjusted); refused, the dispute is back in review. The reason code defaults by category.',
        params: idParams,
        body: proposeAdjustmentInput,
      },
    },
    async (req, reply) =>
      reply.status(201).send(await proposeAdjustment(req.userDb(), req.params.dispute_id, req.body)),
  );

  app.post(
    '/disputes/:dispute_id/reject',
    {
      schema: {
        tags,
        summary: 'Reject it with a reason: the invoice stays owed (the routed team, managers)',
        params: idParams,
        body: closeDisputeInput,
      },
    },
    async (req) => rejectDispute(req.userDb(), req.params.dispute_id, req.body),
  );

  app.post(
    '/disputes/:dispute_id/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw it with a reason: the customer dropped it',
        params: idParams,
        body: closeDisputeInput,
      },
    },
    async (req) => withdrawDispute(req.userDb(), req.params.dispute_id, req.body),
  );

  app.get(
    '/dispute-teams',
    { schema: { tags, summary: 'The teams disputes are routed to, each with its SLA and active disputes' } },
    async (req) => ({ items: await listTeams(req.userDb()) }),
  );

  app.put(
    '/dispute-teams/:team',
    {
      schema: {
        tags,
        summary: 'Set a team’s SLA in business days (administrators, managers); audited',
        params: z.object({ team: z.string().max(100) }),
        body: teamSlaInput,
      },
    },
    async (req) => setTeamSla(req.userDb(), req.params.team, req.body),
  );
};
