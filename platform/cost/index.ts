import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { Construct } from 'constructs';
import { secretName } from '../../clusters/naming';
import { repositoryFileUrl } from '../../clusters/repository';
import { type Component, type ComponentProps, type DeclarationProps, PlatformChart } from '../kernel/chart';
import type { HelmRelease } from '../kernel/helm';
import type { RestrictedContainerSecurity } from '../kernel/helm-values';
import { teamLabels } from '../kernel/pods';
import { typedObject } from '../kernel/typed';
import { runbookPath, toPrometheusGroups } from '../monitoring/rules';
import { MONITORING_NAMESPACE, PROMETHEUS_SERVICE } from '../monitoring/services';
import { CloudSecret } from '../secrets/cloud-secret';
import { costRuleGroups } from './alerts';
import type { OpenCostEnv, OpenCostValues } from './chart-values';
import { COST_TEAM, costContribution } from './contributes';
import { COST, WORKLOAD } from './names';
import { OPENCOST } from './versions';

export { COST } from './names';

/** The image's user and group (the Dockerfile's `USER 1001`). */
const IMAGE_USER = 1001;

const RESTRICTED: RestrictedContainerSecurity = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: IMAGE_USER,
  runAsGroup: IMAGE_USER,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The key of the pricing API key in the Secret External Secrets writes. */
const API_KEY = 'api-key';

/** OpenCost's environment from the cloud profile: settings, and the price list's API key by reference. */
function pricingEnv({ profile }: DeclarationProps): OpenCostEnv[] {
  const pricing = profile.costPricing();
  return [
    ...Object.entries(pricing.env).map(([name, value]) => ({ name, value })),
    ...(pricing.apiKeySecret
      ? [
          {
            name: 'CLOUD_PROVIDER_API_KEY',
            valueFrom: { secretKeyRef: { name: COST.apiKeySecret, key: API_KEY } },
          },
        ]
      : []),
  ];
}

/**
 * OpenCost from its pinned chart: it reads the cloud's prices as its workload identity, the
 * cluster's usage from the platform's Prometheus, and exports the priced series Prometheus scrapes
 * back. No UI, no MCP server, no Secret of the chart's own.
 */
export function openCostRelease(props: ComponentProps): HelmRelease {
  const { profile, cluster } = props;
  const identity = profile.workloadIdentity(WORKLOAD.name);
  const general = cluster.nodePools.find((pool) => pool.role === 'general');
  const placement = general ? profile.nodePlacement(general) : { nodeSelector: {}, tolerations: [] };
  const values: OpenCostValues = {
    podLabels: { ...identity.podLabels, ...teamLabels(COST_TEAM) },
    serviceAccount: {
      create: true,
      name: COST.serviceAccount,
      annotations: { ...identity.serviceAccountAnnotations },
      automountServiceAccountToken: true,
    },
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: IMAGE_USER,
      runAsGroup: IMAGE_USER,
      fsGroup: IMAGE_USER,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    service: { enabled: true, type: 'ClusterIP' },
    networkPolicies: { enabled: false },
    rbac: { enabled: true },
    opencost: {
      exporter: {
        defaultClusterId: cluster.name,
        image: { ...OPENCOST.image },
        replicas: 1,
        resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        securityContext: RESTRICTED,
        env: pricingEnv(props),
        extraVolumeMounts: [
          { name: 'configs', mountPath: '/var/configs' },
          { name: 'tmp', mountPath: '/tmp' },
        ],
        persistence: { enabled: false },
      },
      mcp: { enabled: false },
      ui: { enabled: false },
      metrics: { serviceMonitor: { enabled: false } },
      prometheus: {
        internal: {
          enabled: true,
          serviceName: PROMETHEUS_SERVICE.name,
          namespaceName: MONITORING_NAMESPACE,
          port: PROMETHEUS_SERVICE.port,
          scheme: 'http',
        },
        external: { enabled: false },
      },
      cloudCost: { enabled: false },
      nodeSelector: { ...placement.nodeSelector },
      tolerations: placement.tolerations.map((t) => ({ ...t })),
    },
    extraVolumes: [
      { name: 'configs', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
    ],
  };
  return {
    name: COST.release,
    repoURL: OPENCOST.repoURL,
    chart: OPENCOST.chart,
    version: OPENCOST.chartVersion,
    namespace: COST.namespace,
    values: { ...values },
    providesCrds: [],
    // It queries Prometheus from its first start (on GKE its pod also waits for the pricing key's
    // Secret, which the cost component's ExternalSecret writes).
    requires: ['kube-prometheus-stack'],
  };
}

/** The cost alerts, and where the cloud's price list takes a key, the ExternalSecret that brings it. */
export class CostChart extends PlatformChart {
  constructor(scope: Construct, props: ComponentProps) {
    super(scope, 'cost', props);
    const { cluster, fleet, profile } = props;
    const apiKey = profile.costPricing().apiKeySecret;
    if (apiKey) {
      new CloudSecret(this, 'pricing-api-key', {
        name: COST.apiKeySecret,
        namespace: COST.namespace,
        remoteKey: secretName(cluster, apiKey),
        keys: { [API_KEY]: undefined },
      });
    }
    typedObject<IPrometheusRule>(this, 'rules', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: COST.rules, namespace: COST.namespace },
      spec: {
        groups: toPrometheusGroups(costRuleGroups(cluster), (alert) =>
          repositoryFileUrl(fleet.settings, runbookPath(alert)),
        ),
      },
    });
  }
}

export const costComponent: Component = {
  name: 'cost',
  project: 'platform',
  build: (scope, props) => new CostChart(scope, props),
  helmReleases: (props) => [openCostRelease(props)],
  contributes: () => costContribution(),
};
