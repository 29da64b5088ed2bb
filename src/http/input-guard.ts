import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.ts';

/**
 * A NUL character can never be stored in PostgreSQL text, and nothing a client sends needs one: any NUL in a
 * path parameter, a query parameter or a JSON body (value or key, at any depth) is refused with a 400 naming
 * where it was, before any route or query sees it.
 */
function findNul(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object' || depth > 64) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}.${i}`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    const field = `${path}.${k.replaceAll('\u0000', '\\0')}`;
    if (k.includes('\u0000')) return field;
    const found = findNul(v, field, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export function checkNoNul(req: Pick<FastifyRequest, 'params' | 'query' | 'body'>): void {
  const where = findNul(req.params, 'params') ?? findNul(req.query, 'query') ?? findNul(req.body, 'body');
  if (where) {
    const field = where.replace(/^(params|body)\./, '').replace(/^query\./, '') || '(body)';
    throw new AppError('validation_failed', `${field}: must not contain a NUL character`, {
      issues: [{ field, message: 'must not contain a NUL character' }],
    });
  }
}

export function installInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => checkNoNul(req));
}
