import { dataSyncComponent } from '../apps/data-sync';
import { gatewayComponent } from '../apps/gateway';
import { modelServingComponent } from '../apps/model-serving';
import { argocdComponent } from '../argocd';
import type { ClusterSpec, Fleet } from '../clusters/types';
import { backupComponent } from './backup';
import { baseComponent } from './base';
import type { CloudProfile } from './clouds/profile';
import { costComponent } from './cost';
import { addOnComponent } from './kernel/add-on';
import type { Component, DeclarationProps } from './kernel/chart';
import type { ClusterDeclarations } from './kernel/contribution';
import { declarationsOf } from './kernel/flows';
import { loggingComponent } from './logging';
import { meshComponent } from './mesh';
import { monitoringComponent } from './monitoring';
import { secretsComponent } from './secrets';
import { tracingComponent } from './tracing';

/** What every other component stands on: namespaces, policies, RBAC, and the secrets they read. */
const FOUNDATION: readonly Component[] = [baseComponent, secretsComponent];

/**
 * The platform's services, in the order they build. Argo CD comes last: it
 * renders an Application for each component before it.
 */
const SERVICES: readonly Component[] = [
  meshComponent,
  modelServingComponent,
  gatewayComponent,
  dataSyncComponent,
  // After the workloads: its security dashboard lists the policy exceptions rendered before it.
  monitoringComponent,
  loggingComponent,
  tracingComponent,
  // After monitoring: OpenCost queries its Prometheus, which scrapes it back.
  costComponent,
  // After the components whose namespaces it backs up.
  backupComponent,
  argocdComponent,
];

/**
 * The components a cluster gets, in the order they build: every production cluster runs the
 * whole platform, and its cloud's add-ons between the foundation and the services (spot
 * fallback must be in place before workloads land on spot pools).
 */
export function componentsFor(profile: CloudProfile): readonly Component[] {
  return [...FOUNDATION, ...profile.addOns().map(addOnComponent), ...SERVICES];
}

/**
 * What every component of a cluster declares (namespaces, flows, scrape targets, cloud
 * workloads), given the cluster's profile and recorded outputs as the synthesis builds them.
 */
export function declarationsFor(
  fleet: Fleet,
  cluster: ClusterSpec,
  context: Pick<DeclarationProps, 'profile' | 'outputs' | 'profileOf'>,
  components: readonly Component[] = componentsFor(context.profile),
): ClusterDeclarations {
  return declarationsOf(components, { ...context, cluster, fleet });
}
