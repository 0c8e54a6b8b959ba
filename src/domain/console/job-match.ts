/** What a search looks for in a job: text in its name, text in its data, or a value at a path. */
export interface JobQuery {
  /** A piece of the job's name, any case. */
  readonly name?: string | undefined;
  /** A piece of the job's data as stored (JSON text, or whatever text it is), case as given. */
  readonly data?: string | undefined;
  /** A value at a dotted path of the job's JSON data (`customer.id`, `items.0.sku`). */
  readonly path?: { readonly path: string; readonly value: string } | undefined;
}

/** A job as a search sees it. */
export interface SearchedJob {
  readonly name: string | null;
  readonly data: string | null;
}

/**
 * Whether a job matches every part of the query. Matching is plain text, never a pattern: `*`,
 * `?`, `[`, `%` or `.` in the query stand for themselves.
 */
export function matchesQuery(job: SearchedJob, query: JobQuery): boolean {
  if (query.name !== undefined) {
    if (!job.name?.toLowerCase().includes(query.name.toLowerCase())) {
      return false;
    }
  }
  if (query.data !== undefined) {
    if (!job.data?.includes(query.data)) return false;
  }
  if (query.path !== undefined) {
    if (job.data === null || !matchesPath(job.data, query.path.path, query.path.value)) {
      return false;
    }
  }
  return true;
}

/**
 * Whether the JSON `data` holds `value` at `path`: a string equal to it, or a number, boolean or
 * `null` whose JSON text is it (`value=42` finds `42` and `"42"`), or an object or array whose
 * JSON text is exactly it. Data that is not JSON has no paths.
 */
export function matchesPath(data: string, path: string, value: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return false;
  }
  const found = valueAt(parsed, splitPath(path));
  if (found === undefined) return false;
  if (typeof found === 'string') return found === value;
  return JSON.stringify(found) === value;
}

/** `a.b.0.c` → `['a', 'b', '0', 'c']`; a leading `$.` is allowed, as in JSONPath. */
export function splitPath(path: string): string[] {
  const bare = path.startsWith('$.') ? path.slice(2) : path;
  return bare.split('.');
}

function valueAt(value: unknown, steps: readonly string[]): unknown {
  let here: unknown = value;
  for (const step of steps) {
    if (Array.isArray(here)) {
      if (!/^(0|[1-9][0-9]*)$/.test(step)) return undefined;
      here = (here as unknown[])[Number(step)];
    } else if (here !== null && typeof here === 'object') {
      if (!Object.prototype.hasOwnProperty.call(here, step)) return undefined;
      here = (here as Record<string, unknown>)[step];
    } else {
      return undefined;
    }
  }
  return here;
}
