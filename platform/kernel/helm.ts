/**
 * An upstream Helm chart a component needs installed (an operator, its CRDs,
 * Argo CD itself). The project never vendors upstream YAML: Argo CD installs
 * the pinned chart with values generated from typed code.
 */
export interface HelmRelease {
  /** Release and Argo CD Application name; unique in the cluster and distinct from component names. */
  readonly name: string;
  /** Helm repository URL. */
  readonly repoURL: string;
  /** Chart name in the repository. */
  readonly chart: string;
  /** Exact chart version; never a range, so a sync is reproducible. */
  readonly version: string;
  /** Namespace the release installs into; must be created by an earlier component. */
  readonly namespace: string;
  /** Helm values, generated from the fleet and the cloud profile. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Custom resource kinds (`group/Kind`) whose CRDs the chart installs. */
  readonly providesCrds: readonly string[];
  /** Other releases this one needs running first (for what its templates assume, beyond CRDs). */
  readonly requires?: readonly string[];
  /**
   * Namespaces whose pods need this release running before they are created
   * (a webhook that mutates them, a node agent that sets up their network):
   * the Applications holding workloads there sync after it.
   */
  readonly neededByPodsIn?: readonly string[];
  /** Apply server-side: needed where CRDs are too large for the last-applied annotation. */
  readonly serverSideApply?: boolean;
  /**
   * Fields of the release's objects that differ from Git by design, such as
   * a certificate the chart generates anew on every render; Argo CD keeps
   * the live value instead of syncing a new one.
   */
  readonly ignoreDifferences?: readonly IgnoredField[];
}

/** Fields of a release's objects Argo CD leaves as they are live. */
export interface IgnoredField {
  /** API group of the object; empty for the core group. */
  readonly group: string;
  /** Kind of the object. */
  readonly kind: string;
  /** Name of the object. */
  readonly name: string;
  /** Namespace of the object; absent for a cluster-scoped one. */
  readonly namespace?: string;
  /** JSON pointers of the fields within it. */
  readonly jsonPointers?: readonly string[];
  /** jq paths of the fields within it, for fields in every item of a list (`.webhooks[]?.failurePolicy`). */
  readonly jqPathExpressions?: readonly string[];
}
