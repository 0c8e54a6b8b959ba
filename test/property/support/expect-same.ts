import { isDeepStrictEqual } from 'node:util';
import { expect } from 'chai';

/**
 * `expect(actual).to.deep.equal(expected)`, with Node's quick comparison first: a property checks
 * thousands of states per run, and chai is only needed to explain the one that differs.
 */
export function expectSame(actual: unknown, expected: unknown, what?: string): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual, what).to.deep.equal(expected);
}
