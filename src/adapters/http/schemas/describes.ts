import type { z } from 'zod';

// `undefined` is no JSON value: on the wire, a field that may be `undefined` is one that may be
// absent. Both helpers drop it, so `a?: T | undefined` (zod's `.optional()`) reads as `a?: T`.

/** `T` with every property and array made read-only, all the way down. */
type DeepReadonly<T> = T extends object
  ? { readonly [K in keyof T]: DeepReadonly<Exclude<T[K], undefined>> }
  : T;

/** `T` with every property required (and read-only), all the way down. */
type DeepRequired<T> = T extends object
  ? { readonly [K in keyof T]-?: DeepRequired<Exclude<T[K], undefined>> }
  : T;

/** `true` when each of A and B is assignable to the other. */
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * `true` when A and B have the same shape, read-only-ness aside. Mutual assignability alone
 * would let a schema leave out an optional field of the type; compared once more with every
 * field required, it cannot.
 */
type Same<A, B> =
  Mutual<DeepReadonly<A>, DeepReadonly<B>> extends true
    ? Mutual<DeepRequired<A>, DeepRequired<B>>
    : false;

/**
 * Ties a schema to the wire type it describes: `describes<HealthReportBody>()(schema)` compiles
 * only when what the schema accepts is exactly a `HealthReportBody` (no field more or less, none
 * of another type, optional where the type is optional). The types in `src/application/contract`
 * stay plain TypeScript (the dashboard and the use cases import them); this is what keeps the
 * schemas, and so the OpenAPI document built from them, from drifting away.
 */
export function describes<T>() {
  return <S extends z.ZodType>(
    // When the shapes differ, the schema is asked for a property it cannot have, so the error
    // says so and shows both shapes.
    schema: S & (Same<T, z.output<S>> extends true ? unknown : SchemaDiffersFromType<T, S>),
  ): S => schema;
}

/** What the compiler reports when a schema and its wire type differ. */
interface SchemaDiffersFromType<T, S extends z.ZodType> {
  readonly schemaDiffersFromType: { readonly type: T; readonly schema: z.output<S> };
}
