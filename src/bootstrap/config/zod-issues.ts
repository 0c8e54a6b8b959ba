import type { z } from 'zod';

/** Zod's issues as one line each: `where: what is wrong`. */
export function describeIssues(error: z.ZodError, where: (path: PropertyKey[]) => string): string {
  return error.issues.map((issue) => `${where(issue.path)}: ${issue.message}`).join('; ');
}

/** A path like `queues[0].thresholds.staleJobs.degraded`; an odd key is quoted: `headers["a.b"]`. */
export function dottedPath(path: PropertyKey[]): string {
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${String(part)}]`;
      const key = String(part);
      if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `[${JSON.stringify(key)}]`;
      return `${index === 0 ? '' : '.'}${key}`;
    })
    .join('');
}
