import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const contractsRoutes: FastifyPluginAsyncZod = async (_app) => {};
