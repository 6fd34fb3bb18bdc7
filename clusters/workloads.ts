import type { Cloud } from './types';

/**
 * The platform's workloads that act on the cloud, and what each may touch.
 * The CDKTF stacks create one cloud identity per entry with exactly these
 * grants; the charts create the Kubernetes ServiceAccount named here and
 * annotate it through the cloud profile. Both read this list, so the
 * ServiceAccount a role trusts and the ServiceAccount a pod runs as agree.
 */

/** The platform's object storage buckets (Azure: containers of one storage account). */
export type BucketRole = 'models' | 'data-lake' | 'backups';

/** The platform's secrets. Their values are set in the cloud's secret store, never in git. */
export type SecretKey =
  | 'gateway-api-keys'
  | 'argocd-slack-token'
  | 'redis-auth-token'
  | 'istio-ca'
  | 'prediction-api-tls'
  | 'alertmanager-slack'
  | 'alertmanager-smtp'
  | 'grafana-admin'
  | 'fluent-bit-elasticsearch'
  | 'jaeger-elasticsearch'
  | 'elasticsearch-http-tls';

/** Container images the platform builds or mirrors into each cluster's registry. */
export const PLATFORM_IMAGES = [
  'gateway',
  'data-sync',
  'tensorflow-serving',
  'feast-feature-server',
  'batch-predictor',
] as const;
export type PlatformImage = (typeof PLATFORM_IMAGES)[number];

/** A secret the platform keeps in each cluster's secret store. */
export interface PlatformSecret {
  /** Key of the secret; the cloud name is `secretName(cluster, key)`. */
  readonly key: SecretKey;
  /** What the secret holds, recorded as its description in the secret store. */
  readonly description: string;
}

export const PLATFORM_SECRETS: readonly PlatformSecret[] = [
  {
    key: 'gateway-api-keys',
    description: 'API keys the prediction gateway accepts (JSON list of hashed keys)',
  },
  {
    key: 'argocd-slack-token',
    description: 'Slack bot token Argo CD notifications post with',
  },
  {
    key: 'redis-auth-token',
    description: 'AUTH token of the managed Redis (gateway rate limits, feature store)',
  },
  {
    key: 'istio-ca',
    description:
      'Istio intermediate CA of the cluster, signed by the mesh root (JSON: ca-cert, ca-key, root-cert, cert-chain)',
  },
  {
    key: 'prediction-api-tls',
    description: 'TLS certificate and key of the prediction API host (JSON: tls.crt, tls.key)',
  },
  { key: 'alertmanager-slack', description: 'Slack incoming-webhook URL Alertmanager posts to' },
  { key: 'alertmanager-smtp', description: 'Password of the SMTP user Alertmanager sends mail as' },
  { key: 'grafana-admin', description: 'Grafana admin password' },
  {
    key: 'fluent-bit-elasticsearch',
    description: 'Password of the Elasticsearch user Fluent Bit writes logs as',
  },
  { key: 'jaeger-elasticsearch', description: 'Password of the Elasticsearch user Jaeger writes spans as' },
  {
    key: 'elasticsearch-http-tls',
    description:
      'HTTP certificate of the log cluster, issued by the platform CA (JSON: tls.crt, tls.key, ca.crt)',
  },
];

/** Access a workload has to a bucket. */
export type BucketAccess = 'read' | 'read-write';

/**
 * A permission set a cloud vendor publishes for one of its own controllers,
 * granted as published; the stack of that cloud holds the document.
 */
export type VendorPolicy = 'aws-load-balancer-controller';

/** A workload with a cloud identity (IRSA role, Google service account, Azure managed identity). */
export interface CloudWorkload {
  /** Workload name; the cloud identity is `workloadIdentityName(cluster, name)`. */
  readonly name: string;
  /** Namespace of the workload's Kubernetes ServiceAccount. */
  readonly namespace: string;
  /** Name of the Kubernetes ServiceAccount the workload's pods run as. */
  readonly serviceAccount: string;
  /** Buckets the workload uses and how; nothing else is granted. */
  readonly buckets: readonly { readonly bucket: BucketRole; readonly access: BucketAccess }[];
  /** Secrets the workload reads; `all` for the one that copies every secret into the cluster. */
  readonly secrets: readonly SecretKey[] | 'all';
  /**
   * Clouds whose clusters run the workload; every cloud when absent. A
   * cloud's own controller gets an identity on that cloud only.
   */
  readonly clouds?: readonly Cloud[];
  /** The vendor's published policy for the workload, granted besides its buckets and secrets. */
  readonly vendorPolicy?: VendorPolicy;
  /**
   * Whether the workload writes the cluster's analytics dataset (BigQuery, GCP clusters only).
   * No workload of the platform does today, so the dataset has no writer.
   */
  readonly writesAnalytics?: boolean;
}

export const CLOUD_WORKLOADS: readonly CloudWorkload[] = [
  {
    name: 'model-serving',
    namespace: 'ml-serving',
    serviceAccount: 'model-serving',
    buckets: [{ bucket: 'models', access: 'read' }],
    secrets: [],
  },
  {
    name: 'data-sync',
    namespace: 'ml-serving',
    serviceAccount: 'data-sync',
    buckets: [
      { bucket: 'models', access: 'read-write' },
      { bucket: 'data-lake', access: 'read-write' },
    ],
    secrets: [],
  },
  {
    // Reads features from the data lake for the online store's registry.
    name: 'feature-store',
    namespace: 'ml-serving',
    serviceAccount: 'feature-store',
    buckets: [{ bucket: 'data-lake', access: 'read' }],
    secrets: [],
  },
  {
    // Reads batch inputs and writes predictions in the data lake.
    name: 'batch-prediction',
    namespace: 'ml-serving',
    serviceAccount: 'batch-prediction',
    buckets: [{ bucket: 'data-lake', access: 'read-write' }],
    secrets: [],
  },
  {
    // Copies the platform's secrets from the cloud secret store into the cluster.
    name: 'external-secrets',
    namespace: 'external-secrets',
    serviceAccount: 'external-secrets',
    buckets: [],
    secrets: 'all',
  },
  {
    name: 'gateway',
    namespace: 'ml-platform',
    serviceAccount: 'gateway',
    buckets: [],
    secrets: ['gateway-api-keys'],
  },
  {
    // Writes the cluster's Velero backups (platform/backup) and reads them back to restore.
    name: 'velero',
    namespace: 'velero',
    serviceAccount: 'velero-server',
    buckets: [{ bucket: 'backups', access: 'read-write' }],
    secrets: [],
  },
  {
    // Provisions the NLBs the AWS profile's Service annotations ask for (platform/clouds/aws.ts).
    name: 'aws-load-balancer-controller',
    namespace: 'kube-system',
    serviceAccount: 'aws-load-balancer-controller',
    buckets: [],
    secrets: [],
    clouds: ['aws'],
    vendorPolicy: 'aws-load-balancer-controller',
  },
];

/** The workloads with an identity on a cluster of `cloud`; stacks and profiles of that cloud read only these. */
export function cloudWorkloadsFor(cloud: Cloud): readonly CloudWorkload[] {
  return CLOUD_WORKLOADS.filter((workload) => workload.clouds?.includes(cloud) ?? true);
}

/** The workload entry by name; throws naming the known workloads when there is none. */
export function cloudWorkload(name: string): CloudWorkload {
  const workload = CLOUD_WORKLOADS.find((w) => w.name === name);
  if (!workload) {
    throw new Error(
      `unknown cloud workload "${name}"; known: ${CLOUD_WORKLOADS.map((w) => w.name).join(', ')} (clusters/workloads.ts)`,
    );
  }
  return workload;
}

/** The subject a projected ServiceAccount token carries, as cloud trust policies match it. */
export function serviceAccountSubject(workload: CloudWorkload): string {
  return `system:serviceaccount:${workload.namespace}:${workload.serviceAccount}`;
}
