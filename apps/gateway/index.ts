import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { imageReference } from '../../clusters/images';
import { secretName } from '../../clusters/naming';
import { outputsFile } from '../../clusters/outputs';
import { version as GATEWAY_VERSION } from '../../gateway/package.json';
import { MissingCloudValueError } from '../../platform/clouds/profile';
import { type Component, type ComponentProps, PlatformChart } from '../../platform/kernel/chart';
import { GATEWAY, INGRESS_GATEWAY, ISTIO_NAMESPACE } from '../../platform/mesh/workloads';
import { CloudSecret } from '../../platform/secrets';
import { REDIS_CA_FILE, RedisServerCa } from '../shared/redis-ca';
import {
  disruptionBudget,
  poolFor,
  RESTRICTED_CONTAINER,
  RESTRICTED_POD,
  resources,
  scheduleOn,
  spreadAcrossZones,
  TMP_MOUNT,
  TMP_VOLUME,
  WorkloadServiceAccount,
} from '../shared/workload';
import { gatewayContribution } from './contributes';
import { API_KEYS_FILE, checkedGatewayConfig } from './routing-table';

const CONFIG_FILE = '/etc/gateway/config.json';
const KEYS_SECRET = 'gateway-api-keys';
const REDIS_SECRET = 'gateway-redis';

/**
 * The prediction gateway in one cluster: its Deployment behind the Istio
 * ingress, Service, autoscaler, disruption budget, the network policy that
 * admits only the ingress gateway and Prometheus, and the routing table
 * generated from the fleet. API keys and the Redis URL come from the cloud
 * secret store through ExternalSecrets; nothing secret is in git.
 */
export class GatewayChart extends PlatformChart {
  constructor(scope: Construct, props: ComponentProps) {
    super(scope, 'gateway', props);
    const { cluster, fleet, profile } = props;
    const namespace = GATEWAY.namespace;
    const labels = { ...GATEWAY.selector };
    const cache = props.outputs.cache;
    if (!cache) {
      throw new MissingCloudValueError(
        `${outputsFile(cluster)}: cache: missing; the gateway shares rate limits through the cluster's Redis`,
      );
    }
    const account = new WorkloadServiceAccount(this, 'account', { profile, workload: 'gateway' });

    new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: GATEWAY.service, namespace, labels },
      data: { 'config.json': `${JSON.stringify(checkedGatewayConfig(fleet, cluster), null, 2)}\n` },
    });

    new CloudSecret(this, 'api-keys', {
      name: KEYS_SECRET,
      namespace,
      remoteKey: secretName(cluster, 'gateway-api-keys'),
      keys: { 'api-keys.json': undefined },
    });
    new CloudSecret(this, 'redis', {
      name: REDIS_SECRET,
      namespace,
      remoteKey: secretName(cluster, 'redis-auth-token'),
      keys: { token: undefined },
      // The URL is assembled in the cluster, so the AUTH token never leaves the secret store's copy.
      templateData: { url: `rediss://:{{ .token | urlquery }}@${cache.host}:${cache.port}` },
    });

    // Node verifies the rediss:// server against its bundled CAs plus NODE_EXTRA_CA_CERTS.
    const serverCa = new RedisServerCa(this, 'redis-ca', {
      profile,
      namespace,
      name: `${GATEWAY.service}-redis-ca`,
      labels,
    });

    const probe = (path: string, overrides: Partial<k8s.Probe>): k8s.Probe => ({
      httpGet: { path, port: k8s.IntOrString.fromString(GATEWAY.portName) },
      ...overrides,
    });
    const replicas = Math.max(2, cluster.gateway.replicas);
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: GATEWAY.service, namespace, labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: {
            labels: { ...labels, ...account.podLabels, 'app.kubernetes.io/version': GATEWAY_VERSION },
          },
          spec: {
            serviceAccountName: account.name,
            automountServiceAccountToken: false,
            securityContext: RESTRICTED_POD,
            ...scheduleOn(profile, poolFor(cluster, 'general')),
            topologySpreadConstraints: spreadAcrossZones(labels),
            // Longer than the gateway's drain timeout, so in-flight requests finish on SIGTERM.
            terminationGracePeriodSeconds: 30,
            containers: [
              {
                name: 'gateway',
                // Pinned by digest once the image workflow's pull request has recorded it.
                image: imageReference(profile.imageRepository('gateway'), 'gateway', GATEWAY_VERSION),
                args: ['--config', CONFIG_FILE],
                ports: [{ name: GATEWAY.portName, containerPort: GATEWAY.port, protocol: 'TCP' }],
                env: [
                  { name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: REDIS_SECRET, key: 'url' } } },
                  ...(serverCa.mount ? [{ name: 'NODE_EXTRA_CA_CERTS', value: REDIS_CA_FILE }] : []),
                ],
                resources: resources({
                  cpuRequest: '500m',
                  cpuLimit: '1',
                  memoryRequest: '512Mi',
                  memoryLimit: '512Mi',
                }),
                readinessProbe: probe('/readyz', { periodSeconds: 5, failureThreshold: 2 }),
                livenessProbe: probe('/healthz', { periodSeconds: 10, failureThreshold: 3 }),
                securityContext: RESTRICTED_CONTAINER,
                volumeMounts: [
                  {
                    name: 'config',
                    mountPath: '/etc/gateway/config.json',
                    subPath: 'config.json',
                    readOnly: true,
                  },
                  { name: 'api-keys', mountPath: API_KEYS_FILE.replace(/\/[^/]+$/, ''), readOnly: true },
                  TMP_MOUNT,
                  ...(serverCa.mount ? [serverCa.mount.volumeMount] : []),
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: GATEWAY.service } },
              { name: 'api-keys', secret: { secretName: KEYS_SECRET } },
              TMP_VOLUME,
              ...(serverCa.mount ? [serverCa.mount.volume] : []),
            ],
          },
        },
      },
    });

    new k8s.KubeService(this, 'service', {
      metadata: { name: GATEWAY.service, namespace, labels },
      spec: {
        selector: labels,
        ports: [
          {
            name: GATEWAY.portName,
            port: GATEWAY.port,
            targetPort: k8s.IntOrString.fromString(GATEWAY.portName),
          },
        ],
      },
    });

    new k8s.KubeHorizontalPodAutoscalerV2(this, 'autoscaler', {
      metadata: { name: GATEWAY.service, namespace },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: GATEWAY.service },
        minReplicas: replicas,
        maxReplicas: replicas * 4,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
          },
        ],
      },
    });
    disruptionBudget(this, 'budget', { name: GATEWAY.service, namespace }, labels);

    // Only the ingress gateway (client traffic) and Prometheus (metrics) reach the gateway's pods.
    new k8s.KubeNetworkPolicy(this, 'ingress', {
      metadata: { name: GATEWAY.service, namespace },
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ISTIO_NAMESPACE } },
                podSelector: { matchLabels: { ...INGRESS_GATEWAY.selector } },
              },
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
            ],
            ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(GATEWAY.port) }],
          },
        ],
      },
    });
  }
}

/**
 * Synced by the platform project: the gateway is the platform's own entry
 * point, and its network policy is a guard rail the apps project may not set.
 */
export const gatewayComponent: Component = {
  name: 'gateway',
  project: 'platform',
  build: (scope, props) => new GatewayChart(scope, props),
  contributes: (props) => gatewayContribution(props),
};
