import { z } from 'zod';
import type { ListOrder, ListableState } from '../../application/contract/console.js';
import type { ListPosition } from '../../application/ports/job-browser.port.js';

/** What a cursor continues: a job list or a search scan. */
export type CursorKind = 'list' | 'search';

/** The states a list or search may read. */
export const listableStates = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'waiting-children',
  'paused',
  'completed',
  'failed',
] as const satisfies readonly ListableState[];

/** A sorted-set score as Redis writes it (`1700000000000`, `6.9632e+15`, `-inf`). */
const score = z
  .string()
  .max(40)
  .regex(/^([-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|[-+]?inf)$/);

/** The cursor's JSON: short keys, so the text stays short in a URL. */
const cursorSchema = z.strictObject({
  v: z.literal(1),
  k: z.enum(['list', 'search']),
  s: z.enum(listableStates),
  o: z.enum(['newest', 'oldest']),
  i: z.number().int().min(0).max(1_000_000_000),
  a: z.string().min(1).max(256).nullable(),
  c: score.nullable(),
});

/** The most characters of a cursor: longer is not one Queuewatch made. */
export const maxCursorChars = 1_024;

/** A position as an opaque cursor (base64url of a small JSON). */
export function encodeCursor(
  kind: CursorKind,
  state: ListableState,
  order: ListOrder,
  position: ListPosition,
): string {
  const json = {
    v: 1,
    k: kind,
    s: state,
    o: order,
    i: position.index,
    a: position.after?.id ?? null,
    c: position.after?.score ?? null,
  } satisfies z.input<typeof cursorSchema>;
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
}

/** A cursor read back, or why it cannot be used here. */
export type DecodedCursor =
  | { readonly ok: true; readonly position: ListPosition }
  | { readonly ok: false; readonly message: string };

/**
 * The position a cursor names, checked: it must be one Queuewatch made (valid base64url JSON of
 * the right shape) and for the same kind of read, state and order as the request.
 */
export function decodeCursor(
  text: string,
  kind: CursorKind,
  state: ListableState,
  order: ListOrder,
): DecodedCursor {
  const invalid = { ok: false, message: 'cursor: not a cursor Queuewatch gave' } as const;
  if (text.length > maxCursorChars || !/^[A-Za-z0-9_-]+$/.test(text)) return invalid;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return invalid;
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) return invalid;
  const cursor = parsed.data;
  if (cursor.k !== kind) {
    return {
      ok: false,
      message: `cursor: it continues a ${cursor.k === 'list' ? 'job list' : 'search'}, not a ${kind === 'list' ? 'job list' : 'search'}`,
    };
  }
  if (cursor.s !== state || cursor.o !== order) {
    return {
      ok: false,
      message: `cursor: it continues state=${cursor.s}&order=${cursor.o}, not state=${state}&order=${order}`,
    };
  }
  if (cursor.a === null && cursor.c !== null) return invalid;
  return {
    ok: true,
    position: {
      index: cursor.i,
      after: cursor.a === null ? null : { id: cursor.a, score: cursor.c },
    },
  };
}
