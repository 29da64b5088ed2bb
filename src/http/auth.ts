import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.ts';
import type { PoolDb } from '../db/db.ts';
import { type Authenticated, authenticateSession, authenticateToken } from '../modules/identity/index.ts';

export const sessionCookie = 'ch_session';
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | undefined;
    /** The database acting as the signed-in user; refuses anonymous requests. */
    userDb(): PoolDb;
  }
}

/**
 * Who is calling: a cookie session (browser; unsafe methods must echo the session's CSRF token in
 * `x-csrf-token`) or an API token (`Authorization: Bearer ch_…`, for integrations; no CSRF needed).
 */
export function installAuth(app: FastifyInstance, systemDb: PoolDb): void {
  app.decorateRequest('auth', undefined);
  app.decorateRequest('userDb', function (this: FastifyRequest) {
    if (!this.auth) throw new AppError('unauthenticated', 'Sign in or send an API token.');
    return systemDb.as(this.auth.actor);
  });
  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    if (!req.url.startsWith('/api/')) return;
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      req.auth = await authenticateToken(systemDb, header.slice(7).trim());
      if (!req.auth) throw new AppError('unauthenticated', 'The API token is unknown, revoked or expired.');
      return;
    }
    const token = req.cookies[sessionCookie];
    if (!token) return;
    req.auth = await authenticateSession(systemDb, token);
    if (
      req.auth &&
      unsafeMethods.has(req.method) &&
      req.url !== '/api/auth/sign-in' &&
      req.headers['x-csrf-token'] !== req.auth.csrfToken
    ) {
      throw new AppError('csrf_failed', 'The request is missing its CSRF token (x-csrf-token header).');
    }
  });
}
