import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { parseDocuments } from '../tree/documents';
import { collectYamlFiles } from '../tree/files';
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
  for (const path of yamlFiles) {
    const file = relative(process.cwd(), path) || path;
    files.push(file);
    const entry = manifestEntry(path);
    const cluster = entry?.cluster ?? file.split(sep).find((segment) => clusterNames.has(segment));
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
  return { files, objects, unreadable };
}
