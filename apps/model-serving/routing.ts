import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import type { ClusterSpec, Fleet, ModelSpec } from '../../clusters/types';
import { MODEL_SERVING } from '../../platform/mesh/workloads';

type HttpRoute = NonNullable<NonNullable<IVirtualService['spec']>['http']>[number];
type HttpMatch = NonNullable<HttpRoute['match']>[number];

/** Header a client (the gateway) sets to send a request to one cluster of the mesh. */
export const CLUSTER_HEADER = 'x-ml-cluster';
/** Header a client sets to pin one version of a model. */
export const VERSION_HEADER = 'x-model-version';
/** Label Istio puts on every endpoint with the cluster it runs in. */
const CLUSTER_LABEL = 'topology.istio.io/cluster';

/** Share of a model's traffic per served version. */
export interface VersionShare {
  readonly version: number;
  readonly weight: number;
}

/** The versions a model serves and their weights: the fleet's split, or the highest version alone. */
export function versionShares(model: ModelSpec): VersionShare[] {
  if (model.split) return model.split.map(({ version, weight }) => ({ version, weight }));
  const latest = Math.max(...model.versions.map((v) => v.version));
  return [{ version: latest, weight: 100 }];
}

export function modelHost(model: string): string {
  return `${model}.${MODEL_SERVING.namespace}.svc.cluster.local`;
}

/** The single address every model answers on; routes pick the model from the request path. */
export const ROUTER_SERVICE = 'model-serving';
export const ROUTER_HOST = `${ROUTER_SERVICE}.${MODEL_SERVING.namespace}.svc.cluster.local`;

const subsetName = (cluster: string, version: number) => `${cluster}-v${version}`;

/** The clusters of the fleet that serve a model. */
function servingClusters(fleet: Fleet, model: string): ClusterSpec[] {
  return fleet.clusters.filter((c) => c.models.some((m) => m.model === model));
}

/** Subsets: one per cluster serving the model and version, keyed on Istio's cluster label. */
export function modelSubsets(
  fleet: Fleet,
  model: ModelSpec,
): NonNullable<IDestinationRule['spec']>['subsets'] {
  return servingClusters(fleet, model.name).flatMap((cluster) =>
    versionShares(model).map(({ version }) => ({
      name: subsetName(cluster.name, version),
      labels: { [CLUSTER_LABEL]: cluster.name, version: String(version) },
    })),
  );
}

const escapeRegex = (text: string) => text.replace(/[-.]/g, '\\$&');

/** Path of a model (optionally one version) on the router host, followed by `/`, `:` or the end. */
export function modelPath(model: string, version?: number): string {
  const versionPart = version === undefined ? '' : `/versions/${version}`;
  return `^/v1/models/${escapeRegex(model)}${versionPart}(/|:|$)`;
}

/** A match on headers and, on the router host, on the model's path. Empty parts are left out. */
function match(headers: Record<string, string>, path?: string): HttpMatch {
  return {
    ...(path ? { uri: { regex: path } } : {}),
    ...(Object.keys(headers).length > 0
      ? { headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, { exact: v }])) }
      : {}),
  };
}

/**
 * The routes of one model, as seen from `local`. A cluster chosen by header
 * goes to that cluster, anything else stays in the local one; a version
 * pinned by header (or, on the router host, by URL) goes to that version, and
 * unpinned traffic is split between versions with the fleet's weights.
 * `onRouter` adds the model's path to every match, for the shared host.
 */
export function modelRoutes(
  fleet: Fleet,
  local: ClusterSpec,
  model: ModelSpec,
  onRouter: boolean,
): HttpRoute[] {
  const shares = versionShares(model);
  const host = modelHost(model.name);
  const path = onRouter ? modelPath(model.name) : undefined;
  const remotes = servingClusters(fleet, model.name).filter((c) => c.name !== local.name);
  const routes: HttpRoute[] = [];
  // Header-addressed clusters first; the local cluster last, its split being the catch-all.
  for (const cluster of [...remotes, local]) {
    const chosen: Record<string, string> = cluster === local ? {} : { [CLUSTER_HEADER]: cluster.name };
    for (const { version } of shares) {
      routes.push({
        name: `${model.name}-${cluster.name}-v${version}`,
        match: [
          match({ ...chosen, [VERSION_HEADER]: String(version) }, path),
          ...(onRouter ? [match(chosen, modelPath(model.name, version))] : []),
        ],
        route: [{ destination: { host, subset: subsetName(cluster.name, version) } }],
      });
    }
    const splitMatch = match(chosen, path);
    routes.push({
      name: `${model.name}-${cluster.name}-split`,
      ...(Object.keys(splitMatch).length > 0 ? { match: [splitMatch] } : {}),
      route: shares.map(({ version, weight }) => ({
        destination: { host, subset: subsetName(cluster.name, version) },
        weight,
      })),
    });
  }
  return routes;
}
