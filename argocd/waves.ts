/**
 * Sync order, computed from what each unit contains rather than written by
 * hand. A unit is what one Argo CD Application syncs: a component folder or an
 * upstream Helm release. A unit goes after every unit that creates a
 * namespace it uses, installs a CRD it uses, or that it requires by name, so
 * adding a component can never put a custom resource before its CRD.
 */

import { VOLUME_SNAPSHOT_API } from '../platform/clouds/profile';

/** API groups served by Kubernetes itself: their kinds need no CRD. */
const BUILT_IN_GROUPS = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
]);

/** Kinds whose CRDs exist before any sync: the Argo CD installation applied by hand at bootstrap. */
export const BOOTSTRAP_KINDS = new Set([
  'argoproj.io/Application',
  'argoproj.io/AppProject',
  'argoproj.io/ApplicationSet',
]);

/**
 * Kinds whose CRDs every cloud installs in every cluster before any sync: the CSI snapshot API,
 * which each cloud profile's `volumeSnapshots()` says how its cloud provides (EKS through the
 * add-on its stack installs).
 */
export const CLOUD_KINDS: ReadonlySet<string> = new Set(
  VOLUME_SNAPSHOT_API.kinds.map((kind) => `${VOLUME_SNAPSHOT_API.group}/${kind}`),
);

/** Namespaces that exist before any sync: Kubernetes' own, and the one Argo CD is bootstrapped into. */
export const BOOTSTRAP_NAMESPACES = new Set([
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'argocd',
]);

/** `group/Kind` of a custom resource, or undefined for a built-in kind. */
export function customKind(apiVersion: string, kind: string): string | undefined {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return BUILT_IN_GROUPS.has(group) ? undefined : `${group}/${kind}`;
}

/** What one Application syncs, reduced to what ordering depends on. */
export interface SyncUnit {
  /** Application name. */
  readonly name: string;
  /** Namespaces its resources are created in. */
  readonly namespaces: readonly string[];
  /** Namespaces it creates. */
  readonly createsNamespaces: readonly string[];
  /** Custom resource kinds (`group/Kind`) it creates objects of. */
  readonly usesKinds: readonly string[];
  /** Custom resource kinds whose CRDs it installs. */
  readonly providesCrds: readonly string[];
  /** Units it needs first, by name, for reasons the contents do not show. */
  readonly requires: readonly string[];
}

/** The minimal view of an object that sync ordering needs. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly object: Readonly<Record<string, unknown>>;
}

/** Kinds that create pods (a bare Pod included). */
const POD_CREATING_KINDS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
]);

/** Namespaces the objects create pods in. */
export function podNamespaces(objects: readonly ObjectRef[]): string[] {
  return [
    ...new Set(
      objects
        .filter((o) => POD_CREATING_KINDS.has(o.kind) && o.namespace !== undefined)
        .map((o) => o.namespace as string),
    ),
  ].sort();
}

/** A unit from the objects of a component folder. */
export function unitFromObjects(
  name: string,
  objects: readonly ObjectRef[],
  requires: readonly string[] = [],
): SyncUnit {
  const unique = (values: (string | undefined)[]) =>
    [...new Set(values.filter((v): v is string => !!v))].sort();
  return {
    name,
    namespaces: unique(objects.map((o) => o.namespace)),
    createsNamespaces: unique(
      objects.filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1').map((o) => o.name),
    ),
    usesKinds: unique(objects.map((o) => customKind(o.apiVersion, o.kind))),
    providesCrds: unique(
      objects
        .filter((o) => o.kind === 'CustomResourceDefinition')
        .map((o) => {
          const spec = o.object.spec as { group: string; names: { kind: string } };
          return `${spec.group}/${spec.names.kind}`;
        }),
    ),
    requires,
  };
}

/** Raised when no order satisfies the units; the message says which unit needs what. */
export class SyncOrderError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`No valid sync order:\n${problems.join('\n')}`);
    this.name = 'SyncOrderError';
  }
}

export interface SyncPlan {
  /** Wave of each unit: 1 for units that need nothing, then one more than the latest unit they need. */
  readonly waves: ReadonlyMap<string, number>;
  /** Units that create objects of a kind whose CRD they install in the same sync. */
  readonly installOwnCrds: ReadonlySet<string>;
}

/** Orders the units; throws SyncOrderError naming every unmet need and every cycle. */
export function planSyncWaves(units: readonly SyncUnit[]): SyncPlan {
  const problems: string[] = [];
  const byName = new Map(units.map((u) => [u.name, u]));
  const needs = new Map<string, Set<string>>();
  const installOwnCrds = new Set<string>();

  for (const unit of units) {
    const deps = new Set<string>();
    for (const namespace of unit.namespaces) {
      if (BOOTSTRAP_NAMESPACES.has(namespace) || unit.createsNamespaces.includes(namespace)) continue;
      const creators = units.filter((u) => u.createsNamespaces.includes(namespace));
      if (creators.length === 0)
        problems.push(`${unit.name}: uses namespace ${namespace}, which no Application creates`);
      for (const creator of creators) deps.add(creator.name);
    }
    for (const kind of unit.usesKinds) {
      if (BOOTSTRAP_KINDS.has(kind) || CLOUD_KINDS.has(kind)) continue;
      if (unit.providesCrds.includes(kind)) {
        installOwnCrds.add(unit.name);
        continue;
      }
      const providers = units.filter((u) => u.providesCrds.includes(kind));
      if (providers.length === 0)
        problems.push(`${unit.name}: uses ${kind}, whose CRD no Application installs`);
      for (const provider of providers) deps.add(provider.name);
    }
    for (const required of unit.requires) {
      if (!byName.has(required))
        problems.push(`${unit.name}: requires ${required}, which is not an Application here`);
      else deps.add(required);
    }
    needs.set(unit.name, deps);
  }

  const waves = new Map<string, number>();
  const visiting: string[] = [];
  const waveOf = (name: string): number => {
    const known = waves.get(name);
    if (known !== undefined) return known;
    if (visiting.includes(name)) {
      const cycle = [...visiting.slice(visiting.indexOf(name)), name];
      problems.push(`cycle: ${cycle.join(' → ')}`);
      return 0;
    }
    visiting.push(name);
    const deps = [...(needs.get(name) ?? [])];
    const wave = 1 + Math.max(0, ...deps.map(waveOf));
    visiting.pop();
    waves.set(name, wave);
    return wave;
  };
  for (const unit of units) waveOf(unit.name);

  if (problems.length > 0) throw new SyncOrderError([...new Set(problems)]);
  return { waves, installOwnCrds };
}
