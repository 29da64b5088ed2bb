/**
 * The one application error type. Every failure a user can cause or see carries a code from this closed
 * set; `httpStatus` maps each code to its HTTP status in one place.
 */
export const errorCodes = {
  validation_failed: 400,
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `lines.2.qty`. */
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { issues?: FieldIssue[]; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.issues = opts.issues ?? [];
    this.details = opts.details;
  }

  get httpStatus(): number {
    return errorCodes[this.code];
  }

  toJSON(): {
    error: { code: ErrorCode; message: string; issues?: FieldIssue[]; details?: Record<string, unknown> };
  } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.issues.length > 0 ? { issues: this.issues } : {}),
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} was not found.`);

export const forbidden = (message = 'You do not have permission to do this.'): AppError =>
  new AppError('forbidden', message);

export const invalid = (field: string, message: string): AppError =>
  new AppError('validation_failed', `${field}: ${message}`, { issues: [{ field, message }] });
