import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { toStableJson } from '../../platform/kernel/serialize';
import { MANIFEST_FILE } from './layout';

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

/**
 * What dist/manifest.json says about a rendered file (cluster, component and
 * the construct that produced it), found from the manifest of the tree the file
 * sits in, so reports can point back at the code. Manifests are read once each.
 */
export function manifestEntryLookup(): (file: string) => ManifestEntry | undefined {
  const manifests = new Map<string, Map<string, ManifestEntry> | null>();
  const manifestFor = (dir: string): { root: string; entries: Map<string, ManifestEntry> } | undefined => {
    for (let current = dir; ; current = dirname(current)) {
      if (!manifests.has(current)) {
        const path = join(current, MANIFEST_FILE);
        manifests.set(
          current,
          existsSync(path)
            ? new Map((JSON.parse(readFileSync(path, 'utf8')) as Manifest).resources.map((r) => [r.file, r]))
            : null,
        );
      }
      const entries = manifests.get(current);
      if (entries) return { root: current, entries };
      if (dirname(current) === current) return undefined;
    }
  };
  return (file) => {
    const absolute = resolve(file);
    const manifest = manifestFor(dirname(absolute));
    return manifest?.entries.get(relative(manifest.root, absolute));
  };
}
