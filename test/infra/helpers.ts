// Declares cdktf's jest matchers (toHaveResourceWithProperties, ...) for the type checker.
import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { fleetInput, loadDeclaredFleet, loadFleet } from '../../clusters';
import { aksProdDatabase } from '../../clusters/aks-prod';
import { meshRemoteSecretName, secretName } from '../../clusters/naming';
import type { ClusterSpec, Fleet } from '../../clusters/types';
import { PLATFORM_SECRETS } from '../../clusters/workloads';
import { clusterStack } from '../../infra/render';

export const fleet = loadDeclaredFleet();

/** The database (and, on GCP, the analytics dataset) a test cluster declares; the sample's example on Azure. */
export function withDatabases(cluster: ClusterSpec): ClusterSpec {
  const usedBy = 'the tests of the database constructs';
  switch (cluster.cloud) {
    case 'aws':
      return { ...cluster, database: { usedBy } };
    case 'gcp':
      return { ...cluster, database: { usedBy }, analyticsDataset: { usedBy } };
    case 'azure':
      return { ...cluster, database: aksProdDatabase };
  }
}

/**
 * The sample fleet with a database declared on every cluster (and the analytics dataset on GCP),
 * loaded like the declared one: the sample declares none, so this is where the constructs render.
 */
export const databaseFleet: Fleet = loadFleet({
  ...fleetInput,
  clusters: fleetInput.clusters.map((source) => ({ ...source, spec: withDatabases(source.spec) })),
});

export function clusterOf<C extends ClusterSpec>(cloud: C['cloud'], of: Fleet = fleet): C {
  const cluster = of.clusters.find((c) => c.cloud === cloud);
  if (!cluster) throw new Error(`the fleet has no ${cloud} cluster`);
  return cluster as C;
}

/** A cluster's stack synthesized by cdktf's Testing helper (JSON without `//` metadata). */
export function synthesized(cluster: ClusterSpec, of: Fleet = fleet): { text: string; json: TerraformJson } {
  const stack = clusterStack(Testing.app(), cluster, of);
  const text = Testing.synth(stack);
  return { text, json: JSON.parse(text) as TerraformJson };
}

export interface TerraformJson {
  readonly terraform: { readonly backend: Record<string, Record<string, unknown>> };
  readonly provider: Record<string, Record<string, unknown>[]>;
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output: Record<string, { value: unknown }>;
}

/** Every resource of a type, as a list of configurations. */
export function resources(json: TerraformJson, type: string): Record<string, unknown>[] {
  return Object.values(json.resource[type] ?? {});
}

/** The single resource of a type; fails the test when there is not exactly one. */
export function only(json: TerraformJson, type: string): Record<string, unknown> {
  const all = resources(json, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** The standard tags every resource must carry. */
export const REQUIRED_TAG_KEYS = ['cluster', 'environment', 'cost_centre', 'managed_by'];

/** Every secret a cluster's stack must declare: the platform's, and istiod's kubeconfig for each mesh peer. */
export function expectedSecretNames(cluster: ClusterSpec): string[] {
  return [
    ...PLATFORM_SECRETS.map((s) => secretName(cluster, s.key)),
    ...fleet.clusters
      .filter((peer) => peer.name !== cluster.name)
      .map((peer) => meshRemoteSecretName(cluster, peer)),
  ].sort();
}
