// Declares cdktf's jest matchers (toHaveResourceWithProperties, ...) for the type checker.
import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { fleetInput, loadDeclaredFleet, loadFleet } from '../../clusters';
import { aksProdDatabase } from '../../clusters/aks-prod';
import { meshRemoteSecretName, secretName } from '../../clusters/naming';
import type { ClusterSpec, Fleet } from '../../clusters/types';
import { platformSecretsFor } from '../../clusters/workloads';
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

/**
 * What a variant of a stack has that the declared one has not. The declared stacks are
 * dist/terraform (compared byte for byte with the code's output by
 * test/tools/synth/synthesize.test.ts); this is the part of a variant (a cluster declaring a
 * database, say) that dist/ never shows, small enough to snapshot and review: every new resource,
 * data source and output in full, and for every one the variant changes, the names of the
 * attributes that differ (the targeted tests check their values).
 */
export function stackDifference(declared: TerraformJson, variant: TerraformJson): StackDifference {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const difference: StackDifference = { added: {}, changed: [], removed: [] };
  type Blocks = Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  const sections: readonly (readonly [string, Blocks, Blocks])[] = [
    ['resource', declared.resource, variant.resource],
    ['data', declared.data ?? {}, variant.data ?? {}],
    ['output', { output: declared.output }, { output: variant.output }],
  ];
  for (const [section, before, after] of sections) {
    for (const type of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const was: Record<string, unknown> = before[type] ?? {};
      const is: Record<string, unknown> = after[type] ?? {};
      const address = (name: string) =>
        section === 'output' ? `output.${name}` : `${section}.${type}.${name}`;
      for (const [name, value] of Object.entries(is)) {
        if (!(name in was)) {
          difference.added[address(name)] = value;
        } else if (!same(value, was[name])) {
          const old = was[name] as Record<string, unknown>;
          const now = value as Record<string, unknown>;
          const attributes = [...new Set([...Object.keys(old), ...Object.keys(now)])].filter(
            (key) => !same(old[key], now[key]),
          );
          difference.changed.push(`${address(name)}: ${attributes.sort().join(', ')}`);
        }
      }
      for (const name of Object.keys(was)) if (!(name in is)) difference.removed.push(address(name));
    }
  }
  difference.changed.sort();
  difference.removed.sort();
  return difference;
}

/** See stackDifference. */
export interface StackDifference {
  /** New blocks, by address (`resource.<type>.<name>`, `data.<type>.<name>`, `output.<name>`). */
  readonly added: Record<string, unknown>;
  /** `<address>: <attributes that differ>` for every block present in both. */
  readonly changed: string[];
  /** Addresses of the blocks the variant no longer has. */
  readonly removed: string[];
}

/** The standard tags every resource must carry. */
export const REQUIRED_TAG_KEYS = ['cluster', 'environment', 'cost_centre', 'managed_by'];

/** Every secret a cluster's stack must declare: the platform's, and istiod's kubeconfig for each mesh peer. */
export function expectedSecretNames(cluster: ClusterSpec): string[] {
  return [
    ...platformSecretsFor(cluster.cloud).map((s) => secretName(cluster, s.key)),
    ...fleet.clusters
      .filter((peer) => peer.name !== cluster.name)
      .map((peer) => meshRemoteSecretName(cluster, peer)),
  ].sort();
}
