import type { z } from 'zod';
import { DestinationConfigError } from './destination-factory.js';

/**
 * Validate a destination's options, or throw a DestinationConfigError such as
 * `alerts.destinations "ops-webhook": secret must start with whsec_`. Messages never quote the
 * value, because a value may be a secret (a webhook URL, a signing secret, a header).
 */
export function parseOptions<Schema extends z.ZodType>(
  schema: Schema,
  destination: string,
  options: unknown,
): z.output<Schema> {
  const result = schema.safeParse(options, { error: predicate });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) =>
    issue.path.length === 0 ? issue.message : `${optionPath(issue.path)} ${issue.message}`,
  );
  throw new DestinationConfigError(destination, problems.join('; '));
}

/** Zod's default messages rewritten to follow the option's path: `timeoutMs must be at most 60000`. */
const predicate: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type')
    return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
  if (issue.code === 'too_small')
    return issue.origin === 'string'
      ? 'must not be empty'
      : `must be at least ${String(issue.minimum)}`;
  if (issue.code === 'too_big') return `must be at most ${String(issue.maximum)}`;
  if (issue.code === 'unrecognized_keys')
    return `${issue.keys.length === 1 ? 'unknown option' : 'unknown options'} ${issue.keys
      .map((key) => JSON.stringify(key))
      .join(', ')}`;
  // Anything else keeps its own message (custom checks are already phrased to follow the path).
  return undefined;
};

function article(expected: string): string {
  if (expected === 'int') return 'an integer';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function optionPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${String(part)}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
