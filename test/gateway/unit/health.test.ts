import { findSkewedProviders, HealthTracker } from '../../../gateway/src/routing/health';
import { availableVersions, signatureDigest } from '../../../gateway/src/upstream/health-checker';

describe('health tracker', () => {
  const thresholds = { unhealthyAfter: 3, healthyAfter: 2 };

  it('starts unknown but routable, and becomes healthy on the first passed check', () => {
    const tracker = new HealthTracker(thresholds);
    expect(tracker.state).toBe('unknown');
    expect(tracker.routable).toBe(true);
    expect(tracker.record(true)).toBe(true);
    expect(tracker.state).toBe('healthy');
  });

  it('turns unhealthy after 3 consecutive failures, not before', () => {
    const tracker = new HealthTracker(thresholds);
    tracker.record(true);
    tracker.record(false);
    tracker.record(false);
    expect(tracker.state).toBe('healthy');
    tracker.record(true);
    tracker.record(false);
    tracker.record(false);
    expect(tracker.state).toBe('healthy');
    tracker.record(false);
    expect(tracker.state).toBe('unhealthy');
    expect(tracker.routable).toBe(false);
  });

  it('needs 2 consecutive passes to recover', () => {
    const tracker = new HealthTracker(thresholds);
    for (let check = 0; check < 3; check++) tracker.record(false);
    tracker.record(true);
    expect(tracker.state).toBe('unhealthy');
    tracker.record(false);
    tracker.record(true);
    expect(tracker.state).toBe('unhealthy');
    tracker.record(true);
    expect(tracker.state).toBe('healthy');
  });
});

describe('version skew', () => {
  it('flags the provider that disagrees with the majority', () => {
    const result = findSkewedProviders(
      new Map([
        ['aws', 'v1|s'],
        ['gcp', 'v1|s'],
        ['azure', 'v2|s'],
      ]),
    );
    expect(result).toEqual({ skewed: new Set(['azure']), agreed: false });
  });

  it('excludes nobody when all agree or when there is no majority', () => {
    expect(
      findSkewedProviders(
        new Map([
          ['aws', 'a'],
          ['gcp', 'a'],
        ]),
      ).skewed.size,
    ).toBe(0);
    const split = findSkewedProviders(
      new Map([
        ['aws', 'a'],
        ['gcp', 'b'],
      ]),
    );
    expect(split).toEqual({ skewed: new Set(), agreed: false });
  });

  it('reads available versions from a TF Serving status response', () => {
    const status = {
      model_version_status: [
        { version: '3', state: 'AVAILABLE' },
        { version: '2', state: 'UNLOADING' },
        { version: '1', state: 'AVAILABLE' },
      ],
    };
    expect(availableVersions(status)).toEqual(['1', '3']);
    expect(availableVersions({})).toEqual([]);
    expect(availableVersions('nonsense')).toEqual([]);
  });

  it('digests signatures independently of key order and sensitively to their content', () => {
    const metadata = (inputs: Record<string, unknown>, method = 'predict') => ({
      metadata: { signature_def: { signature_def: { serving_default: { inputs, method_name: method } } } },
    });
    const base = signatureDigest(metadata({ a: 1, b: 2 }));
    expect(signatureDigest(metadata({ b: 2, a: 1 }))).toBe(base);
    expect(signatureDigest(metadata({ a: 1, b: 3 }))).not.toBe(base);
    expect(signatureDigest(metadata({ a: 1, b: 2 }, 'classify'))).not.toBe(base);
  });
});
