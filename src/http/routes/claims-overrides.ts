import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  approveOverride,
  deleteOverrideApprovalRules,
  listOverrideApprovalRules,
  setOverrideApprovalRules,
} from '../../modules/claims/index.ts';
import { claimAccountQuery } from './claims.ts';

const tags = ['claims'];

/**
 * Approvers approve overrides: the approval of one overridden (or adjusted) finding, and the administered
 * list of rules whose overrides need it, per country of the claiming partner.
 */
export const claimsOverridesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/claims/:claim_id/lines/:line_no/findings/:rule_code/approve-override',
    {
      schema: {
        tags,
        summary:
          'Approve the override (or adjustment) of a finding; approver or manager, not the one who resolved it',
        description:
          'Until then a claim with an override of a rule that needs approval in the partner’s country cannot be ' +
          'approved (`GET /api/override-approval-rules`).',
        params: z.object({
          claim_id: z.string(),
          line_no: z.coerce.number().int().positive(),
          rule_code: z.string(),
        }),
        querystring: claimAccountQuery,
      },
    },
    async (req) => ({
      approval: await approveOverride(
        req.userDb(),
        { claim_id: req.params.claim_id, account_id: req.query.account_id },
        req.params.line_no,
        req.params.rule_code,
      ),
    }),
  );

  app.get(
    '/override-approval-rules',
    {
      schema: {
        tags,
        summary:
          'Rules whose overrides need an approver, per country (`*`: every country without its own list)',
      },
    },
    async (req) => ({ items: await listOverrideApprovalRules(req.userDb()) }),
  );

  app.put(
    '/override-approval-rules/:country',
    {
      schema: {
        tags,
        summary: 'Set the rules whose overrides need an approver in a country (or `*`); administrators',
        params: z.object({ country: z.string() }),
        body: z.object({ rule_codes: z.array(z.string()) }),
      },
    },
    async (req) => ({
      rules: await setOverrideApprovalRules(req.userDb(), req.params.country, req.body.rule_codes),
    }),
  );

  app.delete(
    '/override-approval-rules/:country',
    {
      schema: {
        tags,
        summary: 'Remove a country’s own list (it follows the default `*` again); administrators',
        params: z.object({ country: z.string() }),
      },
    },
    async (req, reply) => {
      await deleteOverrideApprovalRules(req.userDb(), req.params.country);
      return reply.status(204).send();
    },
  );
};
