import { expect } from 'chai';
import {
  erlangC,
  meanWait,
  serversFor,
  waitExceeds,
} from '../../../src/domain/forecast/erlang-c.js';

describe('erlangC', () => {
  // Published Erlang C tables (probability of waiting), traffic in erlangs × agents.
  const published: [load: number, servers: number, waits: number][] = [
    [1, 2, 0.3333],
    [2, 3, 0.4444],
    [5, 6, 0.5875],
    [5, 7, 0.3241],
    [10, 11, 0.6821],
    [10, 12, 0.4494],
    [10, 13, 0.2853],
    [10, 14, 0.1741],
    [20, 22, 0.5679],
    [20, 25, 0.2091],
  ];
  for (const [load, servers, waits] of published) {
    it(`should give ${String(waits)} for ${String(load)} erlangs and ${String(servers)} servers`, () => {
      expect(erlangC(load, servers)).to.be.closeTo(waits, 0.00005);
    });
  }

  it('should stay finite and in [0, 1] for hundreds of servers', () => {
    const waits = erlangC(450, 480);
    expect(waits).to.be.within(0, 1);
    expect(Number.isFinite(waits)).to.equal(true);
  });

  it('should say every job waits when the load reaches the servers, and none without load', () => {
    expect(erlangC(3, 3)).to.equal(1);
    expect(erlangC(4, 3)).to.equal(1);
    expect(erlangC(0, 3)).to.equal(0);
    expect(erlangC(1, 0)).to.equal(1);
  });
});

describe('meanWait', () => {
  it('should follow C(A, c) / (cμ − λ)', () => {
    // 2 erlangs on 3 servers: λ = 2/s, 1 s per job → C = 4/9, wait = (4/9) / (3 − 2) s.
    expect(meanWait({ arrivalRate: 2, serviceTime: 1, servers: 3 })).to.be.closeTo(4 / 9, 1e-9);
  });

  it('should be infinite when the servers cannot keep up, and 0 without arrivals', () => {
    expect(meanWait({ arrivalRate: 5, serviceTime: 1, servers: 3 })).to.equal(
      Number.POSITIVE_INFINITY,
    );
    expect(meanWait({ arrivalRate: 0, serviceTime: 1, servers: 3 })).to.equal(0);
  });
});

describe('serversFor', () => {
  it('should pick the fewest servers that keep the quantile under the target', () => {
    const queue = { arrivalRate: 10, serviceTime: 1 };
    const target = { seconds: 0.5, quantile: 0.95 };
    const servers = serversFor(queue, target);
    expect(servers).to.be.a('number');
    expect(waitExceeds({ ...queue, servers: servers! }, 0.5)).to.be.at.most(0.05);
    expect(waitExceeds({ ...queue, servers: servers! - 1 }, 0.5)).to.be.above(0.05);
  });

  it('should need one server without arrivals, and say none suffices past the maximum', () => {
    expect(serversFor({ arrivalRate: 0, serviceTime: 1 }, { seconds: 1, quantile: 0.95 })).to.equal(
      1,
    );
    expect(
      serversFor({ arrivalRate: 1_000, serviceTime: 1 }, { seconds: 1, quantile: 0.95 }, 500),
    ).to.equal(null);
  });
});
