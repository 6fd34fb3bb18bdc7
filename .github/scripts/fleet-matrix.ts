/**
 * Prints the fleet as the workflows' job matrices need it, one JSON line:
 * every cluster with its cloud, Terraform stack folder, GitHub environment,
 * Kubernetes version (as kubeconform's `-kubernetes-version` wants it),
 * image repositories (gateway, batch predictor) and served models, and the Terraform CLI version
 * every job installs. Workflows read names and versions from here instead of
 * repeating them.
 *
 *   npx tsx .github/scripts/fleet-matrix.ts
 */
import { loadDeclaredFleet } from '../../clusters';
import type { Fleet } from '../../clusters/types';
import { TERRAFORM_VERSION } from '../../infra/terraform-version';
import { profileFor } from '../../platform/clouds';

/** The GitHub environment whose approval holds a cluster's `terraform apply`. */
export function applyEnvironment(cluster: string): string {
  return `infra-${cluster}`;
}

/** One matrix entry per cluster; the workflows use the fields by these names. */
export function fleetMatrix(fleet: Fleet) {
  const include = fleet.clusters.map((cluster) => {
    const profile = profileFor(cluster);
    return {
      cluster: cluster.name,
      cloud: cluster.cloud,
      region: cluster.region,
      stack: `dist/terraform/${cluster.name}`,
      environment: applyEnvironment(cluster.name),
      // The fleet names a minor version (1.35); kubeconform wants a full one and reads the
      // schemas of `v<version>-standalone-strict`, published per minor as X.Y.0.
      kubernetesVersion: `${cluster.kubernetesVersion}.0`,
      terraformVersion: TERRAFORM_VERSION,
      registry: profile.registryHost(),
      gatewayRepository: profile.imageRepository('gateway'),
      batchPredictorRepository: profile.imageRepository('batch-predictor'),
      models: cluster.models.map((m) => m.model),
    };
  });
  return { include };
}

if (require.main === module) {
  process.stdout.write(`${JSON.stringify(fleetMatrix(loadDeclaredFleet()))}\n`);
}
