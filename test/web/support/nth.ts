/** The item at `index`, or a failure that says it is missing (no non-null assertions in tests). */
export function nth<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) {
    throw new Error(`expected an item at ${String(index)}, found ${String(items.length)} items`);
  }
  return item;
}
