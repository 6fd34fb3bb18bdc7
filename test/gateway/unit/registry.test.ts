import { DEFAULT_BREAKER_OPTIONS } from '../../../gateway/src/routing/breaker';
import { type ProviderDefinition, ProviderRegistry } from '../../../gateway/src/routing/registry';
import { fakeClock } from './fake-clock';

const definitions: ProviderDefinition[] = [
  { name: 'aws', costPer1kRequests: 0.4, models: ['iris'] },
  { name: 'gcp', costPer1kRequests: 0.4, models: ['iris'] },
  { name: 'azure', costPer1kRequests: 0.4, models: ['iris', 'churn'] },
];

function setup(random = () => 0.5) {
  const time = fakeClock();
  const registry = new ProviderRegistry(
    definitions,
    {
      weights: { latency: 0.4, cost: 0.3, reliability: 0.3 },
      tieBuffer: 0.02,
      latencyHalfLifeMs: 1_000,
      errorWindowMs: 60_000,
      breaker: { ...DEFAULT_BREAKER_OPTIONS, jitterRatio: 0 },
      health: { unhealthyAfter: 3, healthyAfter: 2 },
      slowProvider: { latencyMultiple: 10, minMs: 250 },
    },
    time.clock,
    random,
  );
  const ok = (name: string, latencyMs: number) =>
    registry.recordAttempt(name, 'admit', { kind: 'response', status: 200 }, latencyMs);
  const refuse = (name: string) =>
    registry.recordAttempt(name, 'admit', { kind: 'not-sent', reason: 'ECONNREFUSED' }, 1);
  const pick = (model = 'iris', exclude: string[] = []) =>
    registry.select(model, undefined, new Set(exclude));
  const report = (name: string, versions: string[], signature = 'sig') =>
    registry.recordHealthCheck(name, {
      passed: true,
      latencyMs: 10,
      models: new Map([['iris', { versions, signature }]]),
    });
  return { time, registry, ok, refuse, pick, report };
}

describe('provider registry', () => {
  it('does not let fast 500s make a failing provider look like the fastest', () => {
    const { ok, registry, pick, time } = setup();
    ok('gcp', 40);
    ok('azure', 40);
    registry.recordAttempt('aws', 'admit', { kind: 'response', status: 500 }, 2);
    time.advance(10);
    const aws = registry.snapshot().find((p) => p.name === 'aws');
    expect(aws?.latencyMs).toBeUndefined();
    expect(pick()?.provider).not.toBe('aws');
  });

  it('routes to the fastest provider when costs and reliability are equal', () => {
    const { ok, pick, time } = setup();
    ok('aws', 50);
    ok('gcp', 10);
    ok('azure', 30);
    time.advance(10);
    expect(pick()?.provider).toBe('gcp');
  });

  it('follows score changes: a provider that becomes slow loses the traffic', () => {
    const { ok, pick, time } = setup();
    for (let round = 0; round < 5; round++) {
      ok('aws', 10);
      ok('gcp', 20);
      ok('azure', 20);
      time.advance(500);
    }
    expect(pick()?.provider).toBe('aws');
    for (let round = 0; round < 10; round++) {
      ok('aws', 200);
      time.advance(500);
    }
    expect(pick()?.provider).not.toBe('aws');
  });

  it('only offers providers that serve the model, and none for unknown models', () => {
    const { pick, registry } = setup();
    expect(pick('churn')?.provider).toBe('azure');
    expect(pick('unknown')).toBeUndefined();
    expect(registry.models).toEqual(new Set(['iris', 'churn']));
    expect(registry.hasCandidate('churn', undefined, new Set(['azure']))).toBe(false);
  });

  it('skips providers already tried for the request', () => {
    const { pick } = setup();
    const first = pick()?.provider ?? '';
    const second = pick('iris', [first])?.provider ?? '';
    const third = pick('iris', [first, second])?.provider;
    expect(new Set([first, second, third]).size).toBe(3);
    expect(pick('iris', [first, second, third ?? ''])).toBeUndefined();
  });

  it('skips providers whose breaker is open', () => {
    const { refuse, pick, registry } = setup();
    for (let failure = 0; failure < 5; failure++) refuse('aws');
    expect(registry.snapshot().find((provider) => provider.name === 'aws')?.breaker).toBe('open');
    for (let draw = 0; draw < 20; draw++) expect(pick()?.provider).not.toBe('aws');
  });

  it('enters panic mode when every breaker is open and picks the least recently failed', () => {
    const { refuse, pick, time } = setup();
    for (const name of ['gcp', 'aws', 'azure']) {
      for (let failure = 0; failure < 5; failure++) refuse(name);
      time.advance(100);
    }
    const selection = pick();
    expect(selection).toMatchObject({ provider: 'gcp', admission: 'probe', panic: true });
  });

  it('skips providers that failed their health checks', () => {
    const { registry, pick } = setup();
    for (let check = 0; check < 3; check++) registry.recordHealthCheck('gcp', { passed: false });
    for (let draw = 0; draw < 20; draw++) expect(pick()?.provider).not.toBe('gcp');
  });

  it('excludes a provider whose model versions differ from the others and flags it', () => {
    const { report, pick, registry } = setup();
    const events: unknown[] = [];
    registry.onEvent((event) => events.push(event));
    report('aws', ['1']);
    report('gcp', ['1']);
    report('azure', ['2']);
    expect(events).toContainEqual({ type: 'skew', provider: 'azure', model: 'iris', excluded: true });
    expect(registry.snapshot().find((provider) => provider.name === 'azure')?.skewedModels).toEqual(['iris']);
    for (let draw = 0; draw < 20; draw++) expect(pick()?.provider).not.toBe('azure');
    // Azure still serves churn, which nobody else serves.
    expect(pick('churn')?.provider).toBe('azure');
    // Once it is back in line it is included again.
    report('azure', ['1']);
    expect(registry.snapshot().find((provider) => provider.name === 'azure')?.skewedModels).toEqual([]);
  });

  it('excludes a provider whose signature differs', () => {
    const { report, registry } = setup();
    report('aws', ['1'], 'a');
    report('gcp', ['1'], 'a');
    report('azure', ['1'], 'b');
    expect(registry.snapshot().find((provider) => provider.name === 'azure')?.skewedModels).toEqual(['iris']);
  });

  it('routes a versioned request only to providers that report that version', () => {
    const { report, registry } = setup();
    report('aws', ['1', '2']);
    report('gcp', ['1', '2']);
    report('azure', ['1']);
    for (let draw = 0; draw < 20; draw++) {
      const selection = registry.select('iris', '2', new Set());
      expect(['aws', 'gcp']).toContain(selection?.provider);
    }
    expect(registry.select('iris', '3', new Set())).toBeUndefined();
  });

  it('is ready once a provider passed a health check', () => {
    const { registry } = setup();
    expect(registry.ready).toBe(false);
    registry.recordHealthCheck('aws', { passed: true, latencyMs: 5 });
    expect(registry.ready).toBe(true);
  });

  it('reports scores, breaker and health in its snapshot', () => {
    const { ok, registry } = setup();
    ok('aws', 10);
    const aws = registry.snapshot().find((provider) => provider.name === 'aws');
    expect(aws).toMatchObject({
      breaker: 'closed',
      health: 'unknown',
      latencyMs: 10,
      errorRate: 0,
      requestsInWindow: 1,
    });
    expect(aws?.score.total).toBeGreaterThan(0);
  });
});
