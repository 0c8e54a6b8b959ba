/** The hash slot (0–16383) Redis Cluster gives a key, its hash tag honoured. */
declare module 'cluster-key-slot' {
  export default function calculateSlot(key: string | Buffer): number;
}
