import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const channelRoutes: FastifyPluginAsyncZod = async (_app) => {};
