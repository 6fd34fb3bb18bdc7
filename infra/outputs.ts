import { createHash } from 'node:crypto';
import { type ClusterOutputs, outputsSchema } from '../clusters/outputs';

/**
 * Names of the Terraform outputs every cluster stack declares, and how
 * `terraform output -json` maps onto `clusters/<cluster>.outputs.json`. The
 * stacks declare their outputs with these names, the script reads them with
 * the same names.
 */
export const STACK_OUTPUTS = {
  kubernetesApiEndpoint: 'kubernetes_api_endpoint',
  oidcIssuerUrl: 'oidc_issuer_url',
  /** Host of PostgreSQL; stacks of clusters that declare a database only. */
  databaseHost: 'database_host',
  /** Port of PostgreSQL. */
  databasePort: 'database_port',
  /** Host of the database's read replica in the paired region; stacks that keep one only (Azure). */
  databaseReplicaHost: 'database_replica_host',
  /** Port of that replica. */
  databaseReplicaPort: 'database_replica_port',
  cacheHost: 'cache_host',
  cachePort: 'cache_port',
  /** PEM of the CA of the Redis server certificate, where it is the service's own; GCP stacks only. */
  cacheCaCertificate: 'cache_ca_certificate',
  /** Id of the cluster's VPC; AWS stacks only. */
  vpcId: 'vpc_id',
  /** Map of workload name to the client id of its Azure managed identity; Azure stacks only. */
  workloadIdentityClientIds: 'workload_identity_client_ids',
  /** Map of peer cluster to the public addresses of this cluster's VPN tunnel endpoints towards it. */
  vpnEndpoints: 'vpn_endpoints',
} as const;

/** One entry of `terraform output -json`. */
interface TerraformOutputValue {
  readonly value: unknown;
  readonly sensitive?: boolean;
  readonly type?: unknown;
}

/**
 * Converts `terraform output -json` of a stack into the cluster's outputs
 * file content. Throws naming every output that is missing or has the wrong
 * shape, so a half-applied stack is never recorded.
 */
export function outputsFromTerraform(stack: string, json: unknown): ClusterOutputs {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error(`terraform output -json of stack ${stack}: expected an object of outputs`);
  }
  const raw = json as Record<string, TerraformOutputValue | undefined>;
  const problems: string[] = [];
  const value = (name: string): unknown => {
    const entry = raw[name];
    if (entry === undefined || entry === null || typeof entry !== 'object' || !('value' in entry)) {
      problems.push(`output "${name}" is missing`);
      return undefined;
    }
    if (entry.sensitive) problems.push(`output "${name}" is sensitive and must not be recorded in git`);
    return entry.value;
  };
  const port = (name: string): number => {
    const v = value(name);
    const n = typeof v === 'string' ? Number(v) : v;
    return typeof n === 'number' ? n : Number.NaN;
  };
  const candidate = {
    workloadIdentityClientIds:
      STACK_OUTPUTS.workloadIdentityClientIds in raw ? value(STACK_OUTPUTS.workloadIdentityClientIds) : {},
    kubernetesApiEndpoint: value(STACK_OUTPUTS.kubernetesApiEndpoint),
    oidcIssuerUrl: value(STACK_OUTPUTS.oidcIssuerUrl),
    // Only stacks with a database declare its host; one that does must declare the port as well.
    ...(STACK_OUTPUTS.databaseHost in raw
      ? { database: { host: value(STACK_OUTPUTS.databaseHost), port: port(STACK_OUTPUTS.databasePort) } }
      : {}),
    cache: { host: value(STACK_OUTPUTS.cacheHost), port: port(STACK_OUTPUTS.cachePort) },
    ...(STACK_OUTPUTS.vpcId in raw ? { vpcId: value(STACK_OUTPUTS.vpcId) } : {}),
    ...(STACK_OUTPUTS.vpnEndpoints in raw ? { vpnEndpoints: value(STACK_OUTPUTS.vpnEndpoints) } : {}),
    ...(STACK_OUTPUTS.cacheCaCertificate in raw
      ? { cacheCaCertificate: value(STACK_OUTPUTS.cacheCaCertificate) }
      : {}),
    // Only stacks with a replica declare its host; one that does must declare the port as well.
    ...(STACK_OUTPUTS.databaseReplicaHost in raw
      ? {
          databaseReplica: {
            host: value(STACK_OUTPUTS.databaseReplicaHost),
            port: port(STACK_OUTPUTS.databaseReplicaPort),
          },
        }
      : {}),
  };
  if (problems.length === 0) {
    const parsed = outputsSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
    problems.push(...parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  throw new Error(`terraform output -json of stack ${stack}: ${problems.join('; ')}`);
}

/**
 * Made-up outputs for a stack that was never applied, marked `placeholder`,
 * derived from the outputs the rendered stack declares (the Terraform JSON),
 * so every value a chart may ask for exists and is obviously not real:
 * hosts under `.invalid`, client ids from a hash of stack and workload.
 */
export function placeholderOutputs(stack: string, terraformJson: unknown): ClusterOutputs {
  const declared = ((terraformJson as { output?: Record<string, { value: unknown }> }).output ??
    {}) as Record<string, { value: unknown }>;
  const clientIds = declared[STACK_OUTPUTS.workloadIdentityClientIds]?.value;
  const workloads = clientIds && typeof clientIds === 'object' ? Object.keys(clientIds).sort() : [];
  return {
    placeholder: true,
    workloadIdentityClientIds: Object.fromEntries(
      workloads.map((workload) => [workload, placeholderUuid(`${stack}/${workload}`)]),
    ),
    kubernetesApiEndpoint: `https://api.${stack}.placeholder.invalid`,
    oidcIssuerUrl: `https://oidc.${stack}.placeholder.invalid`,
    ...(STACK_OUTPUTS.databaseHost in declared
      ? { database: { host: `database.${stack}.placeholder.invalid`, port: 5432 } }
      : {}),
    ...(STACK_OUTPUTS.databaseReplicaHost in declared
      ? { databaseReplica: { host: `database-replica.${stack}.placeholder.invalid`, port: 5432 } }
      : {}),
    cache: { host: `cache.${stack}.placeholder.invalid`, port: placeholderCachePort(stack, declared) },
    // Shaped like PEM so the clients' CA files render; no TLS library would load it.
    ...(STACK_OUTPUTS.cacheCaCertificate in declared
      ? {
          cacheCaCertificate: `-----BEGIN CERTIFICATE-----\nPLACEHOLDER/${stack}/redis-server-ca\n-----END CERTIFICATE-----\n`,
        }
      : {}),
    // A well-formed id no VPC has: hex digits from a hash of the stack, like the client ids.
    ...(STACK_OUTPUTS.vpcId in declared
      ? { vpcId: `vpc-${createHash('sha256').update(`${stack}/vpc`).digest('hex').slice(0, 17)}` }
      : {}),
    // Addresses from TEST-NET-3 (203.0.113.0/24, RFC 5737), which no gateway has.
    ...(STACK_OUTPUTS.vpnEndpoints in declared
      ? { vpnEndpoints: placeholderEndpoints(stack, declared[STACK_OUTPUTS.vpnEndpoints].value) }
      : {}),
  };
}

/** As many documentation addresses per peer as the stack declares endpoints, from a hash of stack, peer and index. */
function placeholderEndpoints(stack: string, declared: unknown): Record<string, string[]> {
  const byPeer = (declared ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(byPeer)
      .sort()
      .map((peer) => {
        const count = Array.isArray(byPeer[peer]) ? (byPeer[peer] as unknown[]).length : 0;
        return [
          peer,
          Array.from({ length: count }, (_, i) => {
            const octet = createHash('sha256').update(`${stack}/${peer}/${i}`).digest()[0];
            return `203.0.113.${octet}`;
          }),
        ];
      }),
  );
}

/**
 * The TLS port each managed Redis listens on, by the Terraform resource type the stack's
 * `cache_port` output reads: the placeholder must carry the port clients and network policies
 * will use once the real value is recorded.
 */
const REDIS_TLS_PORT: Readonly<Record<string, number>> = {
  aws_elasticache_replication_group: 6379,
  google_redis_instance: 6378,
  azurerm_managed_redis: 10000,
};

function placeholderCachePort(stack: string, declared: Record<string, { value: unknown }>): number {
  const reference = String(declared[STACK_OUTPUTS.cachePort]?.value ?? '');
  const type = /^\$\{([a-z0-9_]+)\./.exec(reference)?.[1] ?? '';
  const port = REDIS_TLS_PORT[type];
  if (port === undefined) {
    throw new Error(
      `stack ${stack}: output ${STACK_OUTPUTS.cachePort} reads "${reference}", a cache whose port is not known; ` +
        `known: ${Object.keys(REDIS_TLS_PORT).join(', ')} (infra/outputs.ts)`,
    );
  }
  return port;
}

/** A version-4-shaped UUID from a hash of `seed`: stable across runs and machines. */
function placeholderUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
