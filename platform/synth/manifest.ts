import { toStableJson } from './serialize';

export const MANIFEST_FILE = 'manifest.json';

/** One entry of dist/manifest.json: a rendered file, what it holds and the code that produced it. */
export interface ManifestEntry {
  readonly file: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly cluster: string;
  readonly component: string;
  readonly constructPath: string;
}

export interface Manifest {
  readonly resources: readonly ManifestEntry[];
}

/** The manifest of the given files, in the order given. */
export function buildManifest(resources: readonly ManifestEntry[]): Manifest {
  return {
    resources: resources.map(
      ({ file, apiVersion, kind, namespace, name, cluster, component, constructPath }) => ({
        file,
        apiVersion,
        kind,
        ...(namespace ? { namespace } : {}),
        name,
        cluster,
        component,
        constructPath,
      }),
    ),
  };
}

export function manifestJson(resources: readonly ManifestEntry[]): string {
  return toStableJson(buildManifest(resources));
}
