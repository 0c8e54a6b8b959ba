import { expect } from 'chai';
import { z } from 'zod';
import { describes } from '../../../src/adapters/http/schemas/describes.js';

/** A wire type shaped like the contract's: read-only, nullable, optional, nested. */
interface Body {
  readonly name: string;
  readonly count: number | null;
  readonly note?: string;
  readonly items: readonly { readonly id: string; readonly tag?: 'a' | 'b' }[];
}

const item = z.object({ id: z.string(), tag: z.enum(['a', 'b']).optional() });
const fields = { name: z.string(), count: z.number().nullable(), items: z.array(item) };

// Most checks here are the compiler's: each `@ts-expect-error` fails `npm run typecheck` the day
// `describes` lets that mismatch through.
describe('describes', () => {
  it('should take a schema of exactly the type, and hand it back unchanged', () => {
    const schema = z.object({ ...fields, note: z.string().optional() });
    expect(describes<Body>()(schema)).to.equal(schema);
  });

  it('should refuse, at compile time, a schema that differs from the type', () => {
    const note = z.string().optional();
    const leftOut = z.object(fields);
    const more = z.object({ ...fields, note, more: z.number() });
    const required = z.object({ ...fields, note: z.string() });
    const absentForNull = z.object({ ...fields, note, count: z.number().optional() });
    const wider = z.object({ ...fields, note, count: z.number().or(z.string()).nullable() });
    const narrowerInside = z.object({
      ...fields,
      note,
      items: z.array(z.object({ id: z.string(), tag: z.enum(['a']).optional() })),
    });
    const mismatches = [
      // @ts-expect-error: an optional field of the type is left out.
      describes<Body>()(leftOut),
      // @ts-expect-error: a field the type does not have.
      describes<Body>()(more),
      // @ts-expect-error: an optional field of the type is required.
      describes<Body>()(required),
      // @ts-expect-error: `null` is not absent.
      describes<Body>()(absentForNull),
      // @ts-expect-error: wider than the type.
      describes<Body>()(wider),
      // @ts-expect-error: a nested enum narrower than the type's.
      describes<Body>()(narrowerInside),
    ];
    expect(mismatches).to.have.length(6);
  });
});
