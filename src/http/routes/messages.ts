// Messages between partners and the desk (a conversation per claim and one per partner account) and the
// analyst's recommendations from the scorecard. Partners reach only their own organisation's: another's
// claim, account, message or recommendation is a 404 like a missing one. Each use case checks the roles.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  acknowledgeRecommendation,
  conversation,
  listRecommendations,
  listThreads,
  markRead,
  postMessage,
  postMessageInput,
  recommendationInput,
  recommendationsQuery,
  resolveRecommendation,
  sendRecommendation,
  threadsQuery,
} from '../../modules/messages/index.ts';

const tags = ['messages'];
const claimParams = z.object({ claim_id: z.string().trim().min(1).max(200) });
const accountParams = z.object({ account_id: z.string().trim().min(1).max(200) });
const messageParams = z.object({ message_id: z.string().trim().min(1).max(100) });
const recommendationParams = z.object({ recommendation_id: z.string().trim().min(1).max(100) });
const claimAccountQuery = z.object({
  account_id: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('the claiming account, where the claim id is used by several partners (the desk)'),
});

const idempotencyKey = (req: { headers: Record<string, string | string[] | undefined> }) => {
  const header = req.headers['idempotency-key'];
  return Array.isArray(header) ? header[0] : header;
};

const postDescription =
  'Attach documents by uploading them first (POST /api/documents with entity_type claim or account) and ' +
  'naming their ids in `attachments`. The other side is e-mailed. A `client_message_id` (or an ' +
  '`Idempotency-Key` header) makes a retried post return the first message (200) instead of posting twice.';

export const messagesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/messages/threads',
    {
      schema: {
        tags,
        summary: 'My conversations, unread first then most recent, with unread counts and the total unread',
        querystring: threadsQuery,
      },
    },
    async (req) => listThreads(req.userDb(), req.query),
  );

  app.post(
    '/messages/:message_id/read',
    {
      schema: {
        tags,
        summary: 'Mark a message and the earlier ones of its conversation read; returns what is left unread',
        params: messageParams,
      },
    },
    async (req) => markRead(req.userDb(), req.params.message_id),
  );

  app.get(
    '/claims/:claim_id/messages',
    {
      schema: {
        tags,
        summary: 'The conversation about a claim, oldest message first (empty until the first message)',
        params: claimParams,
        querystring: claimAccountQuery,
      },
    },
    async (req) =>
      conversation(req.userDb(), {
        claim: { claim_id: req.params.claim_id, account_id: req.query.account_id },
      }),
  );

  app.post(
    '/claims/:claim_id/messages',
    {
      schema: {
        tags,
        summary: 'Write on a claim’s conversation (201; 200 when a retry named a message posted before)',
        description: postDescription,
        params: claimParams,
        querystring: claimAccountQuery,
        body: postMessageInput,
      },
    },
    async (req, reply) => {
      const result = await postMessage(
        req.userDb(),
        { claim: { claim_id: req.params.claim_id, account_id: req.query.account_id } },
        req.body,
        { idempotencyKey: idempotencyKey(req) },
      );
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.get(
    '/accounts/:account_id/messages',
    {
      schema: {
        tags,
        summary: 'The partner account’s general conversation with the desk, oldest message first',
        params: accountParams,
      },
    },
    async (req) => conversation(req.userDb(), { account_id: req.params.account_id }),
  );

  app.post(
    '/accounts/:account_id/messages',
    {
      schema: {
        tags,
        summary: 'Write on the partner account’s general conversation (201; 200 for a retry)',
        description: postDescription,
        params: accountParams,
        body: postMessageInput,
      },
    },
    async (req, reply) => {
      const result = await postMessage(req.userDb(), { account_id: req.params.account_id }, req.body, {
        idempotencyKey: idempotencyKey(req),
      });
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.get(
    '/recommendations',
    {
      schema: {
        tags,
        summary:
          'Recommendations sent, newest first, with their status; with account_id also that partner’s recurring errors per program',
        querystring: recommendationsQuery,
      },
    },
    async (req) => listRecommendations(req.userDb(), req.query),
  );

  app.post(
    '/recommendations',
    {
      schema: {
        tags,
        summary:
          'Send a recommendation from the scorecard to a partner as a message (201), tracked until resolved',
        description:
          'rule_code and optionally program_id say which recurring error it is about; text defaults to the ' +
          'scorecard’s advice for them. 409 while a recommendation on the same rule and program is open. ' +
          'Rebate analysts, managers and administrators.',
        body: recommendationInput,
      },
    },
    async (req, reply) => {
      const result = await sendRecommendation(req.userDb(), req.body, {
        idempotencyKey: idempotencyKey(req),
      });
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.post(
    '/recommendations/:recommendation_id/acknowledge',
    {
      schema: {
        tags,
        summary: 'The partner acknowledges a recommendation it received',
        params: recommendationParams,
      },
    },
    async (req) => ({
      recommendation: await acknowledgeRecommendation(req.userDb(), req.params.recommendation_id),
    }),
  );

  app.post(
    '/recommendations/:recommendation_id/resolve',
    {
      schema: {
        tags,
        summary: 'The desk marks a recommendation resolved (the errors it was about have stopped)',
        params: recommendationParams,
      },
    },
    async (req) => ({
      recommendation: await resolveRecommendation(req.userDb(), req.params.recommendation_id),
    }),
  );
};
