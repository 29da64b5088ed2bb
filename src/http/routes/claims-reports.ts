// Claims reports: the claim log with SLA states (and its XLSX export), urgency, the SLA alerts the daily job
// recorded, and the partner scorecard. Row security scopes every answer to the caller's organisation.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isBusinessDate } from '../../core/dates.ts';
import { gridFiltersParam, gridOrderParam, gridQueryParams } from '../../db/grid-query.ts';
import {
  claimLog,
  claimLogGridColumns,
  claimQueue,
  claimStatuses,
  exportClaimLogXlsx,
  listSlaAlerts,
  queueSorts,
  scorecard,
  setClaimUrgent,
  slaStates,
} from '../../modules/claims/index.ts';
import { claimAccountQuery } from './claims.ts';

const tags = ['claims'];
const optionalText = z.string().trim().min(1).optional();
const date = z.string().trim().refine(isBusinessDate, 'must be a date written YYYY-MM-DD');

const logFilters = z.object({
  status: z.enum(claimStatuses).optional(),
  account_id: optionalText,
  program_id: optionalText,
  sla_state: z.enum(slaStates).optional(),
  submitted_from: date.optional(),
  submitted_to: date.optional(),
  // The grid's sort and column filters, over the whole log (the export follows them too).
  ...gridQueryParams(
    Object.keys(claimLogGridColumns),
    Object.entries(claimLogGridColumns).flatMap(([k, v]) => (v.filter === null ? [] : [k])),
  ),
});

const logQuery = logFilters.extend({
  limit: z.coerce.number().int().min(1).max(5000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

const slaStateList = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const states = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = states.filter((s) => !(slaStates as readonly string[]).includes(s));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown SLA state ${bad.join(', ')}; use ${slaStates.join(', ')}`,
      });
      return z.NEVER;
    }
    return states as (typeof slaStates)[number][];
  });

const queueQuery = z.object({
  status: z.enum(claimStatuses).optional().describe('draft lists drafts; without it drafts are left out'),
  sla_state: slaStateList.optional().describe('one or more SLA states, comma-separated'),
  account_id: optionalText,
  program_id: optionalText,
  q: optionalText.describe('part of the claim id, the partner or the program'),
  urgent: z.enum(['true', 'false']).optional(),
  sort: z.enum(queueSorts).optional().describe('sla (default) or submitted (newest first)'),
  order: gridOrderParam
    .optional()
    .describe(
      'a grid column and direction, before the SLA order: claim_id, submitted_date, partner, program, status, currency, urgent, business_days_left, sla_state',
    ),
  filters: gridFiltersParam
    .optional()
    .describe(
      'JSON: column → text it contains (claim_id, submitted_date, partner, program, status, currency, urgent)',
    ),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

export const claimsReportsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/claim-queue',
    {
      schema: {
        tags,
        summary: 'The claim queue by SLA: breached first, then fewest business days left, urgent first',
        description:
          'Open claims in the order they are worked (claims whose clock stopped come last), each with its SLA ' +
          'state, business days left, due date and urgency; `counts` gives the claims per SLA state under the ' +
          'other filters. Ordered and paged in the database.',
        querystring: queueQuery,
      },
    },
    async (req) => {
      const { sla_state, urgent, ...q } = req.query;
      return claimQueue(req.userDb(), {
        ...q,
        sla_states: sla_state,
        urgent: urgent === undefined ? undefined : urgent === 'true',
      });
    },
  );

  app.get(
    '/claim-log',
    {
      schema: {
        tags,
        summary: 'Every claim with its dates, age in business days, SLA state and target, and amounts',
        description:
          'The SLA clock runs in business days of the partner’s country from the submitted date to the decision ' +
          '(to payment once settlement exists). States: on_track, due_soon, breached (open), met, missed (stopped).',
        querystring: logQuery,
      },
    },
    async (req) => claimLog(req.userDb(), req.query),
  );

  app.get(
    '/claim-log/export.xlsx',
    {
      schema: {
        tags,
        summary: 'The claim log with the same filters as an XLSX workbook',
        querystring: logFilters,
      },
    },
    async (req, reply) => {
      const { fileName, content } = await exportClaimLogXlsx(req.userDb(), req.query);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .send(content);
    },
  );

  app.post(
    '/claims/:claim_id/urgent',
    {
      schema: {
        tags,
        summary: 'Mark a claim urgent (half the SLA target, rounded up) or not; audited',
        params: z.object({ claim_id: z.string() }),
        querystring: claimAccountQuery,
        body: z.object({ urgent: z.boolean() }),
      },
    },
    async (req) =>
      setClaimUrgent(
        req.userDb(),
        { claim_id: req.params.claim_id, account_id: req.query.account_id },
        req.body.urgent,
      ),
  );

  app.get(
    '/claims/sla-alerts',
    {
      schema: {
        tags,
        summary: 'SLA warnings (due soon) and escalations (breached) the daily job recorded; desk only',
        querystring: z.object({
          kind: z.enum(['warning', 'escalation']).optional(),
          account_id: optionalText,
          limit: z.coerce.number().int().min(1).max(1000).optional(),
          offset: z.coerce.number().int().min(0).optional(),
        }),
      },
    },
    async (req) => listSlaAlerts(req.userDb(), req.query),
  );

  app.get(
    '/scorecard',
    {
      schema: {
        tags,
        summary: 'Partner scorecard: findings by rule code per month, error and first-pass rates, top errors',
        description:
          'One partner (with its child accounts) when account_id is given, otherwise every partner the caller ' +
          'may see; partner users see only their own organisation.',
        querystring: z.object({ account_id: optionalText, from: date.optional(), to: date.optional() }),
      },
    },
    async (req) => scorecard(req.userDb(), req.query),
  );
};
