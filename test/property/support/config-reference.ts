// What the config properties check loadConfig against: a naive `${ENV}` substitution written
// apart from the loader's, and a reader of the paths its messages name.

/** The environment as loadConfig reads it. */
export type Env = Record<string, string>;

/** `${NAME}` replaced, in one pass, by the variable NAME set in the environment itself. */
function substitute(text: string, env: Env): string | { missing: string } {
  let out = '';
  let at = 0;
  for (;;) {
    const start = text.indexOf('${', at);
    if (start === -1) return out + text.slice(at);
    const end = text.indexOf('}', start + 2);
    const name = end === -1 ? '' : text.slice(start + 2, end);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      out += text.slice(at, start + 2);
      at = start + 2;
      continue;
    }
    if (!Object.hasOwn(env, name)) return { missing: name };
    out += text.slice(at, start) + env[name]!;
    at = end + 1;
  }
}

/** The reference found a `${NAME}` that is not set. */
export class Missing extends Error {
  constructor(readonly variable: string) {
    super(`\${${variable}} is not set`);
  }
}

/** The reference interpolation of a parsed file: the same shape, each string substituted. */
export function interpolated(value: unknown, env: Env): unknown {
  if (typeof value === 'string') {
    const result = substitute(value, env);
    if (typeof result !== 'string') throw new Missing(result.missing);
    return result;
  }
  if (Array.isArray(value)) return value.map((item) => interpolated(item, env));
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const item = interpolated((value as Record<string, unknown>)[key], env);
      Object.defineProperty(copy, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  return value;
}

/** The segments of a path as the loader writes it: `a.b[0]["odd key"]`. */
export function segmentsOf(path: string): (string | number)[] | null {
  const segments: (string | number)[] = [];
  let rest = path;
  while (rest !== '') {
    const index = /^\[(\d+)\]/.exec(rest);
    const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
    const name = /^\.?([^.[\]"\s]+)/.exec(rest);
    const match = index ?? quoted ?? name;
    if (!match) return null;
    segments.push(
      index ? Number(index[1]) : quoted ? (JSON.parse(quoted[1]!) as string) : match[1]!,
    );
    rest = rest.slice(match[0].length);
  }
  return segments;
}

/** What a path leads to in a JSON value; `undefined` when nothing is there. */
export function resolve(value: unknown, segments: readonly (string | number)[]): unknown {
  let here = value;
  for (const segment of segments) {
    if (typeof here !== 'object' || here === null || !Object.hasOwn(here, segment))
      return undefined;
    here = (here as Record<string | number, unknown>)[segment];
  }
  return here;
}
