import { dataSyncComponent } from '../apps/data-sync';
import { gatewayComponent } from '../apps/gateway';
import { modelServingComponent } from '../apps/model-serving';
import { argocdComponent } from '../argocd';
import type { ClusterSpec } from '../clusters/types';
import { autoscalingComponent, needsAutoscaling } from './autoscaling';
import { backupComponent } from './backup';
import { baseComponent } from './base';
import type { Component } from './kernel/chart';
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
  // After the components whose namespaces it backs up.
  backupComponent,
  argocdComponent,
];

/** The components a cluster gets. Every production cluster runs the whole platform. */
export function componentsFor(cluster: ClusterSpec): readonly Component[] {
  // Spot fallback renders nothing where the cloud's own autoscaler needs no configuration (GKE).
  return ALL_COMPONENTS.filter(
    (component) => component !== autoscalingComponent || needsAutoscaling(cluster),
  );
}
