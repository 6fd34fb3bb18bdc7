/**
 * The configuration files the box's processes read, built from dist/: the gateway's rendered
 * config with only its addresses changed, and each cluster's Prometheus configuration.
 */

/** Where a cluster's processes listen inside the box. */
export interface ClusterAddresses {
  readonly address: string;
  readonly gatewayPort: number;
  readonly modelServerPort: number;
  readonly pushgatewayPort: number;
}

/**
 * The rendered gateway config with the box's addresses: it listens on its node's address, each
 * provider's URL is that cluster's stand-in (in the fleet every provider has the same in-mesh
 * URL and a header selects the cluster; the box has no mesh), the API keys come from `keysFile`,
 * and tracing is left out (the box has no OpenTelemetry collector; sampling on would only log
 * export errors). The routing table, scoring, breaker, health-check and failover settings stay
 * exactly as rendered.
 */
export function inBoxGatewayConfig(
  rendered: Readonly<Record<string, unknown>>,
  where: string,
  own: ClusterAddresses,
  clusters: ReadonlyMap<string, ClusterAddresses>,
  keysFile: string,
): Record<string, unknown> {
  if (!Array.isArray(rendered.providers)) throw new Error(`${where}: providers must be a list`);
  const providers = (rendered.providers as Array<Record<string, unknown>>).map((provider, i) => {
    // A provider is named after its cluster (the routing table's provider names are cluster names).
    const target = clusters.get(String(provider.name));
    if (!target) {
      throw new Error(`${where}: providers[${i}] ${String(provider.name)} is not a cluster of the box`);
    }
    return { ...provider, url: `http://${target.address}:${target.modelServerPort}` };
  });
  const { tracing: _tracing, ...rest } = rendered;
  return {
    ...rest,
    listen: { ...(rendered.listen as object | undefined), host: own.address, port: own.gatewayPort },
    providers,
    auth: { ...(rendered.auth as object | undefined), apiKeysFile: keysFile },
  };
}

/** The drill's Prometheus timings: shorter than the fleet's, so a drill takes minutes, not hours. */
export interface PrometheusTimings {
  readonly scrapeIntervalS: number;
  readonly evaluationIntervalS: number;
}

/**
 * One cluster's Prometheus: its external labels as the fleet's Prometheus sets them (cluster,
 * cloud, region), its rule files, the drill's Alertmanager, and two scrape jobs, the cluster's
 * gateway and its Pushgateway (honor_labels, as the Pushgateway's ServiceMonitor has it, so a
 * pushed `job` label stays the Job's).
 */
export function prometheusConfig(options: {
  readonly cluster: { readonly name: string; readonly cloud: string; readonly region: string };
  readonly own: ClusterAddresses;
  readonly ruleFiles: readonly string[];
  readonly alertmanager: string;
  readonly timings: PrometheusTimings;
}): Record<string, unknown> {
  const { cluster, own, timings } = options;
  return {
    global: {
      scrape_interval: `${timings.scrapeIntervalS}s`,
      scrape_timeout: `${timings.scrapeIntervalS}s`,
      evaluation_interval: `${timings.evaluationIntervalS}s`,
      external_labels: { cluster: cluster.name, cloud: cluster.cloud, region: cluster.region },
    },
    rule_files: [...options.ruleFiles],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [options.alertmanager] }] }] },
    scrape_configs: [
      {
        job_name: 'gateway',
        static_configs: [
          {
            targets: [`${own.address}:${own.gatewayPort}`],
            labels: { namespace: 'ml-platform', service: 'gateway' },
          },
        ],
      },
      {
        job_name: 'pushgateway',
        honor_labels: true,
        static_configs: [
          { targets: [`${own.address}:${own.pushgatewayPort}`], labels: { namespace: 'monitoring' } },
        ],
      },
    ],
  };
}
