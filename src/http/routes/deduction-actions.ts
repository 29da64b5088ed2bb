// The teams' actions on deductions (deny, accept, write off, reassign, assign, comment) and the administration
// of routing rules, customer reason codes and queues. For the company's own users only; each use case checks
// the roles (the deduction's queue's team, managers, administrators).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  acceptDeduction,
  acceptInput,
  assignDeduction,
  assignInput,
  commentInput,
  commentOnDeduction,
  createRoutingRule,
  deductionIdParams,
  deleteReasonCode,
  deleteRoutingRule,
  denyDeduction,
  denyInput,
  listDeductionQueues,
  listReasonCodes,
  listRoutingRules,
  queueInput,
  queueParams,
  reasonCodeInput,
  reasonCodeParams,
  reasonCodesQuery,
  reassignDeduction,
  reassignInput,
  routingRuleInput,
  ruleIdParams,
  saveDeductionQueue,
  saveReasonCode,
  updateRoutingRule,
  writeOffDeduction,
  writeOffInput,
} from '../../modules/deductions/index.ts';
import type { DocumentStore } from '../../modules/platform/index.ts';

const tags = ['deductions'];

export const deductionActionsRoutes: FastifyPluginAsyncZod<{ store: DocumentStore }> = async (app, opts) => {
  app.post(
    '/deductions/:deduction_id/deny',
    {
      schema: {
        tags,
        summary:
          'Deny an open deduction: letter (PDF) kept with it and e-mailed, payback due (409 if not open)',
        description:
          'The denied amount is what is open on it (a partially valid deduction: its valid part cleared first, ' +
          'else 409). payback_due_date defaults to today plus the account’s payment terms.',
        params: deductionIdParams,
        body: denyInput,
      },
    },
    async (req) => denyDeduction(req.userDb(), opts.store, req.params.deduction_id, req.body),
  );

  app.post(
    '/deductions/:deduction_id/accept',
    {
      schema: {
        tags,
        summary: 'Accept a deduction: an absorption of its open amount, credited once approved (201)',
        params: deductionIdParams,
        body: acceptInput,
      },
    },
    async (req, reply) =>
      reply.status(201).send(await acceptDeduction(req.userDb(), req.params.deduction_id, req.body)),
  );

  app.post(
    '/deductions/:deduction_id/write-off',
    {
      schema: {
        tags,
        summary: 'Write a deduction off: a write-off of its open amount, written off once approved (201)',
        params: deductionIdParams,
        body: writeOffInput,
      },
    },
    async (req, reply) =>
      reply.status(201).send(await writeOffDeduction(req.userDb(), req.params.deduction_id, req.body)),
  );

  app.post(
    '/deductions/:deduction_id/reassign',
    {
      schema: {
        tags,
        summary: 'Move an open deduction to another team’s queue; its SLA clock starts again today',
        params: deductionIdParams,
        body: reassignInput,
      },
    },
    async (req) => reassignDeduction(req.userDb(), req.params.deduction_id, req.body),
  );

  app.post(
    '/deductions/:deduction_id/assign',
    {
      schema: {
        tags,
        summary: 'Assign a deduction to a desk user by e-mail (null: unassigned)',
        params: deductionIdParams,
        body: assignInput,
      },
    },
    async (req) => assignDeduction(req.userDb(), req.params.deduction_id, req.body),
  );

  app.post(
    '/deductions/:deduction_id/comments',
    {
      schema: {
        tags,
        summary: 'Comment on a deduction (its timeline) (201)',
        params: deductionIdParams,
        body: commentInput,
      },
    },
    async (req, reply) =>
      reply.status(201).send(await commentOnDeduction(req.userDb(), req.params.deduction_id, req.body)),
  );

  app.get(
    '/deduction-routing-rules',
    { schema: { tags, summary: 'Routing rules: account, category, reason code → queue' } },
    async (req) => ({ items: await listRoutingRules(req.userDb()) }),
  );

  app.post(
    '/deduction-routing-rules',
    {
      schema: {
        tags,
        summary: 'Add a routing rule (201; 409 for a second rule with the same criteria)',
        body: routingRuleInput,
      },
    },
    async (req, reply) => reply.status(201).send(await createRoutingRule(req.userDb(), req.body)),
  );

  app.put(
    '/deduction-routing-rules/:rule_id',
    {
      schema: { tags, summary: 'Change a routing rule', params: ruleIdParams, body: routingRuleInput },
    },
    async (req) => updateRoutingRule(req.userDb(), req.params.rule_id, req.body),
  );

  app.delete(
    '/deduction-routing-rules/:rule_id',
    { schema: { tags, summary: 'Remove a routing rule (204)', params: ruleIdParams } },
    async (req, reply) => {
      await deleteRoutingRule(req.userDb(), req.params.rule_id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/deduction-reason-codes',
    {
      schema: {
        tags,
        summary: 'Customers’ reason codes and the category each maps to',
        querystring: reasonCodesQuery,
      },
    },
    async (req) => ({ items: await listReasonCodes(req.userDb(), req.query) }),
  );

  app.put(
    '/deduction-reason-codes/:account_id/:customer_code',
    {
      schema: {
        tags,
        summary: 'Map a customer’s reason code to a category',
        params: reasonCodeParams,
        body: reasonCodeInput,
      },
    },
    async (req) => saveReasonCode(req.userDb(), req.params.account_id, req.params.customer_code, req.body),
  );

  app.delete(
    '/deduction-reason-codes/:account_id/:customer_code',
    {
      schema: {
        tags,
        summary: 'Remove a reason-code mapping (the code is then unknown) (204)',
        params: reasonCodeParams,
      },
    },
    async (req, reply) => {
      await deleteReasonCode(req.userDb(), req.params.account_id, req.params.customer_code);
      return reply.status(204).send();
    },
  );

  app.get(
    '/deduction-queues',
    { schema: { tags, summary: 'The deduction queues: SLA in business days, mailbox, role' } },
    async (req) => ({ items: await listDeductionQueues(req.userDb()) }),
  );

  app.put(
    '/deduction-queues/:queue',
    {
      schema: {
        tags,
        summary: 'Set a queue’s SLA in business days and its shared mailbox',
        params: queueParams,
        body: queueInput,
      },
    },
    async (req) => saveDeductionQueue(req.userDb(), req.params.queue, req.body),
  );
};
