import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createAccount,
  createAccountInput,
  getAccount,
  listAccounts,
  updateAccount,
  updateAccountInput,
} from '../../modules/accounts/index.ts';

const params = z.object({ account_id: z.string() });

export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/accounts', { schema: { tags: ['accounts'], summary: 'Accounts you may see' } }, async (req) => ({
    items: await listAccounts(req.userDb()),
  }));
  app.get('/accounts/:account_id', { schema: { tags: ['accounts'], params } }, async (req) => ({
    account: await getAccount(req.userDb(), req.params.account_id),
  }));
  app.post(
    '/accounts',
    { schema: { tags: ['accounts'], summary: 'Create an account', body: createAccountInput } },
    async (req, reply) => reply.status(201).send({ account: await createAccount(req.userDb(), req.body) }),
  );
  app.patch(
    '/accounts/:account_id',
    { schema: { tags: ['accounts'], summary: 'Change an account', params, body: updateAccountInput } },
    async (req) => ({ account: await updateAccount(req.userDb(), req.params.account_id, req.body) }),
  );
};
