// The desk's home pages: which homes the signed-in user's roles give, and each home's "my work" and figures.
// The company's own desk: partners get 403.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { deskHome, homeKinds, listHomes } from '../../modules/desk/index.ts';

const tags = ['desk'];

export const deskRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/home',
    {
      schema: {
        tags,
        summary: 'The home pages the signed-in user’s roles give, the first one the desk opens with',
      },
    },
    async (req) => listHomes(req.userDb()),
  );

  app.get(
    '/home/:home',
    {
      schema: {
        tags,
        summary:
          'One home page: what waits for the user by SLA (breached, due soon, on track) and the figures that matter to the role',
        params: z.object({ home: z.enum(homeKinds) }),
      },
    },
    async (req) => deskHome(req.userDb(), req.params.home),
  );
};
