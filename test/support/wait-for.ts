/**
 * Check `condition` until it holds, or fail after `timeoutMs` saying what was awaited and what was
 * last seen. For state that has no event to wait on (an HTTP status, a Redis count).
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T> | T,
  holds: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await check();
      if (holds(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const seen = lastError instanceof Error ? lastError.message : JSON.stringify(last);
      throw new Error(
        `timed out after ${String(timeoutMs)} ms waiting for ${what}; last seen: ${seen}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
