import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const claimsRoutes: FastifyPluginAsyncZod = async (_app) => {};
