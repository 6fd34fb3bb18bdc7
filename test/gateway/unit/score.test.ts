import { fleetReference, pickBest, score } from '../../../gateway/src/routing/score';
import { sequence } from './fake-clock';

const weights = { latency: 0.4, cost: 0.3, reliability: 0.3 };

describe('score', () => {
  it('gives the best candidate on every axis a total equal to the sum of the weights', () => {
    const breakdown = score({ costPer1kRequests: 0.2 }, { latencyMs: 10, errorRate: 0 }, weights, {
      bestLatencyMs: 10,
      lowestCostPer1k: 0.2,
    });
    expect(breakdown).toEqual({ latency: 1, cost: 1, reliability: 1, total: 1 });
  });

  it('scores latency and cost as ratios to the best candidate and reliability as 1 - error rate', () => {
    const breakdown = score({ costPer1kRequests: 0.4 }, { latencyMs: 40, errorRate: 0.1 }, weights, {
      bestLatencyMs: 10,
      lowestCostPer1k: 0.2,
    });
    expect(breakdown.latency).toBeCloseTo(0.25);
    expect(breakdown.cost).toBeCloseTo(0.5);
    expect(breakdown.reliability).toBeCloseTo(0.9);
    expect(breakdown.total).toBeCloseTo(0.4 * 0.25 + 0.3 * 0.5 + 0.3 * 0.9);
  });

  it('weights latency 40 %, cost 30 %, reliability 30 %: a fast expensive provider beats a slow cheap one', () => {
    const reference = { bestLatencyMs: 10, lowestCostPer1k: 0.1 };
    const fastExpensive = score(
      { costPer1kRequests: 0.2 },
      { latencyMs: 10, errorRate: 0 },
      weights,
      reference,
    );
    const slowCheap = score({ costPer1kRequests: 0.1 }, { latencyMs: 40, errorRate: 0 }, weights, reference);
    expect(fastExpensive.total).toBeGreaterThan(slowCheap.total);
  });

  it('treats an unmeasured provider as fast so it gets traffic and a measurement', () => {
    const breakdown = score({ costPer1kRequests: 1 }, { latencyMs: undefined, errorRate: 0 }, weights, {
      bestLatencyMs: 5,
      lowestCostPer1k: 1,
    });
    expect(breakdown.latency).toBe(1);
  });

  it('handles free providers and clamps error rates', () => {
    const breakdown = score({ costPer1kRequests: 0 }, { latencyMs: 0, errorRate: 2 }, weights, {
      bestLatencyMs: 0,
      lowestCostPer1k: 0,
    });
    expect(breakdown).toEqual({ latency: 1, cost: 1, reliability: 0, total: 0.7 });
  });

  it('builds the reference from the fastest measured and cheapest candidates', () => {
    expect(
      fleetReference([
        { costPer1kRequests: 0.3, latencyMs: 20 },
        { costPer1kRequests: 0.1, latencyMs: undefined },
        { costPer1kRequests: 0.2, latencyMs: 12 },
      ]),
    ).toEqual({ bestLatencyMs: 12, lowestCostPer1k: 0.1 });
  });
});

describe('pickBest', () => {
  const candidates = [
    { name: 'a', score: 0.9 },
    { name: 'b', score: 0.895 },
    { name: 'c', score: 0.5 },
  ];

  it('returns the single best when nobody is within the tie buffer', () => {
    expect(pickBest(candidates, 0.001, Math.random)?.name).toBe('a');
  });

  it('shares ties by weighted random and never picks a candidate outside the buffer', () => {
    const picks = new Set<string>();
    const random = sequence(0, 0.2, 0.4, 0.6, 0.8, 0.99);
    for (let draw = 0; draw < 6; draw++) picks.add(pickBest(candidates, 0.02, random)?.name ?? '');
    expect(picks).toEqual(new Set(['a', 'b']));
  });

  it('splits tied candidates in proportion to their scores', () => {
    const counts = { a: 0, b: 0 };
    const tied = [
      { name: 'a' as const, score: 0.6 },
      { name: 'b' as const, score: 0.4 },
    ];
    for (let draw = 0; draw < 1000; draw++) {
      const picked = pickBest(tied, 1, () => draw / 1000);
      if (picked) counts[picked.name] += 1;
    }
    expect(counts).toEqual({ a: 600, b: 400 });
  });

  it('returns undefined for no candidates', () => {
    expect(pickBest([], 0.02, Math.random)).toBeUndefined();
  });
});
