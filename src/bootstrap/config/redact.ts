/** Option names whose values are secrets, or may hold one. */
const secretName = /url|secret|token|password|passwd|key|auth|header|credential|webhook/i;

/**
 * A destination's options fit for the API and the log: every value under a secret-looking name
 * is replaced (a URL keeps its scheme and host, which say where alerts go, not how to post there).
 */
export function redactOptions(options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(options).map(([name, value]) => {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        return [
          name,
          secretName.test(name) ? '[redacted]' : redactOptions(value as Record<string, unknown>),
        ];
      }
      if (!secretName.test(name)) return [name, value];
      if (typeof value === 'string' && /url/i.test(name)) return [name, originOf(value)];
      return [name, '[redacted]'];
    }),
  );
}

function originOf(url: string): string {
  try {
    return `${new URL(url).origin}/[redacted]`;
  } catch {
    return '[redacted]';
  }
}
