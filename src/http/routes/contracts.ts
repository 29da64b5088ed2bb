import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isBusinessDate } from '../../core/dates.ts';
import {
  activateVersion,
  approveVersion,
  createProgramVersion,
  getDeal,
  getProgram,
  listDeals,
  listPrograms,
  programTypes,
} from '../../modules/contracts/index.ts';

const tags = ['contracts'];
const program = z.object({ program_id: z.string() });
const programVersion = z.object({ program_id: z.string(), version: z.coerce.number().int().positive() });
const optionalText = z.string().trim().min(1).optional();

const programQuery = z.object({
  type: z.enum(programTypes).optional(),
  status: z.enum(['draft', 'approved', 'active', 'superseded', 'withdrawn']).optional(),
  partner: optionalText.describe('an account id: programs that enrol it by name or by its country'),
});

const dealQuery = z.object({
  program_id: optionalText,
  account_id: optionalText,
  sku: optionalText,
  active_on: z
    .string()
    .refine(isBusinessDate, 'must be a date written YYYY-MM-DD')
    .optional()
    .describe('deals valid on this date'),
});

const programBody = z
  .record(z.string(), z.unknown())
  .describe('one program as programs.json writes it (see FORMATS.md); amounts and rates as decimal strings');

export const contractsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/programs',
    {
      schema: { tags, summary: 'Programs you may see, with the version in force', querystring: programQuery },
    },
    async (req) => ({ items: await listPrograms(req.userDb(), req.query) }),
  );
  app.get(
    '/programs/:program_id',
    { schema: { tags, summary: 'A program as of its version in force (or its latest)', params: program } },
    async (req) => ({ program: await getProgram(req.userDb(), req.params.program_id) }),
  );
  app.get(
    '/programs/:program_id/versions/:version',
    { schema: { tags, summary: 'A program as of one of its versions', params: programVersion } },
    async (req) => ({ program: await getProgram(req.userDb(), req.params.program_id, req.params.version) }),
  );
  app.post(
    '/programs',
    {
      schema: {
        tags,
        summary: 'A program version as a draft (201 when a version was created, 200 otherwise)',
        body: programBody,
      },
    },
    async (req, reply) => {
      const result = await createProgramVersion(req.userDb(), req.body);
      const created = result.outcome === 'created' || result.outcome === 'version_created';
      return reply.status(created ? 201 : 200).send(result);
    },
  );
  app.post(
    '/programs/:program_id/versions/:version/approve',
    { schema: { tags, summary: 'Approve a draft version (not its own creator)', params: programVersion } },
    async (req) => ({
      version: await approveVersion(req.userDb(), req.params.program_id, req.params.version),
    }),
  );
  app.post(
    '/programs/:program_id/versions/:version/activate',
    {
      schema: {
        tags,
        summary: 'Bring an approved version into force; the version in force is superseded',
        params: programVersion,
      },
    },
    async (req) => ({
      version: await activateVersion(req.userDb(), req.params.program_id, req.params.version),
    }),
  );
  app.get(
    '/deals',
    { schema: { tags, summary: 'Special-bid deals you may see', querystring: dealQuery } },
    async (req) => ({ items: await listDeals(req.userDb(), req.query) }),
  );
  app.get(
    '/deals/:deal_id',
    {
      schema: {
        tags,
        summary: 'A deal with what claims have used of it',
        params: z.object({ deal_id: z.string() }),
      },
    },
    async (req) => ({ deal: await getDeal(req.userDb(), req.params.deal_id) }),
  );
};
