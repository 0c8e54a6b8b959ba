/**
 * Which Redis the demo writes its queues, dead letters and checkpoints into: the one `REDIS_URL`
 * names, and only when it is set; otherwise a private `redis-server` of its own. It never picks a
 * Redis because one happens to answer on the default port.
 */
export type DemoRedisChoice =
  { readonly kind: 'given'; readonly url: string } | { readonly kind: 'private' };

/** Read the choice from the environment; an empty `REDIS_URL` counts as unset, as everywhere. */
export function chooseDemoRedis(
  env: Readonly<Record<string, string | undefined>>,
): DemoRedisChoice {
  const url = env.REDIS_URL;
  return url === undefined || url === '' ? { kind: 'private' } : { kind: 'given', url };
}
