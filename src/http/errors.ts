import type { FastifyError, FastifyInstance } from 'fastify';
import pg from 'pg';
import { ZodError } from 'zod';
import { AppError, type FieldIssue } from '../core/errors.ts';

function zodIssues(err: ZodError): FieldIssue[] {
  return err.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
}

/**
 * PostgreSQL's data exceptions that a value from the request causes when a query casts it (a non-UUID id, a
 * number out of range, a NUL byte, an impossible date): bad input, a 400, whichever route let it through.
 * Other data exceptions (division by zero, …) are our own faults and stay 500s.
 */
const inputDataErrors: Record<string, string> = {
  '22P02': 'A value in the request is not of the right type',
  '22003': 'A number in the request is out of range',
  '22021': 'The request holds a character that cannot be stored (a NUL byte?)',
  '22P05': 'The request holds a character that cannot be stored (a NUL byte?)',
  '22001': 'A value in the request is too long',
  '22007': 'A date or time in the request is not valid',
  '22008': 'A date or time in the request is out of range',
  '2201B': 'A pattern in the request is not a valid regular expression',
  '22025': 'A pattern in the request ends with an escape character',
  '54000': 'A value in the request is too long',
};

/** Turns anything thrown into the one error body; no stack trace or internal message reaches a client. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof pg.DatabaseError && err.code && inputDataErrors[err.code]) {
    return new AppError('bad_request', `${inputDataErrors[err.code]}: ${err.message}.`);
  }
  if (err instanceof ZodError) {
    const issues = zodIssues(err);
    return new AppError('validation_failed', issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
      issues,
    });
  }
  const fe = err as FastifyError & { validation?: { instancePath?: string; message?: string }[] };
  if (fe?.validation) {
    const cause = (fe as { cause?: unknown }).cause;
    if (cause instanceof ZodError) return toAppError(cause);
    const issues = fe.validation.map((v) => ({
      field: (v.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.') || '(body)',
      message: v.message ?? 'invalid',
    }));
    return new AppError('validation_failed', issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
      issues,
    });
  }
  switch (fe?.statusCode) {
    case 400:
      return new AppError('bad_request', fe.message);
    case 404:
      return new AppError('not_found', fe.message);
    case 413:
      return new AppError('payload_too_large', 'The upload is larger than the allowed size.');
    case 415:
      return new AppError('unsupported_media_type', fe.message);
    case 429:
      return new AppError('rate_limited', fe.message);
  }
  // Any other refusal Fastify or a plugin makes (406 not multipart, 414, 431, …) is the client's, not ours.
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError('bad_request', fe.message);
  }
  return new AppError('internal', 'Something went wrong on our side. It has been logged.');
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    const appErr = toAppError(err);
    if (appErr.code === 'internal') req.log.error({ err }, 'request failed');
    else req.log.info({ code: appErr.code, msg: appErr.message }, 'request refused');
    void reply.status(appErr.httpStatus).send(appErr.toJSON());
  });
  app.setNotFoundHandler((req, reply) => {
    void reply
      .status(404)
      .send(new AppError('not_found', `No route ${req.method} ${req.url.split('?')[0]}.`).toJSON());
  });
}
