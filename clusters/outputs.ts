import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ClusterSpec } from './types';

/**
 * Values that exist only after `terraform apply` (an Azure managed identity's
 * client id, the database and Redis endpoints). They are recorded per cluster
 * in `clusters/<cluster>.outputs.json`, written by
 * `npm run infra:outputs -- --stack <cluster>` from `terraform output -json`,
 * committed, and read at synthesis, so the rendered tree never depends on a
 * live cloud.
 */
export interface ClusterOutputs {
  /**
   * Set in the files shipped for the sample fleet: the values are made up and
   * only stand in until the stack is applied and its outputs recorded.
   */
  readonly placeholder?: boolean;
  /** Client id of the Azure managed identity per workload (Azure Workload Identity). */
  readonly workloadIdentityClientIds: Readonly<Record<string, string>>;
  /** HTTPS endpoint of the Kubernetes API server. */
  readonly kubernetesApiEndpoint?: string;
  /**
   * Issuer URL of the cluster's ServiceAccount tokens. Another cloud trusts
   * it to let this cluster's pods in without static keys (model replication).
   */
  readonly oidcIssuerUrl?: string;
  /** The managed PostgreSQL instance. */
  readonly database?: Endpoint;
  /**
   * The database's read replica in the paired region, where the stack keeps one (Azure).
   * After promoting it (`az postgres flexible-server replica promote`), it is the database.
   */
  readonly databaseReplica?: Endpoint;
  /** The managed Redis (primary endpoint). */
  readonly cache?: Endpoint;
  /**
   * PEM of the CA that signs the Redis server certificate, where that CA is the service's own and in
   * no system trust store (Memorystore); clients that verify TLS are given it. Absent elsewhere.
   */
  readonly cacheCaCertificate?: string;
  /**
   * Id of the cluster's VPC (AWS). The AWS Load Balancer Controller is given
   * it rather than reading instance metadata, which IMDSv2's hop limit can keep from pods.
   */
  readonly vpcId?: string;
  /**
   * Public addresses of this cluster's VPN tunnel endpoints, by the peer cluster they serve, in
   * endpoint order (infra/cross-cloud.ts): the peer's stack points its tunnels at them.
   */
  readonly vpnEndpoints?: Readonly<Record<string, readonly string[]>>;
  /**
   * Public address of the cluster's ingress gateway load balancer: an IPv4 address or a host name
   * (AWS NLBs have names). Kubernetes, not Terraform, creates that load balancer, so `npm run
   * bootstrap` records it once the ingress gateway's Service has it; the global endpoint stack
   * (infra/global/endpoint.ts) points the prediction API host and its health check at it.
   */
  readonly ingressAddress?: string;
}

/** A network endpoint inside the cluster's network. */
export interface Endpoint {
  /** Host name or private address. */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
}

const endpointSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
}) satisfies z.ZodType<Endpoint>;

export const outputsSchema = z.strictObject({
  placeholder: z.boolean().optional(),
  workloadIdentityClientIds: z.record(z.string(), z.uuid()),
  kubernetesApiEndpoint: z.url().optional(),
  oidcIssuerUrl: z.url().optional(),
  database: endpointSchema.optional(),
  databaseReplica: endpointSchema.optional(),
  cache: endpointSchema.optional(),
  cacheCaCertificate: z
    .string()
    .regex(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n?$/, 'must be PEM certificates')
    .optional(),
  vpcId: z
    .string()
    .regex(/^vpc-[0-9a-f]{8,17}$/)
    .optional(),
  vpnEndpoints: z.record(z.string(), z.array(z.ipv4()).min(1)).optional(),
  ingressAddress: z
    .union([z.ipv4(), z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/)], {
      error: 'must be an IPv4 address or a host name',
    })
    .optional(),
}) satisfies z.ZodType<ClusterOutputs>;

/** Folder holding the outputs files: the fleet's own folder, beside the cluster files. */
export const OUTPUTS_DIR = __dirname;

/** Repository-relative path of a cluster's outputs file, for messages. */
export function outputsFile(cluster: Pick<ClusterSpec, 'name'>): string {
  return `clusters/${cluster.name}.outputs.json`;
}

/** Reads a cluster's recorded outputs; a cluster that was never applied has none yet. */
export function loadClusterOutputs(cluster: Pick<ClusterSpec, 'name'>, dir = OUTPUTS_DIR): ClusterOutputs {
  const path = join(dir, `${cluster.name}.outputs.json`);
  if (!existsSync(path)) return { workloadIdentityClientIds: {} };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${outputsFile(cluster)}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = outputsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new Error(`${outputsFile(cluster)}: ${problems}`);
  }
  return parsed.data;
}

/** Outputs a chart may require; each names the Terraform output it comes from in messages. */
export type RequiredOutput = 'kubernetesApiEndpoint' | 'oidcIssuerUrl' | 'database' | 'cache' | 'vpcId';

/**
 * A recorded output a chart cannot render without; throws naming the outputs
 * file, the field and how to record it when it is missing.
 */
export function requireOutput<K extends RequiredOutput>(
  cluster: Pick<ClusterSpec, 'name'>,
  outputs: ClusterOutputs,
  key: K,
): NonNullable<ClusterOutputs[K]> {
  const value = outputs[key];
  if (value === undefined) {
    throw new Error(
      `${outputsFile(cluster)}: ${key}: missing; apply the Terraform stack "${cluster.name}" and record its ` +
        `outputs with npm run infra:outputs -- --stack ${cluster.name}`,
    );
  }
  return value as NonNullable<ClusterOutputs[K]>;
}
