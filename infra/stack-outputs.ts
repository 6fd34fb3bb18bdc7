import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { STACK_OUTPUTS } from './outputs';

/** The values every cluster stack exports; `npm run infra:outputs` records them per cluster. */
export interface StackOutputValues {
  /** HTTPS URL of the Kubernetes API server. */
  readonly kubernetesApiEndpoint: string;
  /** Issuer URL of the cluster's ServiceAccount tokens (OIDC discovery). */
  readonly oidcIssuerUrl: string;
  /**
   * Private host name or address and port of PostgreSQL, for stacks of clusters that declare a
   * database; host and port together or neither.
   */
  readonly database?: { readonly host: string; readonly port: number | string };
  /**
   * The database's read replica in the paired region, for stacks that keep one (Azure): the
   * endpoint to record as the database after promoting it. Host and port together or neither.
   */
  readonly databaseReplica?: { readonly host: string; readonly port: number | string };
  /** Private host name or address of Redis' primary endpoint. */
  readonly cacheHost: string;
  /** Redis TLS port. */
  readonly cachePort: number | string;
  /** PEM of the Redis server's CA, where the service has its own (Memorystore). */
  readonly cacheCaCertificate?: string;
  /** Id of the cluster's VPC, for controllers that cannot ask instance metadata for it; AWS stacks only. */
  readonly vpcId?: string;
  /** Client ids of Azure managed identities by workload; clouds with other identity schemes leave it out. */
  readonly workloadIdentityClientIds?: Readonly<Record<string, string>>;
  /** Public addresses of the VPN tunnel endpoints by peer cluster (infra/cross-cloud.ts); every stack has a VPN. */
  readonly vpnEndpoints: Readonly<Record<string, readonly string[]>>;
}

/** Declares the stack's outputs under the names the outputs script reads. */
export function declareStackOutputs(scope: Construct, values: StackOutputValues): void {
  const entries: [keyof typeof STACK_OUTPUTS, unknown, string][] = [
    ['kubernetesApiEndpoint', values.kubernetesApiEndpoint, 'Kubernetes API server URL'],
    ['oidcIssuerUrl', values.oidcIssuerUrl, 'Issuer URL of the cluster ServiceAccount tokens'],
    ['cacheHost', values.cacheHost, 'Redis primary endpoint host'],
    ['cachePort', values.cachePort, 'Redis TLS port'],
  ];
  if (values.database) {
    entries.push(
      ['databaseHost', values.database.host, 'PostgreSQL host'],
      ['databasePort', values.database.port, 'PostgreSQL port'],
    );
  }
  if (values.databaseReplica) {
    entries.push(
      ['databaseReplicaHost', values.databaseReplica.host, 'PostgreSQL read replica host (paired region)'],
      ['databaseReplicaPort', values.databaseReplica.port, 'PostgreSQL read replica port'],
    );
  }
  if (values.cacheCaCertificate) {
    entries.push([
      'cacheCaCertificate',
      values.cacheCaCertificate,
      'CA certificate(s) of the Redis server, PEM',
    ]);
  }
  if (values.vpcId) entries.push(['vpcId', values.vpcId, 'Id of the VPC the cluster runs in']);
  if (values.workloadIdentityClientIds) {
    entries.push([
      'workloadIdentityClientIds',
      values.workloadIdentityClientIds,
      'Client id of the managed identity per workload',
    ]);
  }
  entries.push([
    'vpnEndpoints',
    values.vpnEndpoints,
    'Public addresses of the VPN tunnel endpoints, by peer cluster, in endpoint order',
  ]);
  for (const [key, value, description] of entries) {
    new TerraformOutput(scope, STACK_OUTPUTS[key], { value, description });
  }
}
