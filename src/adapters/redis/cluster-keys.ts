/**
 * A key's hash tag as Redis Cluster reads it: the text between the first `{` and the first `}`
 * after it, when that text is not empty; `null` when the whole key is hashed.
 */
export function hashTagOf(key: string): string | null {
  const open = key.indexOf('{');
  if (open === -1) return null;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return null;
  return key.slice(open + 1, close);
}

/**
 * Where Queuewatch's own keys (alert log, history, checkpoints, audit…) start. On one Redis,
 * `queuewatch`. On a Cluster, `queuewatch:{<tag>}` with the queues' hash tag: every one of them
 * then shares the queues' slot, so a script or transaction that touches both (the history step
 * reads a queue's event stream and writes its points) stays on one node. Keys still start with
 * `queuewatch:`, so an ACL key pattern `~queuewatch:*` covers them either way.
 */
export function queuewatchKeyRoot(prefix: string, clustered: boolean): string {
  if (!clustered) return 'queuewatch';
  const tag = hashTagOf(prefix);
  if (tag === null) throw new Error(`the prefix ${JSON.stringify(prefix)} has no hash tag`);
  return `queuewatch:{${tag}}`;
}
