/**
 * Shapes that many upstream charts take under the same Kubernetes field names;
 * each chart's own values type (next to its release) uses them.
 */

/** CPU and memory, as quantities. */
export interface ComputeQuantities {
  readonly cpu: string;
  readonly memory: string;
}

/** Container resources, as charts pass them through to the container spec. */
export interface ResourceRequirements {
  /** What the scheduler reserves. */
  readonly requests: ComputeQuantities;
  /** The most the container may use. */
  readonly limits: ComputeQuantities;
}

/** The container security context fields the platform sets on upstream charts. */
export interface ContainerSecurityContext {
  readonly allowPrivilegeEscalation: false;
  readonly readOnlyRootFilesystem: true;
  readonly capabilities: { readonly drop: readonly ['ALL'] };
}
