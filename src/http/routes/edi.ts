// X12 EDI: the interchange desk (what came in and went out, each set's outcome and errors, the 997s; an
// interchange's X12 to download; reprocess after a fix) and the trading partners. Partner users see their own
// organisation's interchanges and trading-partner record only (row security: another's is 404); changing a
// trading partner and reprocessing are the desk's (403 for partners).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import {
  getInterchange,
  listInterchanges,
  listTradingPartners,
  reprocess,
  saveTradingPartner,
  tradingPartnerOf,
} from '../../modules/edi/index.ts';

const tags = ['edi'];
const interchangeParams = z.object({ interchange_id: z.string().trim().uuid() });
const accountParams = z.object({ account_id: z.string().trim().min(1).max(100) });
const setCode = z.string().regex(/^\d{3}$/);

export const ediRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/edi/interchanges',
    {
      schema: {
        tags,
        summary: 'Interchanges received and sent, newest first, with their sets and 997 status',
        querystring: z.object({
          direction: z.enum(['in', 'out']).optional(),
          status: z
            .enum(['loaded', 'partial', 'refused', 'duplicate', 'ready', 'written', 'accepted', 'rejected'])
            .optional(),
          account_id: z.string().trim().min(1).max(100).optional(),
          set_code: setCode.optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
          offset: z.coerce.number().int().min(0).optional(),
        }),
      },
    },
    async (req) => listInterchanges(req.userDb(), req.query),
  );

  app.get(
    '/edi/interchanges/:interchange_id',
    {
      schema: {
        tags,
        summary:
          'One interchange: its sets with their outcome and errors (segment, element, reason), and its X12',
        params: interchangeParams,
      },
    },
    async (req) => getInterchange(req.userDb(), req.params.interchange_id),
  );

  app.get(
    '/edi/interchanges/:interchange_id/file',
    { schema: { tags, summary: 'The interchange’s X12 as received or sent', params: interchangeParams } },
    async (req, reply) => {
      const i = await getInterchange(req.userDb(), req.params.interchange_id);
      return reply
        .header('content-type', 'application/edi-x12; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${`${i.direction === 'in' ? i.sender_id : i.receiver_id}_${i.control_number}_${i.set_codes.join('-')}.x12`.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
        )
        .header('cache-control', 'no-store')
        .send(i.content);
    },
  );

  app.post(
    '/edi/interchanges/:interchange_id/reprocess',
    {
      schema: {
        tags,
        summary:
          'Load the refused sets of an inbound interchange again (after a fix); answered with a new 997',
        params: interchangeParams,
      },
    },
    async (req) => {
      const r = await reprocess(req.userDb(), req.params.interchange_id);
      return { message: r.message, status: r.status };
    },
  );

  app.get(
    '/edi/trading-partners',
    {
      schema: {
        tags,
        summary: 'Trading partners: ISA/GS identifiers, sets received and sent, test or production',
      },
    },
    async (req) => ({ items: await listTradingPartners(req.userDb()) }),
  );

  app.put(
    '/edi/trading-partners/:account_id',
    {
      schema: {
        tags,
        summary: 'Create or change an account’s trading-partner set-up',
        params: accountParams,
        body: z.object({
          isa_qualifier: z.string().trim().min(2).max(2).optional(),
          isa_id: z.string().trim().min(1).max(15),
          gs_id: z.string().trim().min(1).max(15).optional(),
          sets_received: z.array(setCode).max(10).optional(),
          sets_sent: z.array(setCode).max(10).optional(),
          usage: z.enum(['test', 'production']).optional(),
        }),
      },
    },
    async (req) => saveTradingPartner(req.userDb(), { account_id: req.params.account_id, ...req.body }),
  );

  app.get(
    '/accounts/:account_id/edi',
    {
      schema: {
        tags,
        summary: 'The account’s EDI status: its trading-partner set-up and last interchanges (404 when none)',
        params: accountParams,
      },
    },
    async (req) => {
      const tp = await tradingPartnerOf(req.userDb(), req.params.account_id);
      if (!tp) throw new AppError('not_found', `Account ${req.params.account_id} exchanges no EDI.`);
      return tp;
    },
  );
};
