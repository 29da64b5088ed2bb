import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DocumentStore } from '../../modules/platform/index.ts';

export const importsRoutes: FastifyPluginAsyncZod<{ store: DocumentStore }> = async (_app) => {};
