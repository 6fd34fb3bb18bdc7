import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { MANIFEST_FILE, type Manifest, type ManifestEntry } from '../synth/manifest';

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
