import type { z } from 'zod';
import { ApiError } from './api-error.js';

/** Parse `request.query` with a schema; a bad value is a 400 naming the parameter. */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  throw new ApiError(
    'QW_BAD_REQUEST',
    result.error.issues
      .map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`)
      .join('; '),
  );
}
