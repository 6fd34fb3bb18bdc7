import { DATA_SYNC_WORKLOAD } from '../apps/data-sync/cloud-workloads';
import { GATEWAY_WORKLOAD } from '../apps/gateway/cloud-workloads';
import {
  BATCH_PREDICTION_WORKLOAD,
  FEATURE_STORE_WORKLOAD,
  MODEL_SERVING_WORKLOAD,
} from '../apps/model-serving/cloud-workloads';
import { VELERO_WORKLOAD } from '../platform/backup/cloud-workloads';
import { AWS_LOAD_BALANCER_CONTROLLER_WORKLOAD } from '../platform/clouds/cloud-workloads';
import type { CloudWorkloadDeclaration, SecretKey } from '../platform/kernel/contribution';
import { EXTERNAL_SECRETS_WORKLOAD } from '../platform/secrets/cloud-workloads';
import type { Cloud } from './types';

/**
 * The platform's workloads that act on the cloud, collected from the components that declare
 * them, and the fleet's secrets and images. The CDKTF stacks create one cloud identity per
 * workload with exactly its grants; the charts create the Kubernetes ServiceAccount it names and
 * annotate it through the cloud profile.
 */

export type {
  BucketAccess,
  BucketRole,
  SecretKey,
  VendorPolicy,
} from '../platform/kernel/contribution';

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

/** A workload with a cloud identity, as its component declares it (platform/kernel/contribution.ts). */
export type CloudWorkload = CloudWorkloadDeclaration;

/**
 * Every workload with a cloud identity, as the components declare them in their folders
 * (`cloud-workloads.ts`, returned by their `contributes()` too). Collected here because the
 * Terraform stacks read them without loading any chart; test/platform/declarations.test.ts fails
 * when a component declares one that is missing here, or this list holds one nobody declares.
 * The order is the stacks' resource order.
 */
export const CLOUD_WORKLOADS: readonly CloudWorkload[] = [
  MODEL_SERVING_WORKLOAD,
  DATA_SYNC_WORKLOAD,
  FEATURE_STORE_WORKLOAD,
  BATCH_PREDICTION_WORKLOAD,
  EXTERNAL_SECRETS_WORKLOAD,
  GATEWAY_WORKLOAD,
  VELERO_WORKLOAD,
  AWS_LOAD_BALANCER_CONTROLLER_WORKLOAD,
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
      `unknown cloud workload "${name}"; known: ${CLOUD_WORKLOADS.map((w) => w.name).join(', ')} (declared in the components' cloud-workloads.ts, collected in clusters/workloads.ts)`,
    );
  }
  return workload;
}

/** The subject a projected ServiceAccount token carries, as cloud trust policies match it. */
export function serviceAccountSubject(workload: CloudWorkload): string {
  return `system:serviceaccount:${workload.namespace}:${workload.serviceAccount}`;
}
