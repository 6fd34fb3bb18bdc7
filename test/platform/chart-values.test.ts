import type { PushgatewayValues } from '../../apps/data-sync';
import type { PrometheusAdapterValues } from '../../apps/model-serving/custom-metrics';
import { loadDeclaredFleet } from '../../clusters';
import type { ClusterAutoscalerValues } from '../../platform/clouds/cluster-autoscaler-values';
import type { MetricsServerValues } from '../../platform/clouds/metrics-server';
import type { KubePrometheusStackValues } from '../../platform/monitoring/stack-values';
import type { ExternalSecretsValues } from '../../platform/secrets';
import { renderFleet } from '../../tools/synth/render';

/**
 * The values types are the contract with the charts at their pinned tags: a
 * key a chart does not read must not typecheck. The `@ts-expect-error` lines
 * make `npm run typecheck` fail if one of these misspelt or unread keys is
 * ever accepted (the values are never used at run time).
 */
function unreadKeysDoNotTypecheck(
  kps: KubePrometheusStackValues,
  adapter: PrometheusAdapterValues,
  pushgateway: PushgatewayValues,
  externalSecrets: ExternalSecretsValues,
  autoscaler: ClusterAutoscalerValues,
  metricsServer: MetricsServerValues,
): unknown[] {
  return [
    // @ts-expect-error kube-prometheus-stack reads alertmanager.alertmanagerSpec, not alertmanager.spec
    { ...kps, alertmanager: { spec: {} } } satisfies KubePrometheusStackValues,
    // @ts-expect-error prometheus-adapter 5.3.0 calls its port listenPort
    { ...adapter, securePort: 6443 } satisfies PrometheusAdapterValues,
    // @ts-expect-error the pushgateway chart has no top-level port
    { ...pushgateway, port: 9091 } satisfies PushgatewayValues,
    // @ts-expect-error external-secrets 2.9.0 reads leaderElect, not leaderElection
    { ...externalSecrets, leaderElection: true } satisfies ExternalSecretsValues,
    // @ts-expect-error cluster-autoscaler takes its image tag under image.tag
    { ...autoscaler, imageTag: 'v1.35.2' } satisfies ClusterAutoscalerValues,
    // @ts-expect-error metrics-server 3.13.1 calls it replicas, not replicaCount
    { ...metricsServer, replicaCount: 2 } satisfies MetricsServerValues,
  ];
}

// Checked by the compiler only.
void unreadKeysDoNotTypecheck;

describe('pinned charts', () => {
  const { resources } = renderFleet(loadDeclaredFleet());
  const pins = (name: string) => [
    ...new Set(
      resources
        .filter((r) => r.kind === 'Application' && r.name === name)
        .map((r) => {
          const source = (r.object as { spec: { source: { chart: string; targetRevision: string } } }).spec
            .source;
          return `${source.chart}@${source.targetRevision}`;
        }),
    ),
  ];

  it('installs each chart at the version its values type was read from', () => {
    expect(pins('kube-prometheus-stack')).toEqual(['kube-prometheus-stack@88.5.3']);
    expect(pins('prometheus-adapter')).toEqual(['prometheus-adapter@5.3.0']);
    expect(pins('pushgateway')).toEqual(['prometheus-pushgateway@3.8.0']);
    expect(pins('external-secrets')).toEqual(['external-secrets@2.9.0']);
    expect(pins('cluster-autoscaler')).toEqual(['cluster-autoscaler@9.59.0']);
    expect(pins('metrics-server')).toEqual(['metrics-server@3.13.1']);
  });
});
