/** A Queuewatch's count of connected sockets of one delivery protocol, read from its /metrics. */
export async function socketClientsOf(
  baseUrl: string,
  protocol: 'batched' | 'per-event',
): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const series = `queuewatch_socket_clients{protocol="${protocol}"} `;
  const line = text.split('\n').find((candidate) => candidate.startsWith(series));
  if (line === undefined) throw new Error(`no ${series}in the metrics of ${baseUrl}`);
  return Number(line.slice(series.length));
}
