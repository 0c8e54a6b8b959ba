import { expect } from 'chai';
import { Cluster } from 'ioredis';
import { useRedisCluster } from '../support/redis-cluster.js';
import { waitFor } from '../support/wait-for.js';

describe('Redis Cluster harness (three masters, three replicas: real redis-server processes)', () => {
  const cluster = useRedisCluster();
  let opened: Cluster | undefined;

  afterEach(() => {
    opened?.disconnect();
    opened = undefined;
  });

  it('should spread keys over the three masters and keep a replicated key readable after its master is killed', async function () {
    this.timeout(60_000);
    const harness = cluster();
    const seed = harness.nodes[0]!;
    const client = new Cluster([{ host: '127.0.0.1', port: seed.port }]);
    opened = client;
    client.on('error', () => undefined);
    expect(harness.seeds.split(',')).to.deep.equal(
      harness.nodes.map((node) => `127.0.0.1:${node.port}`),
    );

    // 100 keys, each in its own hash slot.
    const keys = new Map<number, string>();
    for (let n = 0; keys.size < 100; n += 1) {
      const key = `harness-key-${n}`;
      const slot = (await client.call('CLUSTER', 'KEYSLOT', key)) as number;
      if (!keys.has(slot)) keys.set(slot, key);
    }
    for (const key of keys.values()) await client.set(key, `value of ${key}`);

    const byMaster = new Map<number, string[]>();
    for (const key of keys.values()) {
      const port = await harness.masterOf(key);
      byMaster.set(port, [...(byMaster.get(port) ?? []), key]);
    }
    expect([...byMaster.keys()], 'the masters holding the keys').to.have.lengthOf(3);
    expect(harness.nodes.map((node) => node.port)).to.include.members([...byMaster.keys()]);
    // Every write reached a replica before a master is killed (WAIT on the connections that wrote).
    for (const master of client.nodes('master')) {
      expect(await master.call('WAIT', '1', '5000'), 'replicas that acknowledged').to.equal(1);
    }

    const victim = keys.values().next().value!;
    const victimPort = await harness.masterOf(victim);
    const { promotedPort, failoverMs } = await harness.killMaster(victimPort);
    expect(failoverMs, 'failoverMs').to.be.a('number').greaterThan(0);
    expect(promotedPort, 'the promoted replica').to.not.equal(victimPort);
    expect(harness.nodes.find((node) => node.port === victimPort)?.running).to.equal(false);
    expect(await harness.masterOf(victim)).to.equal(promotedPort);

    for (const key of byMaster.get(victimPort)!) {
      await waitFor(
        `${key} through the Cluster client after the failover`,
        () => client.get(key),
        (value) => value === `value of ${key}`,
        20_000,
      );
    }
    this.test!.title += ` (launch ${Math.round(harness.launchMs)} ms, failover ${Math.round(failoverMs)} ms)`;
  });
});
