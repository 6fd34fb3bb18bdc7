import { loadDeclaredFleet } from '../../../clusters';
import { profileFor } from '../../../platform/clouds';
import type { IstioCniValues, IstiodValues } from '../../../platform/mesh/chart-values';
import { ISTIO_CHARTS, istiodValues, istioReleases } from '../../../platform/mesh/istio';
import { MODEL_SERVING, principal } from '../../../platform/mesh/workloads';
import { type RenderedResource, renderFleet } from '../../../tools/synth/render';
import { declaredFor } from '../declared';

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

function namespaceLabels(cluster: string, namespace: string): Record<string, string> {
  const found = tree.resources.find(
    (r) => r.cluster === cluster && r.kind === 'Namespace' && r.name === namespace,
  );
  if (!found) throw new Error(`${cluster}: no Namespace ${namespace}`);
  return (found.object as Json).metadata.labels;
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

  it('lets the ingress gateway call only the prediction API and readiness of the gateway, and Prometheus only its metrics', () => {
    const policy = find(name, 'AuthorizationPolicy', 'ml-platform', 'gateway-callers').spec;
    expect(policy.action).toBe('ALLOW');
    expect(policy.rules.filter((rule: Json) => !rule.to)).toEqual([]);
    const byPrincipal = Object.fromEntries(
      policy.rules.map((rule: Json) => [
        rule.from[0].source.principals[0],
        rule.to.map((to: Json) => to.operation),
      ]),
    );
    expect(byPrincipal).toEqual({
      'cluster.local/ns/istio-system/sa/istio-ingressgateway': [
        { methods: ['GET', 'POST'], paths: ['/v1/models/*'] },
        { methods: ['GET'], paths: ['/readyz'] },
      ],
      'cluster.local/ns/monitoring/sa/prometheus': [
        { methods: ['GET'], paths: ['/metrics'], ports: ['8080'] },
      ],
    });
  });

  it('serves the global endpoint one health path, GET only, for any host, and nothing else on that server', () => {
    const gateway = find(name, 'Gateway', 'istio-system', 'ingress-health').spec;
    expect(gateway.servers).toEqual([
      { hosts: ['*'], port: { name: 'http-health', number: 80, protocol: 'HTTP' } },
    ]);
    const route = find(name, 'VirtualService', 'istio-system', 'ingress-health').spec;
    expect(route.gateways).toEqual(['istio-system/ingress-health']);
    expect(route.http).toEqual([
      expect.objectContaining({
        match: [{ method: { exact: 'GET' }, uri: { exact: '/healthz/ingress' } }],
        rewrite: { uri: '/readyz' },
        route: [{ destination: { host: 'gateway.ml-platform.svc.cluster.local', port: { number: 8080 } } }],
      }),
    ]);
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
    const releases = istioReleases({ cluster, profile, declarations: declaredFor(fleet, cluster) });
    for (const release of releases) expect(release.version).toBe(ISTIO_CHARTS.version);
    expect(ISTIO_CHARTS.version).toMatch(/^\d+\.\d+\.\d+$/);
    const values = (release: string) => releases.find((r) => r.name === release)?.values as Json;
    expect(values('istiod').global.multiCluster.clusterName).toBe(name);
    expect(values('istiod').global.network).toBe(cluster.network.meshNetwork);
    expect(values('istio-eastwest').networkGateway).toBe(cluster.network.meshNetwork);
    expect(values('istio-eastwest').service.annotations).toEqual(profile.loadBalancerAnnotations('internal'));
    expect(values('istio-ingress').service.annotations).toEqual(profile.loadBalancerAnnotations('external'));
  });

  it("labels istio-system with the cluster's mesh network, so its endpoints are on that network", () => {
    const labels = namespaceLabels(name, 'istio-system');
    expect(labels['topology.istio.io/network']).toBe(cluster.network.meshNetwork);
    // Each cluster is its own network: a peer's endpoints are reached through its east-west gateway.
    for (const peer of peers) expect(peer.network.meshNetwork).not.toBe(cluster.network.meshNetwork);
  });

  it('leaves the webhook fields istiod patches to istiod, so self-heal does not revert them', () => {
    const application = (app: string) => find(name, 'Application', 'argocd', app).spec;
    const ignored = (app: string, kind: string, webhook: string) =>
      (application(app).ignoreDifferences as Json[])
        .filter(
          (d) =>
            d.group === 'admissionregistration.k8s.io' && d.kind === kind && (d.name ?? webhook) === webhook,
        )
        .flatMap((d) => d.jqPathExpressions ?? []);
    const validators = { 'istio-base': 'istiod-default-validator', istiod: 'istio-validator-istio-system' };
    for (const [app, webhook] of Object.entries(validators)) {
      expect(ignored(app, 'ValidatingWebhookConfiguration', webhook)).toEqual(
        expect.arrayContaining(['.webhooks[]?.failurePolicy', '.webhooks[]?.clientConfig.caBundle']),
      );
      expect(application(app).syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
      expect(application(app).syncPolicy.automated.selfHeal).toBe(true);
    }
    expect(ignored('istiod', 'MutatingWebhookConfiguration', 'istio-sidecar-injector')).toContain(
      '.webhooks[]?.clientConfig.caBundle',
    );
  });

  it("installs the Istio CNI node agent with the cloud's CNI paths on every node of the cluster", () => {
    const profile = profileFor(cluster);
    const cni = istioReleases({ cluster, profile, declarations: declaredFor(fleet, cluster) }).find(
      (r) => r.name === 'istio-cni',
    );
    const values = cni?.values as Json;
    expect(cni?.chart).toBe('cni');
    expect(cni?.namespace).toBe('istio-system');
    const { platform, ...paths } = profile.istioCni();
    expect(values.global.platform).toBe(platform);
    for (const [key, path] of Object.entries(paths)) expect(values[key]).toBe(path);
    expect(values.tolerations).toEqual([{ operator: 'Exists' }]);
    // The DaemonSet mounts host paths and adds NET_ADMIN, SYS_ADMIN...: only a privileged namespace admits it.
    const labels = namespaceLabels(name, 'istio-system');
    expect(labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });
});

describe('Istio chart values', () => {
  it('are typed from the 1.30.3 charts: a key the chart does not read fails the typecheck', () => {
    const [cluster] = fleet.clusters;
    if (!cluster) throw new Error('empty fleet');
    const istiod = istiodValues(cluster);
    // Each line below is a compile error (`npm run typecheck` fails if it is not): istiod 1.30.3 has
    // no `global.jwtPolicy`, and the cni chart reads `cniBinDir` at the top level, not under `cni`.
    const jwtPolicy = 'third-party-jwt';
    const withJwtPolicy: IstiodValues = {
      ...istiod,
      // @ts-expect-error global.jwtPolicy is not read by istiod 1.30.3
      global: { ...istiod.global, jwtPolicy },
    };
    // @ts-expect-error the cni chart has no `cni` key
    const nestedCni: Partial<IstioCniValues> = { cni: { cniBinDir: '/opt/cni/bin' } };
    expect(withJwtPolicy.global.network).toBe(cluster.network.meshNetwork);
    expect(nestedCni).toBeDefined();
  });
});

describe('Istio API versions', () => {
  const CURRENT = new Set(['networking.istio.io/v1', 'security.istio.io/v1', 'telemetry.istio.io/v1']);

  it('renders every Istio object on its v1 API', () => {
    const istio = tree.resources.filter((r) => r.apiVersion.split('/')[0]?.endsWith('istio.io'));
    expect(new Set(istio.map((r) => r.kind))).toEqual(
      new Set([
        'AuthorizationPolicy',
        'DestinationRule',
        'Gateway',
        'PeerAuthentication',
        'Telemetry',
        'VirtualService',
      ]),
    );
    const old = istio.filter((r) => !CURRENT.has(r.apiVersion));
    expect(old.map((r) => `${r.cluster}/${r.component}: ${r.apiVersion} ${r.kind} ${r.name}`)).toEqual([]);
  });

  it('pins the GKE CNI binary path rather than leaving it to version detection', () => {
    const gke = fleet.clusters.find((c) => c.cloud === 'gcp');
    if (!gke) throw new Error('the fleet has no GKE cluster');
    expect(profileFor(gke).istioCni()).toEqual({ platform: 'gke', cniBinDir: '/home/kubernetes/bin' });
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
