// Deduction validation (MATCHING.md): route and validate on demand, clear one deduction against the claims an
// analyst chose, and deduction_results.csv. The company's own users only; the use cases check the roles.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  clearDeductionAgainstClaims,
  deductionResultsCsv,
  reopenDeduction,
  validateDeductions,
} from '../../modules/deductions/index.ts';
import { requireInternal } from '../../modules/identity/index.ts';

const tags = ['deductions'];
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2026-12-06');

export const deductionValidationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/deductions/validate',
    {
      schema: {
        tags,
        summary: 'Route every open deduction and validate every one not yet decided (as the job does)',
        description:
          'Valid rebate and special-bid deductions settle their claims (paid by deduction); unmatched ones are ' +
          'tried again on every run. as_of is the booking date of the settlements (default today).',
        body: z.object({ as_of: date.optional() }).optional(),
      },
    },
    async (req) => validateDeductions(req.userDb(), { asOf: req.body?.as_of }),
  );

  app.post(
    '/deductions/:deduction_id/clear',
    {
      schema: {
        tags,
        summary:
          'Clear an open deduction against the claims chosen (validated as if the deduction named them)',
        description:
          'The outcome is valid, partially_valid (EXCEEDS_APPROVED) or invalid with the finding of MATCHING.md; ' +
          '409 when the deduction is no longer open.',
        params: z.object({ deduction_id: z.string().trim().min(1).max(200) }),
        body: z.object({
          claim_ids: z.array(z.string().trim().min(1).max(200)).min(1).max(20),
          as_of: date.optional(),
        }),
      },
    },
    async (req) =>
      clearDeductionAgainstClaims(req.userDb(), req.params.deduction_id, req.body.claim_ids, req.body.as_of),
  );

  app.post(
    '/deductions/:deduction_id/reopen',
    {
      schema: {
        tags,
        summary:
          'Reverse what a deduction settled: its claims are no longer paid by it; it is open for a person again',
        description:
          'The credit memos that closed the deduction item are reversed by debit memos; claims paid by this ' +
          'deduction alone go back to their decision. 409 when a settlement run has paid one of them since.',
        params: z.object({ deduction_id: z.string().trim().min(1).max(200) }),
        body: z.object({ reason: z.string().trim().min(1, 'say why').max(2000), as_of: date.optional() }),
      },
    },
    async (req) => reopenDeduction(req.userDb(), req.params.deduction_id, req.body),
  );

  app.get(
    '/deduction-results.csv',
    { schema: { tags, summary: 'deduction_results.csv (FORMATS.md): one row per deduction' } },
    async (req, reply) => {
      requireInternal(req.userDb().actor);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="deduction_results.csv"')
        .send(await deductionResultsCsv(req.userDb()));
    },
  );
};
