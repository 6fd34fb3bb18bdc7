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

/** A container's security settings as the restricted Pod Security level wants them. */
export interface RestrictedContainerSecurity extends ContainerSecurityContext {
  readonly runAsNonRoot: true;
  /** The image's user, where its Dockerfile names one by name only (restricted needs a number). */
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly seccompProfile: { readonly type: 'RuntimeDefault' };
}

/**
 * How Helm combines a chart's default values with the values given to it
 * (`chartutil.CoalesceValues`): maps merge key by key, a `null` deletes the
 * default, and any other value (lists included) replaces the default whole.
 * Used to check what a chart will actually run when the platform's values
 * only override part of a chart's defaults.
 */
type Values = Readonly<Record<string, unknown>>;

const isMap = (value: unknown): value is Values =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function coalesceHelmValues(defaults: Values, overrides: Values): Record<string, unknown> {
  const result: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) {
      delete result[key];
    } else if (isMap(value) && isMap(result[key])) {
      result[key] = coalesceHelmValues(result[key] as Values, value);
    } else {
      result[key] = isMap(value) ? coalesceHelmValues({}, value) : value;
    }
  }
  return result;
}
