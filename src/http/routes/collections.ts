// Collections: the collector's worklist, an account's (or item's) timeline, comments and calls, promises to
// pay, Account 360, collection strategies (administered here, run daily), tasks routed to teams, reminders
// and invoice copies. The company's own desk: partners get 403; an account the caller cannot see is a 404.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PoolDb } from '../../db/db.ts';
import {
  accountOverview,
  accountReminderInput,
  accountStrategy,
  activityInput,
  addActivity,
  bulkWorklistAction,
  bulkWorklistInput,
  completeTask,
  completeTaskInput,
  createPromise,
  createStrategy,
  createStrategyInput,
  createTask,
  createTaskInput,
  deleteStrategy,
  doWorklistAction,
  getStrategy,
  itemEmailInput,
  listPromises,
  listStrategies,
  listTasks,
  listTimeline,
  promiseInput,
  type SentEmail,
  sendAccountReminder,
  sendItemEmail,
  tasksQuery,
  timelineQuery,
  updateStrategy,
  updateStrategyInput,
  worklist,
  worklistActionInput,
  worklistQuery,
} from '../../modules/collections/index.ts';
import { deliverEmail, getEmail, requestDelivery } from '../../modules/correspondence/index.ts';
import type { DocumentStore } from '../../modules/platform/index.ts';

const tags = ['collections'];
const accountParams = z.object({ account_id: z.string().trim().min(1).max(200) });
const strategyParams = z.object({ strategy_id: z.string().trim().min(1).max(64) });
const idempotencyKey = (header: string | string[] | undefined) =>
  (Array.isArray(header) ? header[0] : header)?.trim().slice(0, 200) || undefined;

export const collectionsRoutes: FastifyPluginAsyncZod<{ store: DocumentStore }> = async (app, opts) => {
  /** Hands a new e-mail to the job queue, or sends it here when this process has none; 201, or 200 on replay. */
  const delivered = async (db: PoolDb, sent: SentEmail) => {
    if (sent.created && !(await requestDelivery([sent.email.email_id])))
      await deliverEmail(db, sent.email.email_id, { store: opts.store });
    return { email: await getEmail(db, sent.email.email_id) };
  };

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

  /** The e-mails a worklist action queued, handed to the job queue (or sent here when there is none). */
  const deliverNew = async (db: PoolDb, ids: readonly string[]) => {
    if (ids.length === 0 || (await requestDelivery([...ids]))) return;
    for (const id of ids) await deliverEmail(db, id, { store: opts.store });
  };

  app.post(
    '/accounts/:account_id/next-action',
    {
      schema: {
        tags,
        summary:
          'Does one worklist action for the account (reminder, statement, call task, promise follow-up, escalation to sales); at most once per account, action and day (200 with outcome already_done on a repeat)',
        params: accountParams,
        body: worklistActionInput,
      },
    },
    async (req) => {
      const db = req.userDb();
      const result = await doWorklistAction(db, opts.store, req.params.account_id, req.body);
      await deliverNew(db, result.outcome === 'done' && result.email_id ? [result.email_id] : []);
      return result;
    },
  );

  app.post(
    '/collections/worklist/bulk',
    {
      schema: {
        tags,
        summary:
          'Sends reminders to, or assigns a collector to, the accounts selected on the worklist; idempotent per account and day (a reminder sent today is not sent again)',
        body: bulkWorklistInput,
      },
    },
    async (req) => {
      const db = req.userDb();
      const result = await bulkWorklistAction(db, opts.store, req.body);
      await deliverNew(
        db,
        result.results.flatMap((r) => (r.outcome === 'done' && r.email_id ? [r.email_id] : [])),
      );
      return result;
    },
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

  app.get(
    '/accounts/:account_id/overview',
    {
      schema: {
        tags,
        summary:
          'Account 360: aging per currency, contacts, collection strategy and cycle, statements sent, promises and tasks counts, the partner’s claims and credit memos',
        params: accountParams,
      },
    },
    async (req) => accountOverview(req.userDb(), req.params.account_id),
  );

  app.get(
    '/accounts/:account_id/strategy',
    {
      schema: {
        tags,
        summary:
          'The collection strategy that applies to the account (most specific segment and country) and its current past-due cycle: steps done, next step',
        params: accountParams,
        querystring: z.object({ as_of: z.string().trim().optional() }),
      },
    },
    async (req) => accountStrategy(req.userDb(), req.params.account_id, req.query.as_of),
  );

  app.post(
    '/accounts/:account_id/reminders',
    {
      schema: {
        tags,
        summary:
          'E-mails a reminder of everything past due to the billing contact (or `to`), the statement of account attached; `Idempotency-Key` honoured',
        params: accountParams,
        body: accountReminderInput,
      },
    },
    async (req, reply) => {
      const db = req.userDb();
      const sent = await sendAccountReminder(db, opts.store, req.params.account_id, req.body, {
        idempotencyKey: idempotencyKey(req.headers['idempotency-key']),
      });
      return reply.code(sent.created ? 201 : 200).send(await delivered(db, sent));
    },
  );

  app.post(
    '/ar/items/:document_id/emails',
    {
      schema: {
        tags,
        summary:
          'E-mails a reminder about the document, or a copy of it (`kind`), with the copy as a PDF, to the billing contact (or `to`); kept in the item’s and the account’s timeline; `Idempotency-Key` honoured',
        params: z.object({ document_id: z.string().trim().min(1).max(200) }),
        body: itemEmailInput,
      },
    },
    async (req, reply) => {
      const db = req.userDb();
      const sent = await sendItemEmail(db, opts.store, req.params.document_id, req.body, {
        idempotencyKey: idempotencyKey(req.headers['idempotency-key']),
      });
      return reply.code(sent.created ? 201 : 200).send(await delivered(db, sent));
    },
  );

  app.post(
    '/accounts/:account_id/tasks',
    {
      schema: {
        tags,
        summary:
          'Opens a task by hand: escalate a payment delay to the sales owner, a call, or a credit-hold recommendation, with an SLA in business days',
        params: accountParams,
        body: createTaskInput,
      },
    },
    async (req, reply) => {
      const task = await createTask(req.userDb(), req.params.account_id, req.body);
      return reply.code(201).send({ task });
    },
  );

  app.get(
    '/tasks',
    {
      schema: {
        tags,
        summary:
          'Tasks routed to the collections, sales and credit queues, overdue first (`for=me`: assigned to me or in my roles’ queues)',
        querystring: tasksQuery,
      },
    },
    async (req) => listTasks(req.userDb(), req.query),
  );

  app.post(
    '/tasks/:task_id/complete',
    {
      schema: {
        tags,
        summary: 'Completes an open task with its outcome, recorded in the account’s timeline',
        params: z.object({ task_id: z.string().trim().min(1).max(100) }),
        body: completeTaskInput,
      },
    },
    async (req) => ({ task: await completeTask(req.userDb(), req.params.task_id, req.body) }),
  );

  app.get(
    '/collection-strategies',
    {
      schema: {
        tags,
        summary:
          'Collection strategies with their steps and how many accounts follow each; the default first',
      },
    },
    async (req) => listStrategies(req.userDb()),
  );

  app.get(
    '/collection-strategies/:strategy_id',
    { schema: { tags, summary: 'One collection strategy with its steps', params: strategyParams } },
    async (req) => ({ strategy: await getStrategy(req.userDb(), req.params.strategy_id) }),
  );

  app.post(
    '/collection-strategies',
    {
      schema: {
        tags,
        summary: 'Creates a strategy for a segment, a country or both (administrators)',
        body: createStrategyInput,
      },
    },
    async (req, reply) => reply.code(201).send({ strategy: await createStrategy(req.userDb(), req.body) }),
  );

  app.put(
    '/collection-strategies/:strategy_id',
    {
      schema: {
        tags,
        summary:
          'Replaces a strategy’s name, segment, country and steps (in order; a step sent with its step_id keeps what was done for it)',
        params: strategyParams,
        body: updateStrategyInput,
      },
    },
    async (req) => ({ strategy: await updateStrategy(req.userDb(), req.params.strategy_id, req.body) }),
  );

  app.delete(
    '/collection-strategies/:strategy_id',
    {
      schema: {
        tags,
        summary: 'Deletes a strategy (never the default); its accounts follow the next most specific one',
        params: strategyParams,
      },
    },
    async (req, reply) => {
      await deleteStrategy(req.userDb(), req.params.strategy_id);
      return reply.code(204).send();
    },
  );
};
