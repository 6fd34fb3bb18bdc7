import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { secretName } from '../../clusters/naming';
import type { ClusterSpec } from '../../clusters/types';
import type { CloudProfile } from '../clouds';
import type { LogSnapshotStorage, WorkloadIdentityBinding } from '../clouds/profile';
import { EXEMPT_ANNOTATION } from '../kernel/annotations';
import { type Component, type ComponentProps, PlatformChart } from '../kernel/chart';
import type { HelmRelease } from '../kernel/helm';
import { teamLabels } from '../kernel/pods';
import { typedObject } from '../kernel/typed';
import { CloudSecret } from '../secrets/cloud-secret';
import { loggingChartObjects } from './chart-objects';
import type { EckOperatorChartValues } from './chart-values';
import { ELASTICSEARCH_WORKLOAD } from './cloud-workloads';
import { LOGGING_TEAM, loggingContribution } from './contributes';
import type { IElasticsearch, IKibana } from './eck-types';
import { FLUENT_BIT_ES_SECRET, fluentBitRelease } from './fluent-bit';
import { LogLifecycleSetup } from './lifecycle';
import {
  ECK_CRDS,
  ECK_METRICS_PORT,
  ELASTIC_VERSION,
  ELASTICSEARCH,
  KIBANA_NAME,
  LOGGING_NAMESPACE,
  WRITERS,
} from './settings';

/** Secret with the Jaeger user for Elasticsearch's file realm. */
export const JAEGER_ES_USER_SECRET = 'jaeger-elasticsearch-user';

/** Size of each Elasticsearch node; heap is half the memory, as Elastic advises. */
const NODE = { count: 3, cpu: '2', memory: '8Gi', heap: '4g', disk: '200Gi' } as const;

export { ECK_METRICS_PORT } from './settings';

/** ECK, pinned; it installs the Elastic Stack CRDs. */
export function eckOperatorRelease(): HelmRelease {
  const values: EckOperatorChartValues = {
    // Manage only the logging namespace: least privilege for the operator.
    managedNamespaces: [LOGGING_NAMESPACE],
    createClusterScopedResources: true,
    // Plain HTTP inside the logging namespace, scraped by the PodMonitor (secure mode would exclude it).
    config: { metrics: { port: ECK_METRICS_PORT } },
    podLabels: teamLabels(LOGGING_TEAM),
    podMonitor: { enabled: true },
    resources: { requests: { cpu: '100m', memory: '150Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  };
  return {
    name: 'eck-operator',
    repoURL: 'https://helm.elastic.co',
    chart: 'eck-operator',
    version: '3.5.0',
    namespace: LOGGING_NAMESPACE,
    values,
    providesCrds: ECK_CRDS,
    serverSideApply: true,
    // Its PodMonitor needs the Prometheus operator's CRDs.
    requires: ['kube-prometheus-stack'],
  };
}

/** A writing user of Elasticsearch's file realm; the password comes from the cloud secret store. */
function writerUser(
  scope: Construct,
  cluster: ClusterSpec,
  name: string,
  writer: (typeof WRITERS)[keyof typeof WRITERS],
  secret: 'fluent-bit-elasticsearch' | 'jaeger-elasticsearch',
) {
  new CloudSecret(scope, name, {
    name,
    namespace: LOGGING_NAMESPACE,
    remoteKey: secretName(cluster, secret),
    keys: { password: undefined },
    type: 'kubernetes.io/basic-auth',
    templateData: { username: writer.user, password: '{{ .password }}', roles: writer.role },
  });
}

/** Elasticsearch's config directory in its image: its repository clients read files only under it. */
const ELASTICSEARCH_CONFIG_DIR = '/usr/share/elasticsearch/config';

/** The Secret of keystore settings the snapshot client needs beyond its identity (Azure's account name). */
const SNAPSHOT_CLIENT_SECRET = 'elasticsearch-snapshot-client';

/**
 * The ServiceAccount the Elasticsearch nodes run as, bound to the `elasticsearch` cloud identity
 * (the stack trusts exactly this one); its token is mounted only where the snapshot client reads it.
 */
function nodeServiceAccount(scope: Construct, identity: WorkloadIdentityBinding) {
  new k8s.KubeServiceAccount(scope, 'node-service-account', {
    metadata: {
      name: ELASTICSEARCH_WORKLOAD.serviceAccount,
      namespace: LOGGING_NAMESPACE,
      annotations: { ...identity.serviceAccountAnnotations },
      labels: { ...identity.serviceAccountLabels },
    },
    automountServiceAccountToken: false,
  });
}

/**
 * Keystore settings of the snapshot client, where the cloud has any: not credentials (the profile's
 * `keystoreSettings` says so), but ECK fills the keystore only from Secrets, so they are rendered
 * as one, exempted from the rule against Secrets in git with that reason.
 */
function snapshotClientSecret(scope: Construct, storage: LogSnapshotStorage): boolean {
  const keys = Object.keys(storage.keystoreSettings);
  if (keys.length === 0) return false;
  new k8s.KubeSecret(scope, 'snapshot-client', {
    metadata: {
      name: SNAPSHOT_CLIENT_SECRET,
      namespace: LOGGING_NAMESPACE,
      annotations: {
        [EXEMPT_ANNOTATION]:
          `SECRET-IN-GIT=${keys.join(', ')}: the snapshot client's storage account name, public in every ` +
          'blob URL and no credential (the workload identity is); Elasticsearch reads it from its keystore only, ' +
          'which ECK fills from Secrets only',
      },
    },
    type: 'Opaque',
    stringData: { ...storage.keystoreSettings },
  });
  return true;
}

/** The Elasticsearch cluster holding the logs (and Jaeger's spans), on the cloud's fast volumes. */
function elasticsearch(
  scope: Construct,
  profile: CloudProfile,
  storage: LogSnapshotStorage,
  identity: WorkloadIdentityBinding,
  keystore: boolean,
) {
  const token = storage.token;
  const tokenDir = token && `${ELASTICSEARCH_CONFIG_DIR}/${token.configSubdirectory}`;
  const env = {
    ...storage.env,
    ...(token && tokenDir ? { [token.fileEnv]: `${tokenDir}/${token.file}` } : {}),
  };
  typedObject<IElasticsearch>(scope, 'elasticsearch', {
    apiVersion: 'elasticsearch.k8s.elastic.co/v1',
    kind: 'Elasticsearch',
    metadata: { name: ELASTICSEARCH.name, namespace: LOGGING_NAMESPACE },
    spec: {
      version: ELASTIC_VERSION,
      http: { tls: { certificate: { secretName: ELASTICSEARCH.httpCertificateSecret } } },
      auth: { fileRealm: [{ secretName: FLUENT_BIT_ES_SECRET }, { secretName: JAEGER_ES_USER_SECRET }] },
      ...(keystore ? { secureSettings: [{ secretName: SNAPSHOT_CLIENT_SECRET }] } : {}),
      nodeSets: [
        {
          name: 'default',
          count: NODE.count,
          config: {
            // No mmap: avoids a privileged init container raising vm.max_map_count on the node.
            'node.store.allow_mmap': false,
            // The snapshot repository's client (the S3 region).
            ...storage.nodeConfig,
          },
          podTemplate: {
            // Azure's identity webhook selects pods by label.
            ...(Object.keys(identity.podLabels).length > 0
              ? { metadata: { labels: { ...identity.podLabels } } }
              : {}),
            spec: {
              // The snapshot repository authenticates as this ServiceAccount's cloud identity.
              serviceAccountName: ELASTICSEARCH_WORKLOAD.serviceAccount,
              containers: [
                {
                  name: 'elasticsearch',
                  env: [
                    { name: 'ES_JAVA_OPTS', value: `-Xms${NODE.heap} -Xmx${NODE.heap}` },
                    ...Object.entries(env)
                      .sort(([a], [b]) => (a < b ? -1 : 1))
                      .map(([name, value]) => ({ name, value })),
                  ],
                  ...(token && tokenDir
                    ? { volumeMounts: [{ name: token.volume, mountPath: tokenDir, readOnly: true }] }
                    : {}),
                  resources: {
                    requests: { cpu: NODE.cpu, memory: NODE.memory },
                    limits: { memory: NODE.memory },
                  },
                },
              ],
              ...(token
                ? {
                    volumes: [
                      {
                        name: token.volume,
                        projected: {
                          sources: [
                            {
                              serviceAccountToken: {
                                audience: token.audience,
                                expirationSeconds: 3600,
                                path: token.file,
                              },
                            },
                          ],
                        },
                      },
                    ],
                  }
                : {}),
              topologySpreadConstraints: [
                {
                  maxSkew: 1,
                  topologyKey: 'topology.kubernetes.io/zone',
                  whenUnsatisfiable: 'DoNotSchedule',
                  labelSelector: {
                    matchLabels: { 'elasticsearch.k8s.elastic.co/cluster-name': ELASTICSEARCH.name },
                  },
                },
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: 'elasticsearch-data' },
              spec: {
                accessModes: ['ReadWriteOnce'],
                storageClassName: profile.storageClass('fast'),
                resources: { requests: { storage: NODE.disk } },
              },
            },
          ],
        },
      ],
      updateStrategy: { changeBudget: { maxUnavailable: 1 } },
    },
  });
}

/** Kibana on the log cluster; ECK wires its credentials and the cluster's CA. */
function kibana(scope: Construct) {
  typedObject<IKibana>(scope, 'kibana', {
    apiVersion: 'kibana.k8s.elastic.co/v1',
    kind: 'Kibana',
    metadata: { name: KIBANA_NAME, namespace: LOGGING_NAMESPACE },
    spec: {
      version: ELASTIC_VERSION,
      count: 2,
      elasticsearchRef: { name: ELASTICSEARCH.name },
      podTemplate: {
        spec: {
          containers: [
            {
              name: 'kibana',
              resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
            },
          ],
        },
      },
    },
  });
}

/**
 * Logs of every pod in Elasticsearch: Fluent Bit ships them, ECK runs
 * Elasticsearch and Kibana, index lifecycle keeps them for the fleet's
 * retention, and SLM snapshots them to the cluster's log-snapshots bucket as
 * the nodes' own cloud identity (./snapshots.ts).
 */
export class LoggingChart extends PlatformChart {
  constructor(scope: Construct, props: ComponentProps) {
    super(scope, 'logging', props);
    const { cluster, profile, fleet } = props;
    writerUser(this, cluster, FLUENT_BIT_ES_SECRET, WRITERS.fluentBit, 'fluent-bit-elasticsearch');
    writerUser(this, cluster, JAEGER_ES_USER_SECRET, WRITERS.jaeger, 'jaeger-elasticsearch');
    new CloudSecret(this, 'http-certificate', {
      name: ELASTICSEARCH.httpCertificateSecret,
      namespace: LOGGING_NAMESPACE,
      remoteKey: secretName(cluster, 'elasticsearch-http-tls'),
      keys: { 'tls.crt': 'tls.crt', 'tls.key': 'tls.key', 'ca.crt': 'ca.crt' },
    });
    const snapshots = profile.logSnapshotStorage();
    const identity = profile.workloadIdentity(ELASTICSEARCH_WORKLOAD.name);
    nodeServiceAccount(this, identity);
    const keystore = snapshotClientSecret(this, snapshots);
    elasticsearch(this, profile, snapshots, identity, keystore);
    kibana(this);
    new LogLifecycleSetup(this, 'lifecycle', {
      fleet,
      snapshots,
      namespace: LOGGING_NAMESPACE,
      labels: { 'app.kubernetes.io/name': 'elasticsearch-setup', 'app.kubernetes.io/component': 'logging' },
    });
  }
}

export const loggingComponent: Component = {
  name: 'logging',
  project: 'platform',
  build: (scope, props) => new LoggingChart(scope, props),
  helmReleases: ({ cluster }) => [eckOperatorRelease(), fluentBitRelease(cluster)],
  contributes: (props) => ({ ...loggingContribution(props), chartObjects: loggingChartObjects() }),
};
