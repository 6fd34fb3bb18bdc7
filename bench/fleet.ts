import { fleetInput } from '../clusters';
import type { ClusterOutputs } from '../clusters/outputs';
import type { ClusterSource, ClusterSpec } from '../clusters/types';
import type { FleetInput } from '../clusters/validate';
import { CLOUD_WORKLOADS } from '../clusters/workloads';
import { type ClusterContext, contextsFrom } from '../tools/synth/render';

/** The k-th /20 block of 10.0.0.0/8, so generated clusters never overlap. */
function block(k: number): string {
  return `10.${k >> 4}.${(k & 15) << 4}.0/20`;
}

/**
 * A fleet of `size` clusters made by cycling through the declared clusters
 * with fresh names and address ranges: the same shapes the real fleet has,
 * at a scale the real fleet does not reach yet.
 */
export function syntheticFleet(size: number): FleetInput {
  const templates = fleetInput.clusters.map((c) => c.spec);
  const clusters: ClusterSource[] = Array.from({ length: size }, (_, i) => {
    const template = templates[i % templates.length];
    const name = `${template.cloud}-${i}`;
    const spec: ClusterSpec = {
      ...template,
      name,
      network: {
        vpcCidr: block(3 * i),
        podCidr: block(3 * i + 1),
        serviceCidr: block(3 * i + 2),
        meshNetwork: `net-${name}`,
      },
    };
    return { file: `clusters/${name}.ts`, spec };
  });
  // The generated fleet replicates models from its first AWS cluster, as the declared one does.
  const source = clusters.find((c) => c.spec.cloud === 'aws') ?? clusters[0];
  const settings = {
    ...fleetInput.settings,
    modelReplication: { ...fleetInput.settings.modelReplication, sourceCluster: source?.spec.name ?? '' },
  };
  return { ...fleetInput, settings, clusters };
}

/**
 * Generated clusters were never applied, so they have no recorded outputs:
 * they get made-up ones, with a client id per cloud workload.
 */
function syntheticOutputs(cluster: ClusterSpec): ClusterOutputs {
  return {
    placeholder: true,
    workloadIdentityClientIds: Object.fromEntries(
      CLOUD_WORKLOADS.map((w, i) => [w.name, `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`]),
    ),
    cache: { host: `cache.${cluster.name}.placeholder.invalid`, port: 6380 },
    oidcIssuerUrl: `https://oidc.${cluster.name}.placeholder.invalid`,
    database: { host: `database.${cluster.name}.placeholder.invalid`, port: 5432 },
    // Read by the GCP profile only: Memorystore's own CA, given to Redis clients.
    cacheCaCertificate: `-----BEGIN CERTIFICATE-----\nPLACEHOLDER/${cluster.name}/redis-server-ca\n-----END CERTIFICATE-----\n`,
    // Read by the AWS profile only (its load balancer controller is configured with the VPC).
    vpcId: 'vpc-00000000000000000',
  };
}

/** Contexts of generated clusters, each and its peers with made-up outputs. */
export const syntheticContext: (cluster: ClusterSpec) => ClusterContext = contextsFrom(syntheticOutputs);
