/**
 * How `npm run validate -- --kubeconform` (and the benchmark, side by side
 * with it) starts kubeconform: strict, for the fleet's Kubernetes version,
 * against local schema locations only.
 */

/** The one Kubernetes minor the fleet declares, as kubeconform wants it (`1.35.0`). */
export function fleetKubernetesVersion(): string {
  // Loaded when asked for: the fleet is not needed to validate files. A require, not import(): the
  // commands run with tsx's CommonJS hooks only (package.json), which do not see an import().
  const { fleetInput } = require('../../clusters') as typeof import('../../clusters');
  const versions = [...new Set(fleetInput.clusters.map((c) => c.spec.kubernetesVersion))];
  if (versions.length !== 1)
    throw new Error(
      `the fleet declares several Kubernetes versions (${versions.join(', ')}); run per cluster`,
    );
  return `${versions[0]}.0`;
}

/** kubeconform's arguments for the check `npm run validate` makes, on the given files and folders. */
export function kubeconformArguments(
  kubernetesVersion: string,
  schemaLocations: readonly string[],
  paths: readonly string[],
): string[] {
  return [
    '-strict',
    '-summary',
    '-kubernetes-version',
    kubernetesVersion,
    ...schemaLocations.flatMap((location) => ['-schema-location', location]),
    // dist/ also holds the synthesis manifest, the component declarations and the Terraform JSON,
    // which are not Kubernetes objects.
    '-ignore-filename-pattern',
    'manifest\\.json$',
    '-ignore-filename-pattern',
    'contributions\\.json$',
    '-ignore-filename-pattern',
    'terraform/',
    ...paths,
  ];
}
