import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import type { PoolDb } from '../../db/db.ts';
import {
  changeOwnPassword,
  changePasswordInput,
  createApiToken,
  createUser,
  createUserInput,
  deleteGridView,
  getPreferences,
  getUser,
  gridViewInput,
  listApiTokens,
  listGridViews,
  listUsers,
  preferencesInput,
  resetPassword,
  revokeApiToken,
  saveGridView,
  setPreferences,
  signIn,
  signOut,
  updateUser,
  updateUserInput,
} from '../../modules/identity/index.ts';
import { sessionCookie } from '../auth.ts';

export interface IdentityRoutesOptions {
  systemDb: PoolDb;
  sessionHours: number;
  secureCookies: boolean;
}

export const identityRoutes: FastifyPluginAsyncZod<IdentityRoutesOptions> = async (app, opts) => {
  app.post(
    '/auth/sign-in',
    {
      schema: {
        tags: ['identity'],
        summary: 'Sign in with e-mail and password; sets the session cookie',
        body: z.object({ email: z.string().min(1), password: z.string().min(1) }),
      },
    },
    async (req, reply) => {
      const result = await signIn(opts.systemDb, {
        email: req.body.email,
        password: req.body.password,
        ip: req.ip,
        userAgent: req.headers['user-agent'],
        sessionHours: opts.sessionHours,
      });
      void reply.setCookie(sessionCookie, result.sessionToken, {
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secureCookies,
        path: '/',
        expires: result.expiresAt,
      });
      return { user: result.user, csrf_token: result.csrfToken };
    },
  );

  app.post(
    '/auth/sign-out',
    { schema: { tags: ['identity'], summary: 'End the session' } },
    async (req, reply) => {
      const token = req.cookies[sessionCookie];
      if (token) await signOut(opts.systemDb, token);
      void reply.clearCookie(sessionCookie, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get('/auth/session', { schema: { tags: ['identity'], summary: 'The signed-in user' } }, async (req) => {
    if (!req.auth) throw new AppError('unauthenticated', 'Not signed in.');
    return { user: req.auth.user, csrf_token: req.auth.csrfToken ?? null };
  });

  app.post(
    '/auth/password',
    { schema: { tags: ['identity'], summary: 'Change your own password', body: changePasswordInput } },
    async (req, reply) => {
      await changeOwnPassword(req.userDb(), req.body, { sessionToken: req.cookies[sessionCookie] });
      return reply.status(204).send();
    },
  );

  app.get(
    '/users',
    { schema: { tags: ['identity'], summary: 'All users (administrators)' } },
    async (req) => ({
      items: await listUsers(req.userDb()),
    }),
  );

  app.post(
    '/users',
    {
      schema: {
        tags: ['identity'],
        summary: 'Add a user; returns its initial password once',
        body: createUserInput,
      },
    },
    async (req, reply) => {
      const result = await createUser(req.userDb(), req.body);
      return reply.status(201).send(result);
    },
  );

  const userParams = z.object({ user_id: z.uuid() });

  app.get('/users/:user_id', { schema: { tags: ['identity'], params: userParams } }, async (req) => {
    const db = req.userDb();
    if (req.params.user_id !== db.actor.userId && !db.actor.roles.includes('administrator')) {
      throw new AppError('not_found', 'The user was not found.');
    }
    return { user: await getUser(db, req.params.user_id) };
  });

  app.patch(
    '/users/:user_id',
    { schema: { tags: ['identity'], summary: 'Change a user', params: userParams, body: updateUserInput } },
    async (req) => ({ user: await updateUser(req.userDb(), req.params.user_id, req.body) }),
  );

  app.post(
    '/users/:user_id/reset-password',
    { schema: { tags: ['identity'], summary: 'Set a new generated password', params: userParams } },
    async (req) => ({ password: await resetPassword(req.userDb(), req.params.user_id) }),
  );

  app.get('/tokens', { schema: { tags: ['identity'], summary: 'Your API tokens' } }, async (req) => ({
    items: await listApiTokens(req.userDb()),
  }));

  app.post(
    '/tokens',
    {
      schema: {
        tags: ['identity'],
        summary: 'Create an API token; the secret is shown once',
        body: z.object({
          name: z.string().trim().min(1).max(100),
          expires_in_days: z.number().int().min(1).max(3650).optional(),
        }),
      },
    },
    async (req, reply) => {
      const created = await createApiToken(req.userDb(), {
        name: req.body.name,
        expiresInDays: req.body.expires_in_days,
      });
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/tokens/:token_id',
    {
      schema: {
        tags: ['identity'],
        summary: 'Revoke an API token',
        params: z.object({ token_id: z.uuid() }),
      },
    },
    async (req, reply) => {
      await revokeApiToken(req.userDb(), req.params.token_id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/preferences',
    {
      schema: { tags: ['identity'], summary: 'Your preferences: the locale dates and numbers are shown in' },
    },
    async (req) => ({ preferences: await getPreferences(req.userDb()) }),
  );

  app.put(
    '/preferences',
    {
      schema: {
        tags: ['identity'],
        summary: 'Set your preferences',
        description: 'locale: a language tag (en-GB, de-DE, fr-FR, …), or null to follow the browser.',
        body: preferencesInput,
      },
    },
    async (req) => ({ preferences: await setPreferences(req.userDb(), req.body) }),
  );

  const gridParams = z.object({ grid_id: z.string().min(1).max(80) });

  app.get(
    '/grid-views/:grid_id',
    {
      schema: {
        tags: ['identity'],
        summary: 'Your saved views of a grid (columns shown, order, widths, sort, filters)',
        params: gridParams,
      },
    },
    async (req) => ({ items: await listGridViews(req.userDb(), req.params.grid_id) }),
  );

  app.put(
    '/grid-views/:grid_id',
    {
      schema: {
        tags: ['identity'],
        summary: 'Save a view of a grid under a name (replaces your view of that name)',
        params: gridParams,
        body: gridViewInput,
      },
    },
    async (req) => ({ view: await saveGridView(req.userDb(), req.params.grid_id, req.body) }),
  );

  app.delete(
    '/grid-views/:grid_id/:name',
    {
      schema: {
        tags: ['identity'],
        summary: 'Delete one of your saved views',
        params: gridParams.extend({ name: z.string().min(1).max(80) }),
      },
    },
    async (req, reply) => {
      await deleteGridView(req.userDb(), req.params.grid_id, req.params.name);
      return reply.status(204).send();
    },
  );
};
