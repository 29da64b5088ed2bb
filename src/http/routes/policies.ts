// Policies (RULES.md "Policies"): effective-dated settings per country or customer. The company's own users
// read them; administrators and managers set them; every change re-validates the claims.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  deletePolicy,
  getPolicy,
  listPolicies,
  policyInput,
  savePolicy,
} from '../../modules/claims/index.ts';

const tags = ['policies'];
const keyParams = z.object({
  scope: z.enum(['country', 'account']),
  scope_id: z.string().trim().min(1).max(100),
  effective_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2026-01-01'),
});

export const policiesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/policies',
    {
      schema: {
        tags,
        summary:
          'Policies per country and customer, newest first within each, with how many claims each touches',
        querystring: z.object({
          scope: z.enum(['country', 'account']).optional(),
          scope_id: z.string().trim().min(1).max(100).optional(),
        }),
      },
    },
    async (req) => ({ items: await listPolicies(req.userDb(), req.query) }),
  );

  app.get(
    '/policies/:scope/:scope_id/:effective_date',
    {
      schema: {
        tags,
        summary: 'One policy with the claims it touches (their latest validation applied it)',
        params: keyParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() }),
      },
    },
    async (req) => getPolicy(req.userDb(), req.params, { limit: req.query.limit }),
  );

  app.put(
    '/policies/:scope/:scope_id/:effective_date',
    {
      schema: {
        tags,
        summary: 'Create or replace a policy (administrators, managers); the claims are validated again',
        description:
          'Fields left out or null leave the field to the country policy (for an account) or the program. ' +
          'disabled_rules, override_approval_rules: rule codes; payment_methods: credit_memo, ach, check, wire.',
        params: keyParams,
        body: policyInput,
      },
    },
    async (req) => savePolicy(req.userDb(), req.params, req.body),
  );

  app.delete(
    '/policies/:scope/:scope_id/:effective_date',
    {
      schema: {
        tags,
        summary: 'Delete a policy (administrators, managers); the claims are validated again',
        params: keyParams,
      },
    },
    async (req, reply) => {
      await deletePolicy(req.userDb(), req.params);
      return reply.status(204).send();
    },
  );
};
