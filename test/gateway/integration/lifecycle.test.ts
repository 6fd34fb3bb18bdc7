import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StandInProcess, startGateway, startStandIn, waitFor } from '../../../gateway/dev/processes';
import { configFor, GATEWAY_ENV, http, metricValue, predict, providers, servedBy } from './helpers';

jest.setTimeout(60_000);

describe('version skew (real processes)', () => {
  let standIns: StandInProcess[] = [];

  afterAll(async () => {
    await Promise.all(standIns.map((standIn) => standIn.process.stop()));
  });

  it('excludes and flags a provider serving a different model version from the others', async () => {
    standIns = await Promise.all([
      startStandIn({ name: 'aws', modelVersion: '2' }),
      startStandIn({ name: 'gcp', modelVersion: '1' }),
      startStandIn({ name: 'azure', modelVersion: '1' }),
    ]);
    // aws is by far the cheapest: only the skew check keeps traffic off it.
    const gateway = await startGateway(configFor(standIns, { aws: 0.01, gcp: 1, azure: 1 }), GATEWAY_ENV);
    try {
      await waitFor('the skew check', async () =>
        (await providers(gateway.url))
          .find((provider) => provider.name === 'aws')
          ?.skewedModels.includes('iris'),
      );
      expect(
        await metricValue(gateway.url, 'gateway_provider_model_skewed', { provider: 'aws', model: 'iris' }),
      ).toBe(1);
      expect(
        await metricValue(gateway.url, 'gateway_provider_model_skewed', { provider: 'gcp', model: 'iris' }),
      ).toBe(0);
      for (let index = 0; index < 20; index++) {
        const result = await predict(gateway.url);
        expect(result.status).toBe(200);
        expect(servedBy(result)).not.toBe('aws');
      }
      expect(gateway.process.logs).toMatch(/excluded.*aws|aws.*excluded/);
    } finally {
      await gateway.process.stop();
    }
  });
});

describe('graceful shutdown (real processes)', () => {
  let standIn: StandInProcess | undefined;

  afterAll(async () => {
    await standIn?.process.stop();
  });

  it('on SIGTERM finishes in-flight requests, refuses new connections and exits 0', async () => {
    standIn = await startStandIn({ name: 'aws', latencyMs: 0 });
    const gateway = await startGateway(
      configFor([standIn], {}, { healthCheck: { intervalMs: 60_000 } }),
      GATEWAY_ENV,
    );
    await http(`${standIn.url}/-/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 1_500 }),
    });
    const inFlight = [predict(gateway.url), predict(gateway.url), predict(gateway.url)];
    await new Promise((resolve) => setTimeout(resolve, 300));
    gateway.process.signal('SIGTERM');
    const exit = await gateway.process.exited;
    const results = await Promise.all(inFlight);
    expect(results.map((result) => result.status)).toEqual([200, 200, 200]);
    expect(exit).toEqual({ code: 0, signal: null });
    await expect(http(`${gateway.url}/healthz`)).rejects.toThrow();
    expect(gateway.process.logs).toContain('draining in-flight requests');
  });
});

describe('API keys from a mounted file (real processes)', () => {
  let standIn: StandInProcess | undefined;

  afterAll(async () => {
    await standIn?.process.stop();
  });

  it('reloads the keys when the file changes, and keeps the old ones if the new file is broken', async () => {
    const keysFile = join(mkdtempSync(join(tmpdir(), 'gateway-keys-')), 'keys.json');
    const oldKey = 'old-key-0123456789abcdef';
    const newKey = 'new-key-0123456789abcdef';
    writeFileSync(keysFile, JSON.stringify([{ id: 'team', key: oldKey }]));
    standIn = await startStandIn({ name: 'aws' });
    const gateway = await startGateway(
      configFor([standIn], {}, { auth: { apiKeysFile: keysFile, reloadIntervalMs: 100 } }),
      // The file takes precedence over the environment.
      { GATEWAY_API_KEYS: '' },
    );
    try {
      const statusWith = async (key: string) =>
        (await predict(gateway.url, { headers: { 'x-api-key': key } })).status;
      expect(await statusWith(oldKey)).toBe(200);
      expect(await statusWith(newKey)).toBe(401);

      writeFileSync(keysFile, 'not json');
      await waitFor('the failed reload to be logged', () =>
        gateway.process.logs.includes('could not be loaded'),
      );
      expect(await statusWith(oldKey)).toBe(200);

      writeFileSync(keysFile, JSON.stringify([{ id: 'team', key: newKey }]));
      await waitFor('the new key to be accepted', async () => (await statusWith(newKey)) === 200);
      expect(await statusWith(oldKey)).toBe(401);
      expect(gateway.process.logs).not.toContain(oldKey);
      expect(gateway.process.logs).not.toContain(newKey);
    } finally {
      await gateway.process.stop();
    }
  });
});
