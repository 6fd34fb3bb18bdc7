import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiKeyStore } from '../../../gateway/src/auth/keys';
import { parseConfig } from '../../../gateway/src/config';
import { METRIC_NAMES, METRICS } from '../../../gateway/src/metrics/names';
import { buildServer } from '../../../gateway/src/server';

/**
 * In-process checks (the real-process tests live in ../integration). fastify.inject cannot be
 * used under jest here: light-my-request loads the ESM-only `cookie` package, so the server
 * listens on an ephemeral loopback port instead.
 */
describe('buildServer', () => {
  const config = parseConfig({
    // Nothing listens on port 9: the server is only built, never sends a request here.
    providers: [{ name: 'aws', url: 'http://127.0.0.1:9', costPer1kRequests: 0.1, models: ['iris'] }],
  });
  const apiKeys = ApiKeyStore.fromEnvironment('tests:0123456789abcdef0123');

  it('returns a server that is not listening, and fails readiness while draining', async () => {
    const app = await buildServer(config, { apiKeys, logger: false, healthChecks: false });
    try {
      await app.ready();
      expect(app.server.listening).toBe(false);
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      app.gateway.registry.recordHealthCheck('aws', { passed: true, latencyMs: 1 });
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      app.gateway.draining = true;
      const draining = await fetch(`${base}/readyz`);
      expect(draining.status).toBe(503);
      expect(await draining.json()).toEqual({ error: 'draining for shutdown' });
      expect(draining.headers.get('connection')).toBe('close');
      // Any other request that arrives while draining gets the same contract, not Fastify's own body.
      const predict = await fetch(`${base}/v1/models/iris:predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': '0123456789abcdef0123' },
        body: '{"instances": [[1, 2, 3, 4]]}',
      });
      expect(predict.status).toBe(503);
      expect(await predict.json()).toEqual({ error: 'draining for shutdown' });
      expect(predict.headers.get('x-request-id')).toBeTruthy();
      expect(predict.headers.get('retry-after')).toBe('1');
    } finally {
      await app.close();
    }
  });

  it('exports every metric it registers, under the names in the typed list', async () => {
    const app = await buildServer(config, { apiKeys, logger: false, healthChecks: false });
    try {
      await app.ready();
      const registered = (await app.gateway.metrics.register.getMetricsAsJSON()).map((metric) => metric.name);
      for (const name of METRIC_NAMES) expect(registered).toContain(name);
      for (const metric of Object.values(METRICS)) expect(metric.name).toMatch(/^gateway_[a-z_]+$/);
    } finally {
      await app.close();
    }
  });

  it('documents every metric in the README', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'gateway', 'README.md'), 'utf8');
    for (const name of METRIC_NAMES) expect(readme).toContain(`\`${name}\``);
  });
});
