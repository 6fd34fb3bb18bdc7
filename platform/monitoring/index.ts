import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { secretName } from '../../clusters/naming';
import { repositoryFileUrl } from '../../clusters/repository';
import { EXEMPT_ANNOTATION } from '../kernel/annotations';
import { type Component, type ComponentProps, PlatformChart } from '../kernel/chart';
import type { RenderedResource } from '../kernel/rendered-resource';
import { typedObject } from '../kernel/typed';
import { CloudSecret } from '../secrets/cloud-secret';
import { AlertRouting } from './alertmanager';
import { prometheusStackChartObjects } from './chart-objects';
import { monitoringContribution } from './contributes';
import { DASHBOARDS, type DashboardContext } from './dashboards';
import {
  batchPredictionRuleGroups,
  logSnapshotRuleGroups,
  platformRuleGroups,
  replicationRuleGroups,
  runbookPath,
  toPrometheusGroups,
} from './rules';
import { ScrapeTargets } from './scrape';
import { DASHBOARD_LABEL, GRAFANA_ADMIN_SECRET, MONITORING_NAMESPACE, prometheusStackRelease } from './stack';

/** Name of the PrometheusRule holding the platform's rules. */
export const PLATFORM_RULES = 'ml-platform';

/** Policy exceptions on the objects rendered so far, for the security dashboard. */
function policyExceptions(resources: readonly RenderedResource[]): DashboardContext['policyExceptions'] {
  return resources.flatMap((resource) => {
    const annotations = (resource.object.metadata as { annotations?: Record<string, string> } | undefined)
      ?.annotations;
    const reason = annotations?.[EXEMPT_ANNOTATION];
    const object = `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${resource.name}`;
    return reason ? [{ object, reason }] : [];
  });
}

/** One ConfigMap per dashboard, labelled for Grafana's dashboard sidecar. */
class GrafanaDashboards extends Construct {
  constructor(scope: Construct, id: string, context: DashboardContext) {
    super(scope, id);
    for (const definition of DASHBOARDS) {
      const dashboard = definition.build(context);
      new k8s.KubeConfigMap(this, definition.uid, {
        metadata: {
          name: `dashboard-${definition.uid}`,
          namespace: MONITORING_NAMESPACE,
          labels: { ...DASHBOARD_LABEL },
          annotations: { grafana_folder: definition.folder },
        },
        data: { [`${definition.uid}.json`]: `${JSON.stringify(dashboard, null, 2)}\n` },
      });
    }
  }
}

/**
 * Metrics and alerting for one cluster: what Prometheus scrapes, the
 * platform's alert rules, where alerts go, and the Grafana dashboards.
 * Prometheus, Alertmanager and Grafana themselves come from kube-prometheus-stack.
 */
export class MonitoringChart extends PlatformChart {
  constructor(scope: Construct, props: ComponentProps) {
    super(scope, 'monitoring', props);
    const { cluster, fleet } = props;
    const namespace = MONITORING_NAMESPACE;
    new ScrapeTargets(this, 'scrape', { namespace, declarations: props.declarations });
    typedObject<IPrometheusRule>(this, 'rules', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: PLATFORM_RULES, namespace },
      spec: {
        groups: toPrometheusGroups(
          [
            ...platformRuleGroups(cluster, fleet),
            ...replicationRuleGroups(cluster, fleet),
            ...batchPredictionRuleGroups(cluster),
            ...logSnapshotRuleGroups(),
          ],
          (alert) => repositoryFileUrl(fleet.settings, runbookPath(alert)),
        ),
      },
    });
    new AlertRouting(this, 'alerting', { cluster, fleet, namespace });
    new CloudSecret(this, 'grafana-admin', {
      name: GRAFANA_ADMIN_SECRET,
      namespace,
      remoteKey: secretName(cluster, 'grafana-admin'),
      keys: { 'admin-user': 'admin-user', 'admin-password': 'admin-password' },
    });
    new GrafanaDashboards(this, 'dashboards', {
      cluster,
      fleet,
      policyExceptions: policyExceptions(props.earlier.resources),
    });
  }
}

export const monitoringComponent: Component = {
  name: 'monitoring',
  project: 'platform',
  build: (scope, props) => new MonitoringChart(scope, props),
  helmReleases: (props) => [prometheusStackRelease(props)],
  contributes: (props) => ({
    ...monitoringContribution(props),
    chartObjects: prometheusStackChartObjects(),
  }),
};
