import { TimeDecayedEwma } from '../../../gateway/src/routing/ewma';
import { SlidingWindowCounter } from '../../../gateway/src/routing/window';
import { fakeClock } from './fake-clock';

describe('time-decayed EWMA', () => {
  it('is undefined before the first sample and equal to it after', () => {
    const time = fakeClock();
    const ewma = new TimeDecayedEwma(1_000, time.clock);
    expect(ewma.value()).toBeUndefined();
    ewma.observe(40);
    expect(ewma.value()).toBe(40);
  });

  it('gives a new sample half the weight after one half-life', () => {
    const time = fakeClock();
    const ewma = new TimeDecayedEwma(1_000, time.clock);
    ewma.observe(100);
    time.advance(1_000);
    ewma.observe(200);
    expect(ewma.value()).toBeCloseTo(150, 6);
  });

  it('barely moves for a sample that arrives at the same instant, and follows the new level over time', () => {
    const time = fakeClock();
    const ewma = new TimeDecayedEwma(1_000, time.clock);
    ewma.observe(100);
    ewma.observe(10_000);
    expect(ewma.value()).toBe(100);
    for (let step = 0; step < 100; step++) {
      time.advance(100);
      ewma.observe(300);
    }
    expect(ewma.value()).toBeCloseTo(300, 0);
  });
});

describe('sliding window counter', () => {
  it('counts successes and failures and their ratio', () => {
    const time = fakeClock();
    const window = new SlidingWindowCounter(60_000, time.clock);
    expect(window.totals()).toEqual({ successes: 0, failures: 0, total: 0, failureRate: 0 });
    window.record(true);
    window.record(false);
    window.record(false);
    window.record(true);
    expect(window.totals()).toMatchObject({ successes: 2, failures: 2, total: 4, failureRate: 0.5 });
  });

  it('drops events older than the window, one bucket at a time', () => {
    const time = fakeClock(0);
    const window = new SlidingWindowCounter(60_000, time.clock, 60);
    window.record(false);
    time.advance(30_000);
    window.record(true);
    time.advance(30_500);
    expect(window.totals()).toMatchObject({ failures: 0, successes: 1 });
    time.advance(30_000);
    expect(window.totals().total).toBe(0);
  });

  it('reuses a bucket slot after a full lap without mixing old counts in', () => {
    const time = fakeClock(0);
    const window = new SlidingWindowCounter(10_000, time.clock, 10);
    window.record(false);
    time.advance(10_000);
    window.record(true);
    expect(window.totals()).toMatchObject({ failures: 0, successes: 1 });
  });
});
