// Channel data: sell-in, sell-out, inventory reports, positions and the account monitoring log.
// Loading happens through the import engine; these routes read. Row-level security scopes every answer to
// the caller's organisation; per-account routes answer 404 for an account the caller may not see.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { gridQueryParams } from '../../db/grid-query.ts';
import {
  allInventoryDifferences,
  channelDataQuery,
  differencesQuery,
  exportPositionsXlsx,
  exportQuery,
  getPositionSeries,
  inventoryGridColumns,
  inventoryQuery,
  listInventoryDifferences,
  listInventoryReports,
  listPositionsJson,
  listSellIn,
  listSellOut,
  positionGridColumns,
  positionsPageQuery,
  sellInGridColumns,
  sellOutGridColumns,
  seriesQuery,
} from '../../modules/channel/index.ts';

const tags = ['channel'];
/** A list's query with its own grid columns named (`order`, `filters`). */
const withGrid = <S extends z.ZodObject>(schema: S, columns: Record<string, object>) =>
  schema.extend(
    gridQueryParams(
      Object.keys(columns),
      Object.entries(columns).flatMap(([k, v]) =>
        'filter' in v && (v.filter === null || v.filter === false) ? [] : [k],
      ),
    ),
  );
const pair = z.object({ account_id: z.string().min(1), sku: z.string().min(1) });

export const channelRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/positions',
    {
      schema: {
        tags,
        summary:
          'Inventory positions per account and SKU as of a date (default today), with the last snapshot',
        description:
          'By account and SKU, a page at a time (`limit`, 100 by default, and `offset`); `total` counts every ' +
          'position. The export has them all.',
        querystring: withGrid(positionsPageQuery, positionGridColumns),
      },
    },
    async (req, reply) =>
      reply.type('application/json; charset=utf-8').send(await listPositionsJson(req.userDb(), req.query)),
  );

  app.get(
    '/positions/export.xlsx',
    {
      schema: {
        tags,
        summary: 'Positions and the monitoring log as an XLSX workbook (sheets positions and differences)',
        querystring: exportQuery,
      },
    },
    async (req, reply) => {
      const { fileName, content } = await exportPositionsXlsx(req.userDb(), req.query);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .send(content);
    },
  );

  app.get(
    '/positions/:account_id/:sku',
    {
      schema: {
        tags,
        summary:
          'One account and SKU over time: movements, computed position, snapshots, and its log entries',
        params: pair,
        querystring: seriesQuery,
      },
    },
    async (req) => {
      const db = req.userDb();
      const { account_id, sku } = req.params;
      return db.tx(async (tx) => ({
        account_id,
        sku,
        series: await getPositionSeries(tx, account_id, sku, req.query),
        differences: await allInventoryDifferences(tx, { account_id, sku }),
      }));
    },
  );

  app.get(
    '/inventory-differences',
    {
      schema: {
        tags,
        summary: 'The account monitoring log: differences between snapshots and computed positions',
        querystring: differencesQuery,
      },
    },
    async (req) => listInventoryDifferences(req.userDb(), req.query),
  );

  app.get(
    '/sell-in',
    {
      schema: {
        tags,
        summary: 'Sell-in lines (invoice lines to partners), newest first',
        querystring: withGrid(channelDataQuery, sellInGridColumns),
      },
    },
    async (req) => listSellIn(req.userDb(), req.query),
  );

  app.get(
    '/sell-out',
    {
      schema: {
        tags,
        summary: 'Sell-out lines reported by partners, newest first',
        querystring: withGrid(channelDataQuery, sellOutGridColumns),
      },
    },
    async (req) => listSellOut(req.userDb(), req.query),
  );

  app.get(
    '/inventory',
    {
      schema: {
        tags,
        summary: 'Partner inventory reports (snapshots and opening balances), newest first',
        querystring: withGrid(inventoryQuery, inventoryGridColumns),
      },
    },
    async (req) => listInventoryReports(req.userDb(), req.query),
  );
};
