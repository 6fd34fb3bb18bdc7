import { loadDeclaredFleet } from '../../../clusters';
import { profileFor } from '../../../platform/clouds';
import { ISTIO_CHARTS, istioReleases } from '../../../platform/mesh/istio';
import { MODEL_SERVING, principal } from '../../../platform/mesh/workloads';
import { type RenderedResource, renderFleet } from '../../../platform/synth/render';

type Json = Record<string, any>;
const fleet = loadDeclaredFleet();
const tree = renderFleet(fleet);
const clusters = fleet.clusters.map((c) => [c.name, c] as const);

function find(cluster: string, kind: string, namespace: string, name: string): Json {
  const found = tree.resources.find(
    (r) => r.cluster === cluster && r.kind === kind && r.namespace === namespace && r.name === name,
  );
  if (!found) throw new Error(`${cluster}: no ${kind} ${namespace}/${name}`);
  return found.object as Json;
}

describe.each(clusters)('mesh on %s', (name, cluster) => {
  const peers = fleet.clusters.filter((c) => c.name !== name);

  it('has a labelled remote secret for every other cluster and none for itself', () => {
    const remote = tree.resources.filter(
      (r) => r.cluster === name && r.kind === 'ExternalSecret' && r.name.startsWith('istio-remote-secret-'),
    );
    expect(remote.map((r) => r.name).sort()).toEqual(
      peers.map((p) => `istio-remote-secret-${p.name}`).sort(),
    );
    for (const peer of peers) {
      const template = find(name, 'ExternalSecret', 'istio-system', `istio-remote-secret-${peer.name}`).spec
        .target.template;
      expect(template.metadata.labels['istio/multiCluster']).toBe('true');
      expect(template.metadata.annotations['networking.istio.io/cluster']).toBe(peer.name);
    }
  });

  it('lets only the gateway call model serving, and Prometheus only read its metrics', () => {
    const policy = find(name, 'AuthorizationPolicy', 'ml-serving', 'model-serving-callers').spec;
    expect(policy.action).toBe('ALLOW');
    const unrestricted = policy.rules.filter((rule: Json) => !rule.to);
    expect(unrestricted.flatMap((rule: Json) => rule.from.flatMap((f: Json) => f.source.principals))).toEqual(
      ['cluster.local/ns/ml-platform/sa/gateway'],
    );
    const scrape = policy.rules.find((rule: Json) => rule.to?.[0].operation.methods.includes('GET'));
    expect(scrape.from[0].source.principals).toEqual([principal('monitoring', 'prometheus')]);
    expect(scrape.to[0].operation).toEqual({
      methods: ['GET'],
      paths: [MODEL_SERVING.metricsPath],
      ports: ['8501'],
    });
  });

  it('lets batch predictions only POST predictions to model serving', () => {
    const policy = find(name, 'AuthorizationPolicy', 'ml-serving', 'model-serving-callers').spec;
    const batch = policy.rules.find((rule: Json) =>
      rule.from[0].source.principals.includes('cluster.local/ns/ml-serving/sa/batch-prediction'),
    );
    expect(batch.to).toEqual([{ operation: { methods: ['POST'], paths: ['/v1/models/*'] } }]);
  });

  it('lets the ingress gateway call only the prediction API of the gateway, and Prometheus only its metrics', () => {
    const policy = find(name, 'AuthorizationPolicy', 'ml-platform', 'gateway-callers').spec;
    expect(policy.action).toBe('ALLOW');
    expect(policy.rules.filter((rule: Json) => !rule.to)).toEqual([]);
    const byPrincipal = Object.fromEntries(
      policy.rules.map((rule: Json) => [rule.from[0].source.principals[0], rule.to[0].operation]),
    );
    expect(byPrincipal).toEqual({
      'cluster.local/ns/istio-system/sa/istio-ingressgateway': {
        methods: ['GET', 'POST'],
        paths: ['/v1/models/*'],
      },
      'cluster.local/ns/monitoring/sa/prometheus': { methods: ['GET'], paths: ['/metrics'], ports: ['8080'] },
    });
  });

  it('routes only the prediction API from the public host: /metrics, /docs and /readyz stay in-cluster', () => {
    const route = find(name, 'VirtualService', 'istio-system', 'prediction-api').spec;
    expect(route.http).toHaveLength(1);
    expect(route.http[0].match).toEqual([{ uri: { prefix: '/v1/models/' } }]);
  });

  it('terminates TLS for the prediction API host with a certificate from the secret store', () => {
    const gateway = find(name, 'Gateway', 'istio-system', 'prediction-api').spec;
    const https = gateway.servers.find((s: Json) => s.port.protocol === 'HTTPS');
    expect(https.hosts).toEqual([fleet.settings.observability.predictionApiHost]);
    expect(https.tls.mode).toBe('SIMPLE');
    const secret = find(name, 'ExternalSecret', 'istio-system', https.tls.credentialName);
    expect(secret.spec.target.template.type).toBe('kubernetes.io/tls');
    const plain = gateway.servers.find((s: Json) => s.port.protocol === 'HTTP');
    expect(plain.tls.httpsRedirect).toBe(true);
  });

  it("fails the gateway's traffic over from its own region", () => {
    const lb = find(name, 'DestinationRule', 'ml-platform', 'gateway').spec.trafficPolicy.loadBalancer;
    expect(lb.localityLbSetting.failover[0].from).toBe(cluster.region);
  });

  it('installs pinned Istio charts that know the cluster and its network', () => {
    const profile = profileFor(cluster);
    const releases = istioReleases({ cluster, profile });
    for (const release of releases) expect(release.version).toBe(ISTIO_CHARTS.version);
    expect(ISTIO_CHARTS.version).toMatch(/^\d+\.\d+\.\d+$/);
    const values = (release: string) => releases.find((r) => r.name === release)?.values as Json;
    expect(values('istiod').global.multiCluster.clusterName).toBe(name);
    expect(values('istiod').global.network).toBe(cluster.network.meshNetwork);
    expect(values('istio-eastwest').networkGateway).toBe(cluster.network.meshNetwork);
    expect(values('istio-eastwest').service.annotations).toEqual(profile.loadBalancerAnnotations('internal'));
    expect(values('istio-ingress').service.annotations).toEqual(profile.loadBalancerAnnotations('external'));
  });
});

/** The mTLS mode Istio applies to a namespace's workloads without their own selector-based policy. */
function namespaceMode(resources: readonly RenderedResource[], namespace: string): string {
  const policies = resources.filter((r) => r.kind === 'PeerAuthentication');
  const wide = (ns: string) =>
    policies.find((p) => p.namespace === ns && !(p.object as Json).spec?.selector)?.object as
      | Json
      | undefined;
  for (const level of [wide(namespace), wide('istio-system')]) {
    const mode = level?.spec?.mtls?.mode;
    if (mode && mode !== 'UNSET') return mode;
  }
  return 'PERMISSIVE';
}

/** Namespaces whose mTLS is weaker than STRICT, for workload namespaces and mesh namespaces. */
function weakNamespaces(resources: readonly RenderedResource[]): string[] {
  const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']);
  const namespaces = new Set(
    resources
      .filter(
        (r) =>
          (r.kind === 'Namespace' && (r.object as Json).metadata.labels?.['istio-injection'] === 'enabled') ||
          (workloadKinds.has(r.kind) && r.namespace),
      )
      .map((r) => (r.kind === 'Namespace' ? r.name : (r.namespace as string))),
  );
  const weak = [...namespaces].filter((ns) => namespaceMode(resources, ns) !== 'STRICT');
  // A selector-based policy may only tighten, never loosen.
  for (const r of resources.filter((p) => p.kind === 'PeerAuthentication')) {
    const spec = (r.object as Json).spec ?? {};
    const modes = [spec.mtls?.mode, ...Object.values(spec.portLevelMtls ?? {}).map((p: any) => p.mode)];
    if (modes.some((m) => m === 'PERMISSIVE' || m === 'DISABLE')) weak.push(`${r.namespace}/${r.name}`);
  }
  return weak.sort();
}

describe('mutual TLS', () => {
  it.each(clusters)('is STRICT in every mesh and workload namespace of %s', (name) => {
    const resources = tree.resources.filter((r) => r.cluster === name);
    expect(resources.some((r) => r.kind === 'Namespace' && r.name === 'ml-serving')).toBe(true);
    expect(weakNamespaces(resources)).toEqual([]);
  });

  it('the check notices a namespace that opts out', () => {
    const resources = tree.resources.filter((r) => r.cluster === fleet.clusters[0]?.name);
    const optOut = {
      ...resources[0],
      kind: 'PeerAuthentication',
      namespace: 'ml-serving',
      name: 'opt-out',
      object: { spec: { mtls: { mode: 'PERMISSIVE' } } },
    } as RenderedResource;
    expect(weakNamespaces([...resources, optOut])).toContain('ml-serving');
  });
});
