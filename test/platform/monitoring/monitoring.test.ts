import { loadDeclaredFleet } from '../../../clusters';
import { profileFor } from '../../../platform/clouds';
import type { ComponentProps } from '../../../platform/kernel/chart';
import { namespacesOf } from '../../../platform/kernel/flows';
import type { HelmRelease } from '../../../platform/kernel/helm';
import { eckOperatorRelease } from '../../../platform/logging';
import { fluentBitRelease } from '../../../platform/logging/fluent-bit';
import { istioReleases } from '../../../platform/mesh/istio';
import { DASHBOARDS } from '../../../platform/monitoring/dashboards';
import { prometheusStackRelease } from '../../../platform/monitoring/stack';
import { tracingComponent } from '../../../platform/tracing';
import { chartScrapesItself } from '../../../tools/check-cluster/chart-monitors';
import { type RenderedResource, renderFleet } from '../../../tools/synth/render';
import { declaredFor } from '../declared';

type Json = Record<string, any>;
const fleet = loadDeclaredFleet();
const tree = renderFleet(fleet);
const clusters = fleet.clusters.map((c) => [c.name, c] as const);
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job']);

const matches = (selector: Json, labels: Record<string, string>) =>
  Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
  (selector.matchExpressions ?? []).every((e: Json) =>
    e.operator === 'Exists' ? e.key in labels : e.operator === 'In' ? e.values.includes(labels[e.key]) : true,
  );

const monitorsIn = (resources: readonly RenderedResource[]) =>
  resources
    .filter((r) => r.kind === 'ServiceMonitor' || r.kind === 'PodMonitor')
    .map((r) => r.object as Json);

const covers = (monitor: Json, namespace: string) =>
  monitor.spec.namespaceSelector?.any === true ||
  (monitor.spec.namespaceSelector?.matchNames ?? [monitor.metadata.namespace]).includes(namespace);

describe.each(clusters)('monitoring on %s', (name, cluster) => {
  const resources = tree.resources.filter((r) => r.cluster === name);
  const monitors = monitorsIn(resources);

  it('scrapes every namespace that runs rendered workloads, joins the mesh or runs these charts', () => {
    const profile = profileFor(cluster);
    const declarations = declaredFor(fleet, cluster);
    const releases: HelmRelease[] = [
      ...istioReleases({ cluster, profile, declarations }),
      prometheusStackRelease({ cluster, profile, fleet }),
      eckOperatorRelease(),
      fluentBitRelease(cluster),
      ...(tracingComponent.helmReleases?.({ cluster, profile, fleet } as ComponentProps) ?? []),
    ];
    const namespaces = new Set([
      ...resources.filter((r) => WORKLOADS.has(r.kind) && r.namespace).map((r) => r.namespace as string),
      ...namespacesOf(declarations)
        .filter((plan) => plan.mesh)
        .map((plan) => plan.name),
      ...releases.map((r) => r.namespace),
    ]);
    // Envoy's stats cover every mesh pod; other metrics need a monitor aimed at the namespace.
    const anywhere = monitors.filter((m) => m.spec.namespaceSelector?.any === true);
    expect(anywhere.map((m) => m.metadata.name)).toEqual(['envoy-stats']);
    const aimed = monitors.filter((m) => m.spec.namespaceSelector?.any !== true);
    const unscraped = [...namespaces].filter(
      (ns) =>
        !aimed.some((m) => covers(m, ns)) &&
        !releases.some((r) => r.namespace === ns && chartScrapesItself(r.values)),
    );
    expect(unscraped).toEqual([]);
  });

  it("selects the apps' real Services, on a port they expose", () => {
    for (const monitorName of ['gateway', 'model-serving']) {
      const monitor = monitors.find(
        (m) => m.kind === 'ServiceMonitor' && m.metadata.name === monitorName,
      ) as Json;
      const services = resources.filter(
        (r) =>
          r.kind === 'Service' &&
          covers(monitor, r.namespace as string) &&
          matches(monitor.spec.selector, (r.object as Json).metadata.labels ?? {}),
      );
      expect([monitorName, services.length > 0]).toEqual([monitorName, true]);
      for (const service of services) {
        const ports = ((service.object as Json).spec.ports as Json[]).map((p) => p.name);
        expect(ports).toContain(monitor.spec.endpoints[0].port);
      }
    }
  });

  it('scrapes mesh pods over mTLS with the certificate Prometheus gets from its Istio agent', () => {
    const values = prometheusStackRelease({
      cluster,
      profile: profileFor(cluster),
      fleet,
    }).values as Json;
    const mountPath = values.prometheus.prometheusSpec.volumeMounts[0].mountPath;
    for (const monitor of monitors.filter((m) => m.kind === 'ServiceMonitor' && m.spec.endpoints[0].scheme)) {
      expect(monitor.spec.endpoints[0].scheme).toBe('https');
      expect(monitor.spec.endpoints[0].tlsConfig.certFile.startsWith(`${mountPath}/`)).toBe(true);
    }
    expect(values.prometheus.prometheusSpec.podMetadata.labels['sidecar.istio.io/inject']).toBe('true');
  });

  it('keeps metrics for the fleet retention on the cloud storage class', () => {
    const profile = profileFor(cluster);
    const spec = (prometheusStackRelease({ cluster, profile, fleet }).values as Json).prometheus
      .prometheusSpec;
    expect(spec.retention).toBe(`${fleet.settings.observability.metricsRetentionDays}d`);
    expect(spec.storageSpec.volumeClaimTemplate.spec.storageClassName).toBe(profile.storageClass('standard'));
  });

  it('provisions every dashboard as a labelled ConfigMap with valid JSON and a unique uid', () => {
    const maps = resources.filter((r) => r.kind === 'ConfigMap' && r.name.startsWith('dashboard-'));
    const uids = maps.map((r) => JSON.parse(Object.values((r.object as Json).data)[0] as string).uid);
    expect(uids.sort()).toEqual(DASHBOARDS.map((d) => d.uid).sort());
    for (const map of maps) expect((map.object as Json).metadata.labels.grafana_dashboard).toBe('1');
  });

  it('routes critical alerts to Slack and e-mail, with credentials only by reference', () => {
    const config = resources.find((r) => r.kind === 'AlertmanagerConfig')?.object as Json;
    const critical = config.spec.receivers.find((r: Json) => r.name === 'critical');
    expect(critical.slackConfigs[0].apiURL.name).toBeDefined();
    expect(critical.emailConfigs[0].authPassword.name).toBeDefined();
    const secretNames = resources.filter((r) => r.kind === 'ExternalSecret').map((r) => r.name);
    expect(secretNames).toEqual(
      expect.arrayContaining([
        critical.slackConfigs[0].apiURL.name,
        critical.emailConfigs[0].authPassword.name,
      ]),
    );
    const routes = config.spec.route.routes.map((r: Json) => [r.matchers[0].value, r.receiver]);
    expect(routes).toEqual(
      expect.arrayContaining([
        ['critical', 'critical'],
        ['warning', 'warning'],
      ]),
    );
  });
});
