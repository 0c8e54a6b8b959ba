/** Codes the HTTP API answers with in `{ error: { code, message } }`; listed in docs/errors.md. */
export type ApiErrorCode =
  | 'QW_BAD_REQUEST'
  | 'QW_UNAUTHORIZED'
  | 'QW_FORBIDDEN_ORIGIN'
  | 'QW_FORBIDDEN_HOST'
  | 'QW_FORBIDDEN_ROLE'
  | 'QW_READ_ONLY'
  | 'QW_NOT_FOUND'
  | 'QW_INVALID_STATE'
  | 'QW_PAYLOAD_TOO_LARGE'
  | 'QW_UNSUPPORTED_MEDIA_TYPE'
  | 'QW_RATE_LIMITED'
  | 'QW_INTERNAL'
  | 'QW_REDIS_TIMEOUT'
  | 'QW_REDIS_UNAVAILABLE'
  | 'QW_REDIS_REFUSED';

/** The HTTP status of each code: chosen here, in the HTTP adapter, and nowhere else. */
export const statusOf: Readonly<Record<ApiErrorCode, number>> = {
  QW_BAD_REQUEST: 400,
  QW_UNAUTHORIZED: 401,
  QW_FORBIDDEN_ORIGIN: 403,
  QW_FORBIDDEN_HOST: 403,
  QW_FORBIDDEN_ROLE: 403,
  QW_READ_ONLY: 403,
  QW_NOT_FOUND: 404,
  QW_INVALID_STATE: 409,
  QW_PAYLOAD_TOO_LARGE: 413,
  QW_UNSUPPORTED_MEDIA_TYPE: 415,
  QW_RATE_LIMITED: 429,
  QW_INTERNAL: 500,
  QW_REDIS_TIMEOUT: 503,
  QW_REDIS_UNAVAILABLE: 503,
  QW_REDIS_REFUSED: 503,
};

/** An error a route answers with; the status follows from the code. */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** The job's (or queue's) current state, for `QW_INVALID_STATE`. */
    readonly state?: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = statusOf[code];
  }
}

/** Type guard for ApiError. */
export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
