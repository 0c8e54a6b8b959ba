import type { z } from 'zod';

/** Zod's issues as one line each: `where: what is wrong`. */
export function describeIssues(error: z.ZodError, where: (path: PropertyKey[]) => string): string {
  return error.issues.map((issue) => `${where(issue.path)}: ${issue.message}`).join('; ');
}

/** A path like `queues[0].thresholds.staleJobs.degraded`. */
export function dottedPath(path: PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${String(part)}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
