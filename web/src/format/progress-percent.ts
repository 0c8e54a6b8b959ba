/**
 * A job's progress as a percentage when it can be read as one: a number, or an object with a
 * numeric `percent`, `progress` or `value`. `null` when the worker reports something else.
 */
export function progressPercent(progress: unknown): number | null {
  if (typeof progress === 'number' && Number.isFinite(progress)) return clamp(progress);
  if (typeof progress === 'object' && progress !== null) {
    for (const key of ['percent', 'progress', 'value']) {
      const value = (progress as Record<string, unknown>)[key];
      if (typeof value === 'number' && Number.isFinite(value)) return clamp(value);
    }
  }
  return null;
}

function clamp(value: number): number {
  return Math.min(100, Math.max(0, value));
}
