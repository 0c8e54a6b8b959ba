import { z } from 'zod';

/**
 * Any JSON value, always present. `z.unknown()` alone also accepts a missing field, so the
 * document would call the field optional; the check makes it required, as it is on the wire.
 * (The check returns a plain boolean: as a type guard it would narrow `unknown` to `{} | null`.)
 */
export function jsonValue(description: string) {
  return z
    .unknown()
    .refine((value): boolean => value !== undefined, 'required')
    .meta({ description });
}
