// Reviews: the Top 40 (JSON, top40.csv/.xlsx) and the collectors' comments on it, WWCH, the WD8 packet (XLSX or
// PDF, made on the fly; the packets made on the 8th working day), and the report packets managers schedule.
// For the company's own users only; each use case checks the roles.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DocumentStore } from '../../modules/platform/index.ts';
import {
  commentInput,
  createSchedule,
  deleteSchedule,
  listReviewPackets,
  listSchedules,
  packetQuery,
  runWd8,
  saveReviewComment,
  scheduleInput,
  scheduleUpdate,
  top40,
  top40Csv,
  top40FileName,
  top40Query,
  top40Xlsx,
  updateSchedule,
  wd8FileName,
  wd8Packet,
  wd8Pdf,
  wd8Xlsx,
  wwch,
  wwchQuery,
} from '../../modules/reviews/index.ts';
import { download, xlsxType } from '../download.ts';

const tags = ['reviews'];
const accountParams = z.object({ account_id: z.string().trim().min(1).max(200) });
const scheduleParams = z.object({ schedule_id: z.string().uuid() });

export const reviewsRoutes: FastifyPluginAsyncZod<{ store: DocumentStore }> = async (app, opts) => {
  app.get(
    '/reviews/top40',
    {
      schema: {
        tags,
        summary:
          'The Top 40 past-due accounts as of a date (default the last month end), in the reporting currency, with each account’s buckets, collector, oldest item, last action, open promise and the comment for the review',
        querystring: top40Query,
      },
    },
    async (req) => top40(req.userDb(), req.query),
  );

  app.get(
    '/reviews/top40/export',
    {
      schema: {
        tags,
        summary: 'top40.csv (FORMATS.md) as of a date, or the review’s XLSX with format=xlsx',
        querystring: top40Query.extend({ format: z.enum(['csv', 'xlsx']).optional() }),
      },
    },
    async (req, reply) => {
      const t = await top40(req.userDb(), req.query);
      return req.query.format === 'xlsx'
        ? download(reply, xlsxType, top40FileName(t.as_of, 'xlsx'), await top40Xlsx(t))
        : download(reply, 'text/csv; charset=utf-8', top40FileName(t.as_of, 'csv'), top40Csv(t.accounts));
    },
  );

  app.put(
    '/reviews/top40/:account_id/comment',
    {
      schema: {
        tags,
        summary: 'Write (or rewrite) the comment on an account for the review of an as-of date; audited',
        params: accountParams,
        body: commentInput,
      },
    },
    async (req) => saveReviewComment(req.userDb(), req.params.account_id, req.body),
  );

  app.get(
    '/reviews/wwch',
    {
      schema: {
        tags,
        summary:
          'WWCH, the worldwide credit-hold review: every account with orders on hold (all countries, or one), with its hold amount, exposure, limit and recommendation',
        querystring: wwchQuery,
      },
    },
    async (req) => wwch(req.userDb(), req.query),
  );

  app.get(
    '/reviews/wd8',
    {
      schema: {
        tags,
        summary:
          'The WD8 packet of a month (one country or all) as XLSX (a sheet per part) or PDF, made now from the books',
        querystring: packetQuery.extend({ format: z.enum(['xlsx', 'pdf']).default('pdf') }),
      },
    },
    async (req, reply) => {
      const p = await wd8Packet(req.userDb(), req.query);
      return req.query.format === 'xlsx'
        ? download(reply, xlsxType, wd8FileName(p, 'xlsx'), await wd8Xlsx(p))
        : download(reply, 'application/pdf', wd8FileName(p, 'pdf'), await wd8Pdf(p));
    },
  );

  app.get(
    '/reviews/wd8/packets',
    {
      schema: {
        tags,
        summary: 'The WD8 packets made (per country and month) with their documents and e-mail',
      },
    },
    async (req) => ({ packets: await listReviewPackets(req.userDb()) }),
  );

  app.post(
    '/reviews/wd8/packets',
    {
      schema: {
        tags,
        summary:
          'Make a country’s WD8 packet of a month now and e-mail it to the managers (201); once per country and month (200 with the packet made before)',
        body: packetQuery.required({ country: true }),
      },
    },
    async (req, reply) => {
      const { created, packet } = await runWd8(req.userDb(), opts.store, {
        month: req.body.month,
        country: req.body.country,
      });
      return reply.status(created ? 201 : 200).send(packet);
    },
  );

  app.get(
    '/reviews/schedules',
    { schema: { tags, summary: 'The report packets scheduled, with when each was last sent' } },
    async (req) => ({ schedules: await listSchedules(req.userDb()) }),
  );

  app.post(
    '/reviews/schedules',
    {
      schema: {
        tags,
        summary:
          'Schedule a report (aging, top40, measures, claim_log, deductions, credit_pend) to be e-mailed',
        body: scheduleInput,
      },
    },
    async (req, reply) => reply.status(201).send(await createSchedule(req.userDb(), req.body)),
  );

  app.patch(
    '/reviews/schedules/:schedule_id',
    {
      schema: {
        tags,
        summary: 'Change a report schedule (or pause it)',
        params: scheduleParams,
        body: scheduleUpdate,
      },
    },
    async (req) => updateSchedule(req.userDb(), req.params.schedule_id, req.body),
  );

  app.delete(
    '/reviews/schedules/:schedule_id',
    { schema: { tags, summary: 'Delete a report schedule', params: scheduleParams } },
    async (req, reply) => {
      await deleteSchedule(req.userDb(), req.params.schedule_id);
      return reply.status(204).send();
    },
  );
};
