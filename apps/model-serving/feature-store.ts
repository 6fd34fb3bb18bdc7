import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { secretName } from '../../clusters/naming';
import type { ClusterOutputs } from '../../clusters/outputs';
import { outputsFile } from '../../clusters/outputs';
import type { ClusterSpec } from '../../clusters/types';
import type { CloudProfile } from '../../platform/clouds/profile';
import { MissingCloudValueError } from '../../platform/clouds/profile';
import { embeddedYaml } from '../../platform/kernel/serialize';
import { MODEL_SERVING } from '../../platform/mesh/workloads';
import { CloudSecret } from '../../platform/secrets';
import { REDIS_CA_FILE, RedisServerCa } from '../shared/redis-ca';
import {
  disruptionBudget,
  RESTRICTED_CONTAINER,
  RESTRICTED_POD,
  resources,
  scheduleOn,
  spreadAcrossZones,
  TMP_MOUNT,
  TMP_VOLUME,
  WorkloadServiceAccount,
} from '../shared/workload';

/** Feast's feature server, pinned; mirrored into each cluster's registry. */
export const FEAST_VERSION = '0.40.1';
export const FEATURE_SERVER = 'feature-server';
export const FEATURE_SERVER_PORT = 6566;
/** The address model servers read features from. */
export const FEATURE_SERVER_URL = `http://${FEATURE_SERVER}.${MODEL_SERVING.namespace}.svc.cluster.local:${FEATURE_SERVER_PORT}`;

export interface FeatureStoreProps {
  readonly cluster: ClusterSpec;
  readonly profile: CloudProfile;
  /** The cluster's recorded outputs; the online store is the cluster's managed Redis. */
  readonly outputs: ClusterOutputs;
  /** Pool role the feature server runs on. */
  readonly pool: Parameters<typeof scheduleOn>[1];
}

/**
 * A Feast feature server per cluster: the online store is the cluster's
 * managed Redis (endpoint from the outputs file, AUTH token from the secret
 * store), the registry a file in the cluster's data lake.
 */
export class FeatureStore extends Construct {
  constructor(scope: Construct, id: string, props: FeatureStoreProps) {
    super(scope, id);
    const { cluster, profile } = props;
    const namespace = MODEL_SERVING.namespace;
    const cache = props.outputs.cache;
    if (!cache) {
      throw new MissingCloudValueError(
        `${outputsFile(cluster)}: cache: missing; the feature store's online store is the cluster's Redis ` +
          '(record it with npm run infra:outputs)',
      );
    }
    const labels = {
      'app.kubernetes.io/name': FEATURE_SERVER,
      'app.kubernetes.io/component': 'feature-store',
    };
    const account = new WorkloadServiceAccount(this, 'account', { profile, workload: 'feature-store' });

    const serverCa = new RedisServerCa(this, 'redis-ca', {
      profile,
      namespace,
      name: `${FEATURE_SERVER}-redis-ca`,
      labels,
    });
    const featureStoreYaml = embeddedYaml({
      project: 'ml_platform',
      provider: 'local',
      registry: { path: profile.objectUri('data-lake', 'feast/registry.db'), cache_ttl_seconds: 60 },
      // Feast expands ${VAR} from the environment: the token never lands in the ConfigMap.
      online_store: {
        type: 'redis',
        // Extra key=value pairs go to redis-py's client: ssl_ca_certs verifies a server whose CA is private.
        connection_string: `${cache.host}:${cache.port},ssl=true,password=\${REDIS_AUTH_TOKEN}${
          serverCa.mount ? `,ssl_ca_certs=${REDIS_CA_FILE}` : ''
        }`,
      },
      entity_key_serialization_version: 2,
    });
    new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: FEATURE_SERVER, namespace, labels },
      data: { 'feature_store.yaml': featureStoreYaml },
    });

    new CloudSecret(this, 'redis-token', {
      name: `${FEATURE_SERVER}-redis`,
      namespace,
      remoteKey: secretName(cluster, 'redis-auth-token'),
      keys: { token: undefined },
    });

    const probe = (overrides: Partial<k8s.Probe>): k8s.Probe => ({
      httpGet: { path: '/health', port: k8s.IntOrString.fromString('http') },
      ...overrides,
    });
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: FEATURE_SERVER, namespace, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels: { ...labels, ...account.podLabels } },
          spec: {
            serviceAccountName: account.name,
            automountServiceAccountToken: false,
            securityContext: RESTRICTED_POD,
            ...scheduleOn(profile, props.pool),
            topologySpreadConstraints: spreadAcrossZones(labels),
            containers: [
              {
                name: 'feature-server',
                image: `${profile.imageRepository('feast-feature-server')}:${FEAST_VERSION}`,
                command: ['feast'],
                args: [
                  '--chdir',
                  '/etc/feast',
                  'serve',
                  '--host',
                  '0.0.0.0',
                  '--port',
                  String(FEATURE_SERVER_PORT),
                ],
                ports: [{ name: 'http', containerPort: FEATURE_SERVER_PORT, protocol: 'TCP' }],
                env: [
                  {
                    name: 'REDIS_AUTH_TOKEN',
                    valueFrom: { secretKeyRef: { name: `${FEATURE_SERVER}-redis`, key: 'token' } },
                  },
                ],
                resources: resources({
                  cpuRequest: '500m',
                  cpuLimit: '1',
                  memoryRequest: '1Gi',
                  memoryLimit: '1Gi',
                }),
                readinessProbe: probe({ periodSeconds: 5 }),
                livenessProbe: probe({ periodSeconds: 20, initialDelaySeconds: 10 }),
                securityContext: RESTRICTED_CONTAINER,
                volumeMounts: [
                  { name: 'config', mountPath: '/etc/feast', readOnly: true },
                  TMP_MOUNT,
                  ...(serverCa.mount ? [serverCa.mount.volumeMount] : []),
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: FEATURE_SERVER } },
              TMP_VOLUME,
              ...(serverCa.mount ? [serverCa.mount.volume] : []),
            ],
          },
        },
      },
    });

    new k8s.KubeService(this, 'service', {
      metadata: { name: FEATURE_SERVER, namespace, labels },
      spec: {
        selector: labels,
        ports: [{ name: 'http', port: FEATURE_SERVER_PORT, targetPort: k8s.IntOrString.fromString('http') }],
      },
    });
    disruptionBudget(this, 'budget', { name: FEATURE_SERVER, namespace }, labels);
  }
}
