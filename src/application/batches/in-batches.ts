/**
 * `work` over every item, at most `size` at once (batch after batch), the results in the items'
 * order. For work per watched queue: with 10,000 queues, starting every call at once builds
 * 10,000 commands and replies in memory together, enough to take the heap to gigabytes.
 */
export async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(work))));
  }
  return results;
}
