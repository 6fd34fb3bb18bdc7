import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterOutputs } from '../../clusters/outputs';
import type { ClusterSpec, Fleet } from '../../clusters/types';
import type { CloudProfile } from '../clouds';
import type { ClusterDeclarations, Contribution } from './contribution';
import type { HelmRelease } from './helm';
import type { RenderedResource } from './rendered-resource';

/** What a component's declarations are made from: the cluster, its cloud's answers and the whole fleet. */
export interface DeclarationProps {
  /** The cluster being rendered. */
  readonly cluster: ClusterSpec;
  /** The cluster's cloud profile; charts ask it instead of testing the cloud. */
  readonly profile: CloudProfile;
  /** Values recorded after the cluster's infrastructure was applied (endpoints, client ids). */
  readonly outputs: ClusterOutputs;
  /**
   * The profile of another cluster of the fleet, from that cluster's outputs, for a component
   * that reaches across clusters (data sync reads the source cluster's bucket). Components never
   * build a profile themselves: the synthesis decides where outputs come from.
   */
  readonly profileOf: (cluster: ClusterSpec) => CloudProfile;
  /** The whole fleet, for components that relate clusters (mesh peers, routing table). */
  readonly fleet: Fleet;
}

/** What every component is built from: its declaration props, and what every component of the cluster declares. */
export interface ComponentProps extends DeclarationProps {
  /**
   * Every component's declarations for this cluster (namespaces, flows, scrape targets, cloud
   * workloads), by component name: the base component renders the namespaces and policies from
   * them, monitoring the monitors.
   */
  readonly declarations: ClusterDeclarations;
  /**
   * What the components before this one contribute to the cluster. Only a
   * component that describes the others (Argo CD) needs it; it comes last.
   */
  readonly earlier: ClusterContents;
}

/** Everything a cluster gets from its components: rendered objects and upstream Helm releases. */
export interface ClusterContents {
  readonly resources: readonly RenderedResource[];
  readonly releases: readonly HelmRelease[];
  /** Each component's Argo CD project, by component name. */
  readonly projects: ReadonlyMap<string, ArgoProject>;
}

/** The Argo CD projects: the platform's own services, and the workloads it serves. */
export type ArgoProject = 'platform' | 'apps';

/** The labels every rendered object carries. */
export function standardLabels(fleet: Fleet, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': component,
    'app.kubernetes.io/part-of': fleet.settings.partOf,
    'app.kubernetes.io/managed-by': 'cdk8s',
    'app.kubernetes.io/component': component,
  };
}

/**
 * Base class of every component chart. The construct id is the component
 * name, which is also its folder in the rendered tree. Names are never
 * hashed: every object is named from the fleet, and synthesis rejects
 * collisions instead of hiding them behind suffixes.
 */
export abstract class PlatformChart extends Chart {
  readonly component: string;

  constructor(scope: Construct, component: string, props: ComponentProps) {
    super(scope, component, {
      disableResourceNameHashes: true,
      labels: standardLabels(props.fleet, component),
    });
    this.component = component;
  }
}

/** A component as the synthesis sees it: a folder name and a way to build its chart. */
export interface Component {
  /** Folder under `dist/<cluster>/`; a DNS-1123 label. */
  readonly name: string;
  /** The Argo CD project that syncs the component. */
  readonly project: ArgoProject;
  /** Builds the component's chart for one cluster inside the cluster's app. */
  build(scope: Construct, props: ComponentProps): PlatformChart;
  /** Upstream charts the component needs installed; Argo CD installs each as its own Application. */
  helmReleases?(props: ComponentProps): readonly HelmRelease[];
  /**
   * What the component contributes beyond its objects (namespaces, flows, scrape targets, cloud
   * workloads, what its charts create); see ./contribution.ts. Plain data, made before any
   * chart is built, so it sees no other component.
   */
  contributes?(props: DeclarationProps): Contribution;
}
