import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Contribution } from '../../platform/kernel/contribution';
import { parseDocuments } from '../tree/documents';
import { collectYamlFiles } from '../tree/files';
import { CONTRIBUTIONS_FILE } from '../tree/layout';
import { manifestEntryLookup } from '../tree/manifest';
import type { KubeObject, PolicyObject } from './types';

/** A document the rules cannot look at, reported as an UNREADABLE finding. */
export interface UnreadableDocument {
  readonly file: string;
  readonly document: number;
  readonly line?: number;
  readonly message: string;
}

export interface LoadedTree {
  readonly files: readonly string[];
  readonly objects: readonly PolicyObject[];
  readonly unreadable: readonly UnreadableDocument[];
  /** Per cluster, what its upstream charts create as its components declare it (contributions.json). */
  readonly chartConfiguration: ReadonlyMap<string, ChartConfiguration>;
}

/** The Secrets and ConfigMaps a cluster's charts (and the operators they install) create, as `namespace/name`. */
export interface ChartConfiguration {
  readonly secrets: ReadonlySet<string>;
  readonly configMaps: ReadonlySet<string>;
}

/**
 * The chart-created Secrets and ConfigMaps of a cluster folder's contributions.json; none when the
 * folder has no such file. A file that is not the declarations' JSON is a clear error.
 */
export function readChartConfiguration(clusterDir: string): ChartConfiguration {
  const path = join(clusterDir, CONTRIBUTIONS_FILE);
  const none = { secrets: new Set<string>(), configMaps: new Set<string>() };
  if (!existsSync(path)) return none;
  let declared: Record<string, Contribution>;
  try {
    declared = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: not JSON: ${(error as Error).message}`);
  }
  const objects = Object.values(declared).flatMap((c) => (c.chartObjects ? [c.chartObjects] : []));
  const names = (refs: readonly { namespace: string; name: string }[] | undefined) =>
    (refs ?? []).map((ref) => `${ref.namespace}/${ref.name}`);
  return {
    secrets: new Set(objects.flatMap((o) => names(o.secrets))),
    configMaps: new Set(objects.flatMap((o) => names(o.configMaps))),
  };
}

/**
 * Reads every YAML document under the paths. The cluster of an object comes
 * from dist/manifest.json, or else from a folder in its path named after a
 * cluster of the fleet (so fixtures laid out like dist/ work without a manifest).
 */
export function loadObjects(paths: readonly string[], clusterNames: ReadonlySet<string>): LoadedTree {
  const yamlFiles = collectYamlFiles(paths);
  const manifestEntry = manifestEntryLookup();
  const objects: PolicyObject[] = [];
  const unreadable: UnreadableDocument[] = [];
  const files: string[] = [];
  const chartConfiguration = new Map<string, ChartConfiguration>();
  for (const path of yamlFiles) {
    const file = relative(process.cwd(), path) || path;
    files.push(file);
    const entry = manifestEntry(path);
    const cluster = entry?.cluster ?? file.split(sep).find((segment) => clusterNames.has(segment));
    // The cluster's folder is the path up to its name; its contributions.json sits there.
    if (cluster && !chartConfiguration.has(cluster)) {
      const segments = path.split(sep);
      const at = segments.lastIndexOf(cluster);
      if (at >= 0)
        chartConfiguration.set(cluster, readChartConfiguration(segments.slice(0, at + 1).join(sep)));
    }
    for (const doc of parseDocuments(file, readFileSync(path, 'utf8'))) {
      const at = { file, document: doc.index, line: doc.line };
      if (doc.parseError !== undefined) {
        unreadable.push({ ...at, message: doc.parseError });
        continue;
      }
      const value = doc.value as KubeObject;
      const { apiVersion, kind, metadata } = value ?? {};
      if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof metadata?.name !== 'string') {
        unreadable.push({
          ...at,
          message: 'not a Kubernetes object (apiVersion, kind and metadata.name are required)',
        });
        continue;
      }
      objects.push({
        ...at,
        apiVersion,
        kind,
        name: metadata.name,
        ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
        ...(cluster ? { cluster } : {}),
        ...(entry ? { constructPath: entry.constructPath } : {}),
        value,
      });
    }
  }
  return { files, objects, unreadable, chartConfiguration };
}
