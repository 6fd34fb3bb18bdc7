/**
 * Prints the fleet as the workflows' job matrices need it, one JSON line:
 * every cluster with its cloud, Terraform stack folder, gateway image
 * repository and served models. Workflows read names from the fleet instead of repeating them.
 *
 *   npx tsx .github/scripts/fleet-matrix.ts
 */
import { loadDeclaredFleet } from '../../clusters';
import { profileFor } from '../../platform/clouds';

const fleet = loadDeclaredFleet();
const include = fleet.clusters.map((cluster) => {
  const profile = profileFor(cluster);
  return {
    cluster: cluster.name,
    cloud: cluster.cloud,
    region: cluster.region,
    stack: `dist/terraform/${cluster.name}`,
    registry: profile.registryHost(),
    gatewayRepository: profile.imageRepository('gateway'),
    models: cluster.models.map((m) => m.model),
  };
});
process.stdout.write(`${JSON.stringify({ include })}\n`);
