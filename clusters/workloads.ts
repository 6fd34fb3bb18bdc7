import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudWorkloadDeclaration, SecretKey } from '../platform/kernel/contribution';
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
  /** Clouds whose clusters keep the secret; every cloud when absent. */
  readonly clouds?: readonly Cloud[];
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
  {
    key: 'cloud-pricing-api-key',
    description:
      'API key OpenCost reads the Cloud Billing Catalog API with (GCP only: that API takes a key, not an identity)',
    clouds: ['gcp'],
  },
];

/** The platform's secrets a cluster of `cloud` keeps. */
export function platformSecretsFor(cloud: Cloud): readonly PlatformSecret[] {
  return PLATFORM_SECRETS.filter((secret) => secret.clouds?.includes(cloud) ?? true);
}

/** A workload with a cloud identity, as its component declares it (platform/kernel/contribution.ts). */
export type CloudWorkload = CloudWorkloadDeclaration;

/** The folders whose sub-folders are components (and the cloud add-ons, platform/clouds). */
const COMPONENT_ROOTS = ['apps', 'platform'] as const;

/** The file in which a component folder declares its workloads with a cloud identity. */
const CLOUD_WORKLOADS_FILE = 'cloud-workloads.ts';

/**
 * Every workload with a cloud identity, as the components declare them: the `CLOUD_WORKLOADS` of
 * each component folder's cloud-workloads.ts (plain data, loading no chart), collected by looking
 * at the folders, so a component that adds one edits nothing else. The Terraform stacks read them
 * from here without loading any chart; test/platform/declarations.test.ts fails when a component's
 * `contributes()` declares other workloads than its file.
 */
export function collectCloudWorkloads(repository: string = join(__dirname, '..')): CloudWorkload[] {
  const workloads = COMPONENT_ROOTS.flatMap((root) =>
    readdirSync(join(repository, root), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(root, entry.name, CLOUD_WORKLOADS_FILE))
      .filter((file) => existsSync(join(repository, file)))
      .sort()
      .flatMap((file) => {
        // A plain-data module found on disk: required by path, since no import names it.
        const declared = (require(join(repository, file)) as { CLOUD_WORKLOADS?: readonly CloudWorkload[] })
          .CLOUD_WORKLOADS;
        if (!Array.isArray(declared)) throw new Error(`${file}: exports no CLOUD_WORKLOADS list`);
        return declared;
      }),
  );
  const names = workloads.map((w) => w.name);
  const twice = names.filter((name, i) => names.indexOf(name) !== i);
  if (twice.length > 0) throw new Error(`cloud workloads declared twice: ${[...new Set(twice)].join(', ')}`);
  return workloads;
}

export const CLOUD_WORKLOADS: readonly CloudWorkload[] = collectCloudWorkloads();

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
