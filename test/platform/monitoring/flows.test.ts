/**
 * The monitoring flows as the platform configures them. Whether each scrape, push and API call is
 * allowed by the NetworkPolicies is the cluster check's (tools/check-cluster, reachability; see
 * test/tools/check-cluster); this keeps what is particular to the charts: which release serves
 * metrics.k8s.io where, and how the Pushgateway is named and scraped.
 */
import { loadDeclaredFleet } from '../../../clusters';
import { profileFor } from '../../../platform/clouds';
import { METRICS_SERVER } from '../../../platform/clouds/metrics-server';
import { MONITORING_NAMESPACE, PUSHGATEWAY, PUSHGATEWAY_URL } from '../../../platform/monitoring/services';
import { type RenderedResource, renderFleet } from '../../../tools/synth/render';

type Json = Record<string, any>;
const fleet = loadDeclaredFleet();
const { resources } = renderFleet(fleet);

const helmSource = (app: RenderedResource | undefined) =>
  (app?.object as { spec: { source: Json } } | undefined)?.spec.source;

describe.each(fleet.clusters.map((c) => [c.name, c] as const))('flows on %s', (name, cluster) => {
  const own = resources.filter((r) => r.cluster === name);
  const app = (release: string) => own.find((r) => r.kind === 'Application' && r.name === release);

  it('installs metrics-server from its pinned chart where the cloud does not run it', () => {
    const installed = helmSource(app(METRICS_SERVER.release));
    const cloudRunsIt = profileFor(cluster).resourceMetricsServer() === undefined;
    expect(installed === undefined).toBe(cloudRunsIt);
    if (!cloudRunsIt) expect(installed).toMatchObject({ chart: 'metrics-server', targetRevision: '3.13.1' });
  });

  it('names the Pushgateway the replication Jobs push to, and scrapes it keeping their job label', () => {
    expect(helmSource(app(PUSHGATEWAY.release))?.helm.valuesObject).toMatchObject({
      fullnameOverride: PUSHGATEWAY.service,
      service: { port: PUSHGATEWAY.port },
    });
    for (const job of own.filter((r) => r.kind === 'CronJob' && r.component === 'data-sync')) {
      const container = (job.object as Json).spec.jobTemplate.spec.template.spec.containers[0];
      expect(container.command.join(' ')).toContain(`${PUSHGATEWAY_URL}/metrics/job/`);
    }
    const monitor = own.find(
      (r) =>
        r.kind === 'ServiceMonitor' &&
        (r.object as Json).spec.selector.matchLabels?.['app.kubernetes.io/name'] === PUSHGATEWAY.appName &&
        (r.object as Json).spec.namespaceSelector?.matchNames?.includes(MONITORING_NAMESPACE),
    );
    expect((monitor?.object as Json | undefined)?.spec.endpoints).toEqual([
      expect.objectContaining({ port: PUSHGATEWAY.portName, honorLabels: true }),
    ]);
  });
});
