import { customMetricsOf, prometheusAdapterRelease } from '../../apps/model-serving/custom-metrics';
import { modelPath, modelRoutes, versionShares } from '../../apps/model-serving/routing';
import { modelConfig } from '../../apps/model-serving/tfserving-config';
import { loadDeclaredFleet } from '../../clusters';

const fleet = loadDeclaredFleet();
const fraud = fleet.models.find((m) => m.name === 'fraud-detector');
const classifier = fleet.models.find((m) => m.name === 'image-classifier');
if (!fraud || !classifier) throw new Error('the declared catalog changed');

describe('TF Serving configuration', () => {
  it('serves exactly the listed versions from the base path', () => {
    const text = modelConfig({
      name: 'fraud-detector',
      basePath: 's3://bucket/fraud-detector',
      versions: [4],
    });
    expect(text).toContain('name: "fraud-detector"');
    expect(text).toContain('base_path: "s3://bucket/fraud-detector"');
    expect(text.match(/versions: (\d+)/g)).toEqual(['versions: 4']);
    expect(text.split('{').length).toBe(text.split('}').length);
  });
});

describe('model routes', () => {
  it('serve the split versions, or the highest version alone', () => {
    expect(versionShares(fraud)).toEqual([
      { version: 3, weight: 90 },
      { version: 4, weight: 10 },
    ]);
    expect(versionShares(classifier)).toEqual([{ version: 7, weight: 100 }]);
  });

  it('match a model path on the router host and nothing that merely starts like it', () => {
    const path = new RegExp(modelPath('fraud-detector'));
    for (const ok of [
      '/v1/models/fraud-detector:predict',
      '/v1/models/fraud-detector',
      '/v1/models/fraud-detector/metadata',
    ]) {
      expect(path.test(ok)).toBe(true);
    }
    for (const other of ['/v1/models/fraud-detector2:predict', '/v1/models/fraudxdetector:predict']) {
      expect(path.test(other)).toBe(false);
    }
    expect(
      new RegExp(modelPath('fraud-detector', 4)).test('/v1/models/fraud-detector/versions/4:predict'),
    ).toBe(true);
  });

  it('keep unaddressed traffic in the local cluster, as the last, catch-all route', () => {
    const local = fleet.clusters[1];
    const routes = modelRoutes(fleet, local, fraud, false);
    const last = routes[routes.length - 1];
    expect(last.match).toBeUndefined();
    expect(last.route?.map((r) => r.destination?.subset)).toEqual([`${local.name}-v3`, `${local.name}-v4`]);
    // Every other cluster is reachable only by naming it.
    for (const route of routes.slice(0, -1)) {
      const clusterHeader = route.match?.[0]?.headers?.['x-ml-cluster']?.exact;
      const subsetCluster = route.route?.[0]?.destination?.subset?.replace(/-v\d+$/, '');
      expect(subsetCluster).toBe(clusterHeader ?? local.name);
    }
  });
});

describe('custom metrics for autoscaling', () => {
  it('has the Prometheus adapter derive exactly the metrics the models scale on', () => {
    const rules = (prometheusAdapterRelease([fraud, classifier]).values as any).rules;
    expect(rules.default).toBe(false);
    expect(rules.custom.map((r: any) => r.name.as)).toEqual([fraud.autoscaling.customMetric?.name]);
    expect(rules.custom[0].seriesQuery).toContain(':tensorflow:serving:request_count');
  });

  it('refuses a metric no adapter rule derives, naming the known ones', () => {
    const unknown = {
      ...fraud,
      autoscaling: { targetCpuUtilization: 70, customMetric: { name: 'qps', averageValue: '5' } },
    };
    expect(() => customMetricsOf([unknown])).toThrow(
      'clusters/models.ts: autoscaling.customMetric.name qps: no adapter rule derives it; known: tensorflow_serving_request_rate',
    );
  });
});
