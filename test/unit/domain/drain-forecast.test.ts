import { expect } from 'chai';
import { forecastDrain, predictedWait } from '../../../src/domain/forecast/drain-forecast.js';

describe('forecastDrain', () => {
  const flow = { backlog: 600, arrivalRate: 5, serviceRate: 15, workers: 3 };

  it('should drain a backlog at service minus arrival', () => {
    expect(forecastDrain(flow)).to.deep.equal({ kind: 'draining', seconds: 60, perMinute: 600 });
  });

  it('should say it grows, and by how much, when arrivals outpace service', () => {
    expect(forecastDrain({ ...flow, arrivalRate: 20 })).to.deep.equal({
      kind: 'growing',
      perMinute: 300,
    });
    expect(forecastDrain({ ...flow, arrivalRate: 15 })).to.deep.equal({
      kind: 'growing',
      perMinute: 0,
    });
  });

  it('should say there are no workers rather than divide by zero', () => {
    expect(forecastDrain({ ...flow, workers: 0, serviceRate: 0 })).to.deep.equal({
      kind: 'no-workers',
    });
    expect(predictedWait({ ...flow, workers: 0 })).to.equal(null);
  });

  it('should be empty with nothing waiting, and unknown before any service was seen', () => {
    expect(forecastDrain({ ...flow, backlog: 0 })).to.deep.equal({ kind: 'empty' });
    expect(forecastDrain({ ...flow, serviceRate: null })).to.deep.equal({ kind: 'unknown' });
  });
});

describe('predictedWait', () => {
  it('should serve the jobs ahead at the service rate', () => {
    expect(predictedWait({ backlog: 600, arrivalRate: 5, serviceRate: 15, workers: 3 })).to.equal(
      40,
    );
    expect(predictedWait({ backlog: 0, arrivalRate: 5, serviceRate: 15, workers: 3 })).to.equal(0);
  });
});
