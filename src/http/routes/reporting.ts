// Reporting: the measures of a month (in the reporting currency, optionally per country, collector or partner),
// their trend for the dashboards, and kpis.csv. The desk's managers and analysts only; partners get 403.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  kpisCsv,
  measureClaims,
  measureClaimsQuery,
  measuresQuery,
  measureTrend,
  monthMeasures,
  trendQuery,
} from '../../modules/reporting/index.ts';

const tags = ['reporting'];

export const reportingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/kpis',
    {
      schema: {
        tags,
        summary:
          'The measures of a month (DSO, best possible DSO, average days delinquent, CEI, % past due, DDO, claim cycle time, SLA attainment, first-pass rate) in the reporting currency',
        description:
          'Measures are decimal strings rounded to one decimal, null when their denominator is 0 or an amount lacks an exchange rate (`missing_rates` names the currency and date). `by` adds a row per country, collector or partner; `inputs` are the amounts behind each row.',
        querystring: measuresQuery,
      },
    },
    async (req) => monthMeasures(req.userDb(), req.query),
  );

  app.get(
    '/kpis/trend',
    {
      schema: {
        tags,
        summary: 'The company’s measures month by month (12 by default) up to a month, for charts',
        querystring: trendQuery,
      },
    },
    async (req) => measureTrend(req.userDb(), req.query),
  );

  app.get(
    '/kpis/claims',
    {
      schema: {
        tags,
        summary:
          'The claims behind a month’s claim measures: paid in the month (business days, SLA target, met) or submitted and validated (first pass)',
        querystring: measureClaimsQuery,
      },
    },
    async (req) => measureClaims(req.userDb(), req.query),
  );

  app.get(
    '/kpis.csv',
    {
      schema: {
        tags,
        summary: 'kpis.csv of a month: metric, month, value (409 naming the currency when a rate is missing)',
        querystring: z.object({ month: measuresQuery.shape.month }),
      },
    },
    async (req, reply) => {
      const { csv, measures } = await kpisCsv(req.userDb(), req.query.month);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="kpis-${measures.month}.csv"`)
        .send(csv);
    },
  );
};
