import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  getEndCustomer,
  getProduct,
  listEndCustomers,
  listPriceChanges,
  listProducts,
} from '../../modules/catalog/index.ts';
import { loadRecord } from '../../modules/imports/index.ts';

const record = z.record(z.string(), z.unknown());
const tags = ['catalog'];

export const catalogRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/products',
    {
      schema: {
        tags,
        summary: 'The product catalogue',
        querystring: z.object({
          q: z.string().optional(),
          category: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(10_000).optional(),
        }),
      },
    },
    async (req) => ({ items: await listProducts(req.userDb(), req.query) }),
  );
  app.get(
    '/products/:sku',
    { schema: { tags, summary: 'A product with its price history', params: z.object({ sku: z.string() }) } },
    async (req) => getProduct(req.userDb(), req.params.sku),
  );
  app.post(
    '/products',
    { schema: { tags, summary: 'Create a product (products.csv columns)', body: record } },
    async (req, reply) =>
      reply.status(201).send({ product: await loadRecord(req.userDb(), 'products', 'create', req.body) }),
  );
  app.patch(
    '/products/:sku',
    { schema: { tags, summary: 'Change a product', params: z.object({ sku: z.string() }), body: record } },
    async (req) => ({
      product: await loadRecord(req.userDb(), 'products', 'update', req.body, [req.params.sku]),
    }),
  );

  app.get(
    '/price-changes',
    {
      schema: {
        tags,
        summary: 'Price changes by SKU and country',
        querystring: z.object({ sku: z.string().optional(), country: z.string().optional() }),
      },
    },
    async (req) => ({ items: await listPriceChanges(req.userDb(), req.query) }),
  );
  app.post(
    '/price-changes',
    { schema: { tags, summary: 'Record a price change (price_changes.csv columns)', body: record } },
    async (req, reply) =>
      reply
        .status(201)
        .send({ price_change: await loadRecord(req.userDb(), 'price_changes', 'create', req.body) }),
  );

  app.get(
    '/end-customers',
    {
      schema: {
        tags,
        summary: 'End customers (internal users)',
        querystring: z.object({
          q: z.string().optional(),
          country: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(10_000).optional(),
        }),
      },
    },
    async (req) => ({ items: await listEndCustomers(req.userDb(), req.query) }),
  );
  const ecParams = z.object({ end_customer_id: z.string() });
  app.get('/end-customers/:end_customer_id', { schema: { tags, params: ecParams } }, async (req) => ({
    end_customer: await getEndCustomer(req.userDb(), req.params.end_customer_id),
  }));
  app.post(
    '/end-customers',
    { schema: { tags, summary: 'Create an end customer (end_customers.csv columns)', body: record } },
    async (req, reply) =>
      reply
        .status(201)
        .send({ end_customer: await loadRecord(req.userDb(), 'end_customers', 'create', req.body) }),
  );
  app.patch(
    '/end-customers/:end_customer_id',
    { schema: { tags, summary: 'Change an end customer', params: ecParams, body: record } },
    async (req) => ({
      end_customer: await loadRecord(req.userDb(), 'end_customers', 'update', req.body, [
        req.params.end_customer_id,
      ]),
    }),
  );
};
