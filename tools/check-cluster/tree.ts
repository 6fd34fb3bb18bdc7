/**
 * One cluster of a rendered tree as the checks read it: every object with the file it came from,
 * the Argo CD Applications (folders of the tree and upstream Helm charts with their values) and
 * the components' declarations (contributions.json). Read with tools/tree only: no component, no
 * cdk8s.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChartObjects, Contribution } from '../../platform/kernel/contribution';
import { parseDocuments } from '../tree/documents';
import { readClusterYaml } from '../tree/files';
import { contributionsFile, placeOf } from '../tree/layout';

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML of any shape, read field by field with checks.
export type Json = Record<string, any>;
export type Labels = Readonly<Record<string, string>>;

/** A Kubernetes object of the tree and where it is. */
export interface ClusterObject {
  /** Path relative to the tree's root (`eks-prod/base/Namespace.logging.yaml`). */
  readonly file: string;
  readonly component: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly body: Json;
}

/** An Argo CD Application of the cluster: a folder of the tree, or an upstream Helm chart. */
export interface Application {
  readonly object: ClusterObject;
  readonly name: string;
  readonly wave: number;
  /** Namespace it installs into (a chart's release namespace). */
  readonly namespace?: string;
  /** The tree folder it syncs (`eks-prod/gateway`), for a folder Application. */
  readonly path?: string;
  /** Chart name, version and values, for a Helm Application. */
  readonly chart?: {
    readonly name: string;
    readonly version: string;
    /** The Helm repository it comes from. */
    readonly repoURL: string;
    readonly values: Json;
  };
}

/** A cluster's tree, indexed. */
export interface ClusterTree {
  readonly cluster: string;
  readonly objects: readonly ClusterObject[];
  readonly applications: readonly Application[];
  /** Each component's declarations, or undefined when the tree has no contributions.json. */
  readonly contributions?: Readonly<Record<string, Contribution>>;
  /** Path of contributions.json relative to the tree's root. */
  readonly contributionsPath: string;
  /** Objects of a kind. */
  ofKind(kind: string): readonly ClusterObject[];
  /** Every declared chart object list, with the component that declared it. */
  readonly chartObjects: readonly { readonly component: string; readonly objects: ChartObjects }[];
}

const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/** Raised when a tree cannot be read at all; the CLI reports it with exit code 2. */
export class UnreadableTree extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableTree';
  }
}

export function applicationOf(object: ClusterObject): Application {
  const spec = object.body.spec ?? {};
  const source = spec.source ?? {};
  const wave = Number.parseInt(object.body.metadata?.annotations?.[SYNC_WAVE] ?? '0', 10);
  return {
    object,
    name: object.name,
    wave,
    namespace: spec.destination?.namespace,
    ...(source.path ? { path: String(source.path).replace(/^dist\//, '') } : {}),
    ...(source.chart
      ? {
          chart: {
            name: String(source.chart),
            version: String(source.targetRevision ?? ''),
            repoURL: String(source.repoURL ?? ''),
            values: (source.helm?.valuesObject ?? {}) as Json,
          },
        }
      : {}),
  };
}

/** Reads `<root>/<cluster>/`: its objects, Applications and contributions.json. */
export function readClusterTree(root: string, cluster: string): ClusterTree {
  const objects: ClusterObject[] = [];
  for (const { file, text } of readClusterYaml(root, cluster)) {
    const place = placeOf(file);
    if (place?.kind !== 'object') continue;
    for (const doc of parseDocuments(file, text)) {
      if (doc.parseError) throw new UnreadableTree(`${file}: document ${doc.index}: ${doc.parseError}`);
      const body = doc.value as Json;
      if (!body || typeof body !== 'object' || !body.kind) continue;
      objects.push({
        file,
        component: place.component,
        apiVersion: String(body.apiVersion ?? ''),
        kind: String(body.kind),
        name: String(body.metadata?.name ?? ''),
        ...(body.metadata?.namespace ? { namespace: String(body.metadata.namespace) } : {}),
        body,
      });
    }
  }
  const contributionsPath = contributionsFile(cluster);
  let contributions: Record<string, Contribution> | undefined;
  const path = join(root, contributionsPath);
  if (existsSync(path)) {
    try {
      contributions = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new UnreadableTree(`${contributionsPath}: not JSON: ${(error as Error).message}`);
    }
    if (contributions === null || typeof contributions !== 'object' || Array.isArray(contributions))
      throw new UnreadableTree(`${contributionsPath}: expected an object keyed by component`);
  }
  return indexTree(cluster, objects, contributions, contributionsPath);
}

export function indexTree(
  cluster: string,
  objects: ClusterObject[],
  contributions: Record<string, Contribution> | undefined,
  contributionsPath: string,
): ClusterTree {
  const byKind = new Map<string, ClusterObject[]>();
  for (const object of objects) byKind.set(object.kind, [...(byKind.get(object.kind) ?? []), object]);
  const applications = (byKind.get('Application') ?? []).map(applicationOf);
  const chartObjects = Object.entries(contributions ?? {})
    .filter(([, contribution]) => contribution.chartObjects)
    .map(([component, contribution]) => ({ component, objects: contribution.chartObjects as ChartObjects }));
  return {
    cluster,
    objects,
    applications,
    ...(contributions ? { contributions } : {}),
    contributionsPath,
    ofKind: (kind) => byKind.get(kind) ?? [],
    chartObjects,
  };
}
