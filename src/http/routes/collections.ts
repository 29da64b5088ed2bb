// Collections: the collector's worklist, an account's (or item's) timeline, comments and calls, promises to
// pay. The company's own desk: partners get 403; an account the caller cannot see is a 404.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  activityInput,
  addActivity,
  createPromise,
  listPromises,
  listTimeline,
  promiseInput,
  timelineQuery,
  worklist,
  worklistQuery,
} from '../../modules/collections/index.ts';

const tags = ['collections'];
const accountParams = z.object({ account_id: z.string().trim().min(1).max(200) });

export const collectionsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/collections/worklist',
    {
      schema: {
        tags,
        summary:
          'Accounts with anything past due in priority order, with the next best action (a collector sees their own accounts; managers all, or ?collector=)',
        querystring: worklistQuery,
      },
    },
    async (req) => worklist(req.userDb(), req.query),
  );

  app.get(
    '/accounts/:account_id/timeline',
    {
      schema: {
        tags,
        summary:
          'The account’s (or, with document_id, one item’s) activities, e-mails and item changes, newest first',
        params: accountParams,
        querystring: timelineQuery,
      },
    },
    async (req) => listTimeline(req.userDb(), req.params.account_id, req.query),
  );

  app.post(
    '/accounts/:account_id/activities',
    {
      schema: {
        tags,
        summary: 'Records a comment or a call (with its outcome) on the account or one of its items',
        params: accountParams,
        body: activityInput,
      },
    },
    async (req, reply) => {
      const activity = await addActivity(req.userDb(), req.params.account_id, req.body);
      return reply.code(201).send({ activity });
    },
  );

  app.post(
    '/accounts/:account_id/promises',
    {
      schema: {
        tags,
        summary: 'Records a promise to pay (amount as a decimal string, date, items covered)',
        params: accountParams,
        body: promiseInput,
      },
    },
    async (req, reply) => {
      const promise = await createPromise(req.userDb(), req.params.account_id, req.body);
      return reply.code(201).send({ promise });
    },
  );

  app.get(
    '/accounts/:account_id/promises',
    {
      schema: { tags, summary: 'The account’s promises to pay, latest date first', params: accountParams },
    },
    async (req) => listPromises(req.userDb(), req.params.account_id),
  );
};
