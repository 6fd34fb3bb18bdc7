import { ApiObject, App, type Chart } from 'cdk8s';
import { type ClusterOutputs, loadClusterOutputs } from '../../clusters/outputs';
import type { ClusterSpec, Fleet } from '../../clusters/types';
import { profileFor } from '../../platform/clouds';
import { type CloudProfile, MissingCloudValueError } from '../../platform/clouds/profile';
import { componentsFor } from '../../platform/components';
import type { ArgoProject, Component, ComponentProps } from '../../platform/kernel/chart';
import type { ClusterDeclarations } from '../../platform/kernel/contribution';
import { declarationProblems, declarationsOf } from '../../platform/kernel/flows';
import type { HelmRelease } from '../../platform/kernel/helm';
import { labelPodTemplates, TEAM_LABEL } from '../../platform/kernel/pods';
import type { RenderedResource } from '../../platform/kernel/rendered-resource';
import { toYaml } from '../../platform/kernel/serialize';
import { resourceFile } from '../tree/layout';

export type { RenderedResource } from '../../platform/kernel/rendered-resource';

/** A problem found while rendering, tied to the construct(s) responsible. */
export class SynthesisError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Synthesis failed (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.join('\n')}`,
    );
    this.name = 'SynthesisError';
  }
}

/** What a cluster's charts read besides the fleet: its cloud's answers and its recorded outputs. */
export interface ClusterContext {
  readonly profile: CloudProfile;
  readonly outputs: ClusterOutputs;
  /** The profile of another cluster, from outputs of the same source (ComponentProps.profileOf). */
  readonly profileOf: (cluster: ClusterSpec) => CloudProfile;
}

/**
 * The contexts of a fleet's clusters with outputs from one source. The only place profiles are
 * built for the charts: components receive them in their props.
 */
export function contextsFrom(
  outputsOf: (cluster: ClusterSpec) => ClusterOutputs,
): (cluster: ClusterSpec) => ClusterContext {
  const profileOf = (cluster: ClusterSpec) => profileFor(cluster, outputsOf(cluster));
  return (cluster) => {
    const outputs = outputsOf(cluster);
    return { outputs, profile: profileFor(cluster, outputs), profileOf };
  };
}

/** The context of a declared cluster: outputs from clusters/<cluster>.outputs.json. */
export const recordedContext: (cluster: ClusterSpec) => ClusterContext = contextsFrom((cluster) =>
  loadClusterOutputs(cluster),
);

/** The components of a cluster: the platform's, with its cloud's add-ons (platform/components.ts). */
export type ComponentsOf = (cluster: ClusterSpec, profile: CloudProfile) => readonly Component[];

const platformComponents: ComponentsOf = (_cluster, profile) => componentsFor(profile);

/** Kinds whose names must be DNS-1123 labels (63 characters) rather than subdomains (253). */
const LABEL_NAMED_KINDS = new Set(['Namespace', 'Service']);
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function nameProblems(resource: Omit<RenderedResource, 'file'>): string[] {
  const { kind, name, constructPath } = resource;
  const where = `${resource.cluster}: ${constructPath}`;
  const limit = LABEL_NAMED_KINDS.has(kind) ? 63 : 253;
  const pattern = LABEL_NAMED_KINDS.has(kind) ? DNS_LABEL : DNS_SUBDOMAIN;
  const problems: string[] = [];
  if (name.length > limit) {
    problems.push(
      `${where}: ${kind} name "${name}" is ${name.length} characters; the limit for a ${kind} is ${limit}`,
    );
  }
  if (!pattern.test(name)) {
    problems.push(
      `${where}: ${kind} name "${name}" is not a valid DNS-1123 ${limit === 63 ? 'label' : 'subdomain'}`,
    );
  }
  const labels = (resource.object.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {};
  for (const [key, value] of Object.entries(labels)) {
    if (value.length > 63) {
      problems.push(
        `${where}: label ${key}="${value}" is ${value.length} characters; label values are limited to 63`,
      );
    }
  }
  return problems;
}

/**
 * Renders every component of one cluster (by default the platform's and its cloud's add-ons).
 * Throws SynthesisError on invalid names or collisions.
 */
export function renderCluster(
  fleet: Fleet,
  cluster: ClusterSpec,
  components?: readonly Component[],
  context: ClusterContext = recordedContext(cluster),
): RenderedResource[] {
  return renderClusterContents(
    fleet,
    cluster,
    components ?? platformComponents(cluster, context.profile),
    context,
  ).resources;
}

/** One cluster's rendered objects (sorted by file) and its components' declarations. */
export interface RenderedCluster {
  readonly resources: RenderedResource[];
  readonly declarations: ClusterDeclarations;
}

/**
 * Renders every component of one cluster and returns what they declared with the objects.
 * Throws SynthesisError on invalid declarations (a flow to a namespace nobody declares), names
 * or collisions.
 */
export function renderClusterContents(
  fleet: Fleet,
  cluster: ClusterSpec,
  components: readonly Component[],
  context: ClusterContext,
): RenderedCluster {
  const { profile, outputs, profileOf } = context;
  const app = new App();
  const problems: string[] = [];
  const resources: RenderedResource[] = [];
  const releases: HelmRelease[] = [];
  const projects = new Map<string, ArgoProject>();
  const seen = new Map<string, RenderedResource>();

  // Every component declares what it contributes before any is built: the base component
  // renders every declared namespace and flow, monitoring every declared scrape target.
  let declarations: ClusterDeclarations;
  try {
    declarations = declarationsOf(components, { cluster, profile, profileOf, outputs, fleet });
  } catch (error) {
    if (!(error instanceof MissingCloudValueError)) throw error;
    throw new SynthesisError([`${cluster.name}: ${error.message}`]);
  }
  const declarationIssues = declarationProblems(declarations);
  if (declarationIssues.length > 0) {
    throw new SynthesisError(declarationIssues.map((problem) => `${cluster.name}: ${problem}`));
  }

  // Components build in order, each seeing what the earlier ones contributed.
  for (const component of components) {
    const props: ComponentProps = {
      cluster,
      profile,
      profileOf,
      outputs,
      fleet,
      declarations,
      earlier: { resources: [...resources], releases: [...releases], projects: new Map(projects) },
    };
    let chart: Chart;
    try {
      chart = component.build(app, props);
      releases.push(...(component.helmReleases?.(props) ?? []));
    } catch (error) {
      if (!(error instanceof MissingCloudValueError)) throw error;
      problems.push(`${cluster.name}: ${component.name}: ${error.message}`);
      continue;
    }
    projects.set(component.name, component.project);
    // Every pod the component runs carries its owner's team, for cost allocation by team.
    const team = declarations.get(component.name)?.team;
    const teamLabels: Record<string, string> = team ? { [TEAM_LABEL]: team } : {};
    for (const construct of chart.node.findAll()) {
      for (const message of construct.node.validate())
        problems.push(`${cluster.name}: ${construct.node.path}: ${message}`);
      if (!(construct instanceof ApiObject)) continue;
      const object = construct.toJson() as Record<string, unknown>;
      if (labelPodTemplates(object, teamLabels) > 0 && !team) {
        problems.push(
          `${cluster.name}: ${construct.node.path}: ${construct.kind} runs pods, but component ${component.name} declares no team (Contribution.team in its contributes())`,
        );
      }
      const metadata = (object.metadata ?? {}) as { name?: string; namespace?: string };
      const identity = {
        cluster: cluster.name,
        component: chart.node.id,
        apiVersion: construct.apiVersion,
        kind: construct.kind,
        namespace: metadata.namespace,
        name: metadata.name ?? '',
        constructPath: construct.node.path,
        object,
      };
      problems.push(...nameProblems(identity));
      const group = construct.apiVersion.includes('/') ? construct.apiVersion.split('/')[0] : '';
      const key = [group, construct.kind, metadata.namespace ?? '', identity.name].join('|');
      const previous = seen.get(key);
      if (previous) {
        problems.push(
          `${cluster.name}: ${construct.kind} "${identity.name}"${metadata.namespace ? ` in namespace ${metadata.namespace}` : ''} ` +
            `is defined twice: by ${previous.constructPath} and by ${identity.constructPath}`,
        );
        continue;
      }
      const resource = {
        ...identity,
        file: resourceFile(cluster.name, chart.node.id, construct.kind, identity.name, metadata.namespace),
      };
      seen.set(key, resource);
      resources.push(resource);
    }
  }
  if (problems.length > 0) throw new SynthesisError(problems);
  return { resources: resources.sort(byFile), declarations };
}

/** Orders anything naming a file by its path. */
export const byFile = (a: { file: string }, b: { file: string }) =>
  a.file < b.file ? -1 : a.file > b.file ? 1 : 0;

/** The rendered tree: file contents by relative path, and what each file holds. */
export interface RenderedTree {
  readonly files: ReadonlyMap<string, string>;
  readonly resources: readonly RenderedResource[];
}

/**
 * Renders the fleet one cluster at a time, handing each cluster's resources
 * (sorted by file) and declarations to `each` as soon as they are rendered, so
 * a caller that keeps only what it needs holds one cluster's objects at a
 * time. Problems of every cluster are collected before failing.
 */
export function renderClusters(
  fleet: Fleet,
  each: (resources: RenderedResource[], declarations: ClusterDeclarations, cluster: ClusterSpec) => void,
  components: ComponentsOf = platformComponents,
  contexts: (cluster: ClusterSpec) => ClusterContext = recordedContext,
): void {
  const problems: string[] = [];
  for (const cluster of fleet.clusters) {
    let rendered: RenderedCluster;
    try {
      const context = contexts(cluster);
      rendered = renderClusterContents(fleet, cluster, components(cluster, context.profile), context);
    } catch (error) {
      if (!(error instanceof SynthesisError)) throw error;
      problems.push(...error.problems);
      continue;
    }
    each(rendered.resources, rendered.declarations, cluster);
  }
  if (problems.length > 0) throw new SynthesisError(problems);
}

/** Renders the whole fleet. Problems of every cluster are collected before failing. */
export function renderFleet(
  fleet: Fleet,
  components: ComponentsOf = platformComponents,
  contexts: (cluster: ClusterSpec) => ClusterContext = recordedContext,
): RenderedTree {
  const resources: RenderedResource[] = [];
  renderClusters(fleet, (rendered) => resources.push(...rendered), components, contexts);
  resources.sort(byFile);
  return {
    resources,
    files: new Map(resources.map((resource) => [resource.file, toYaml(resource.object)])),
  };
}
