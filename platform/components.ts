import { dataSyncComponent } from '../apps/data-sync';
import { gatewayComponent } from '../apps/gateway';
import { modelServingComponent } from '../apps/model-serving';
import { argocdComponent } from '../argocd';
import { type ClusterOutputs, loadClusterOutputs } from '../clusters/outputs';
import type { ClusterSpec, Fleet } from '../clusters/types';
import { autoscalingComponent, needsAutoscaling } from './autoscaling';
import { baseComponent } from './base';
import { profileFor } from './clouds';
import type { Component } from './kernel/chart';
import type { ClusterDeclarations } from './kernel/contribution';
import { declarationsOf } from './kernel/flows';
import { loggingComponent } from './logging';
import { meshComponent } from './mesh';
import { monitoringComponent } from './monitoring';
import { secretsComponent } from './secrets';
import { tracingComponent } from './tracing';

/**
 * Every component, in the order they build. Argo CD comes last: it renders
 * an Application for each component before it.
 */
export const ALL_COMPONENTS: readonly Component[] = [
  baseComponent,
  secretsComponent,
  // Right after the policies: spot fallback must be in place before workloads land on spot pools.
  autoscalingComponent,
  meshComponent,
  modelServingComponent,
  gatewayComponent,
  dataSyncComponent,
  // After the workloads: its security dashboard lists the policy exceptions rendered before it.
  monitoringComponent,
  loggingComponent,
  tracingComponent,
  argocdComponent,
];

/** The components a cluster gets. Every production cluster runs the whole platform. */
export function componentsFor(cluster: ClusterSpec): readonly Component[] {
  // Spot fallback renders nothing where the cloud's own autoscaler needs no configuration (GKE).
  return ALL_COMPONENTS.filter(
    (component) => component !== autoscalingComponent || needsAutoscaling(cluster),
  );
}

/**
 * What every component of a cluster declares (namespaces, flows, scrape targets, cloud
 * workloads), from the cluster's recorded outputs unless others are given.
 */
export function declarationsFor(
  fleet: Fleet,
  cluster: ClusterSpec,
  outputs: ClusterOutputs = loadClusterOutputs(cluster),
  components: readonly Component[] = componentsFor(cluster),
): ClusterDeclarations {
  return declarationsOf(components, { cluster, fleet, outputs, profile: profileFor(cluster, outputs) });
}
