import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadDeclaredFleet } from '../../../clusters';
import { parseConfig } from '../../../gateway/src/config';
import { type ClusterAddresses, inBoxGatewayConfig, prometheusConfig } from '../../../tools/drill/configs';
import { prometheusRuleToRulesFile } from '../../../tools/drill/prometheus-rules';
import { readRenderedCluster } from '../../../tools/drill/rendered';
import { DIST_DIR } from '../../../tools/tree/layout';

const fleet = loadDeclaredFleet();
const rendered = fleet.clusters.map((c) => readRenderedCluster(DIST_DIR, c.name));
const addresses = new Map<string, ClusterAddresses>(
  fleet.clusters.map((c, i) => [
    c.name,
    { address: `198.18.0.${i + 1}`, gatewayPort: 8080, modelServerPort: 8501, pushgatewayPort: 9091 },
  ]),
);
const work = mkdtempSync(join(tmpdir(), 'drill-configs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the gateway's rendered config in the box", () => {
  it.each(rendered.map((r) => [r.cluster, r]))(
    '%s: only addresses, keys and tracing change, and the gateway accepts it',
    (name, r) => {
      const own = addresses.get(name) as ClusterAddresses;
      const config = inBoxGatewayConfig(
        r.gatewayConfig.config,
        r.gatewayConfig.file,
        own,
        addresses,
        '/tmp/keys.json',
      );
      const parsed = parseConfig(config, 'drill');
      expect(parsed.listen).toEqual({ host: own.address, port: 8080 });
      expect(parsed.auth.apiKeysFile).toBe('/tmp/keys.json');
      expect(config.tracing).toBeUndefined();
      const { listen, providers, auth, tracing, ...rest } = r.gatewayConfig.config as any;
      const { listen: _l, providers: inBox, auth: _a, ...inBoxRest } = config as any;
      expect(inBoxRest).toEqual(rest);
      expect(inBox.map((p: any) => ({ ...p, url: undefined }))).toEqual(
        providers.map((p: any) => ({ ...p, url: undefined })),
      );
      expect(inBox.map((p: any) => p.url)).toEqual(
        providers.map((p: any) => `http://${addresses.get(p.name)?.address}:8501`),
      );
    },
  );

  it('refuses a provider that is not a cluster of the box, naming it', () => {
    const config = { providers: [{ name: 'elsewhere', url: 'http://x' }] };
    expect(() =>
      inBoxGatewayConfig(
        config,
        'dist/x/gateway/ConfigMap.yaml',
        addresses.get('eks-prod') as ClusterAddresses,
        addresses,
        'k',
      ),
    ).toThrow('dist/x/gateway/ConfigMap.yaml: providers[0] elsewhere is not a cluster of the box');
  });
});

describe("each cluster's Prometheus", () => {
  it.each(fleet.clusters.map((c, i) => [c.name, c, i]))(
    '%s: promtool accepts the configuration with its converted rules',
    (name, cluster, i) => {
      const ruleFiles = rendered[i].prometheusRules.map((rule, n) => {
        const file = join(work, `${name}-rules-${n}.yml`);
        writeFileSync(file, stringify(prometheusRuleToRulesFile(rule.object, rule.file)));
        return file;
      });
      const config = prometheusConfig({
        cluster,
        own: addresses.get(name) as ClusterAddresses,
        ruleFiles,
        alertmanager: '198.18.0.4:9093',
        timings: { scrapeIntervalS: 1, evaluationIntervalS: 1 },
      });
      expect((config.global as any).external_labels).toEqual({
        cluster: name,
        cloud: cluster.cloud,
        region: cluster.region,
      });
      const file = join(work, `${name}-prometheus.yml`);
      writeFileSync(file, stringify(config));
      const result = spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8' });
      expect(result.error).toBeUndefined();
      expect(`${result.stdout}${result.stderr}`).toMatch(/SUCCESS/);
      expect(result.status).toBe(0);
    },
  );
});
