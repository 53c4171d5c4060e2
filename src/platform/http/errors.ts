// One error type, one mapping: every failure a client can act on is an AppError with a stable
// code; anything else is a logged 500 that reveals nothing.
export const errorCodes = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The body is not valid JSON' },
  unauthenticated: { status: 401, title: 'Sign in or send a valid API key' },
  csrf_failed: { status: 403, title: 'Missing or wrong CSRF token' },
  forbidden: { status: 403, title: 'You are not allowed to do this' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'This conflicts with the current state' },
  idempotency_mismatch: { status: 422, title: 'Idempotency-Key reused with a different request' },
  payload_too_large: { status: 413, title: 'The body is too large' },
  unsupported_media_type: { status: 415, title: 'Send application/json' },
  account_locked: { status: 423, title: 'The account is locked after repeated failed sign-ins' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Something went wrong on our side' },
  /** A channel's provider refused a call made for the client (test connection, connect); `reason` says why. */
  provider_error: { status: 502, title: 'The provider refused the request or did not answer' },
  unavailable: { status: 503, title: 'Not ready' },
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message ?? errorCodes[code].title, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }
}

export const notFound = (what = 'Resource') => new AppError('not_found', `${what} not found`);
export const forbidden = (message?: string) => new AppError('forbidden', message);
export const conflict = (message: string, details?: Record<string, unknown>) => new AppError('conflict', message, { details });
export const invalid = (errors: FieldError[], message = 'The request is not valid') =>
  new AppError('validation_failed', message, { details: { errors } });

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance?: string;
  requestId?: string;
  [extra: string]: unknown;
}

export function toProblem(error: AppError, requestId: string, instance?: string): Problem {
  return {
    type: `https://renmai.dev/problems/${error.code}`,
    title: errorCodes[error.code].title,
    status: error.status,
    code: error.code,
    detail: error.message,
    instance,
    requestId,
    ...error.details,
  };
}
