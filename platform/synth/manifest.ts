import type { RenderedResource } from './render';
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

export function buildManifest(resources: readonly RenderedResource[]): Manifest {
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

export function manifestJson(resources: readonly RenderedResource[]): string {
  return toStableJson(buildManifest(resources));
}
