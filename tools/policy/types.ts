import type { IPolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule';
import type { ClusterSpec } from '../../clusters/types';
import type { CloudProfile } from '../../platform/clouds/profile';

/** `error` fails the run; `warning` is reported and counted but does not. */
export type Severity = 'error' | 'warning';

/**
 * A Kubernetes object as the rules see it: the parsed document plus where it
 * came from. Rules read `value` defensively (optional chaining everywhere):
 * the schema validator runs separately and may not have run first.
 */
export interface PolicyObject {
  /** File as given on the command line or found under a folder, relative to the working directory. */
  readonly file: string;
  /** 1-based position of the document in its file. */
  readonly document: number;
  /** 1-based line the document starts at, when known. */
  readonly line?: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** Cluster the object is rendered for, when the manifest or the path says so. */
  readonly cluster?: string;
  /** The construct that rendered the object, from dist/manifest.json. */
  readonly constructPath?: string;
  readonly value: KubeObject;
}

/** The fields every Kubernetes object shares; everything else is read per kind. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** A credential-looking value a scanner found in a file, at a 1-based line. */
export interface CredentialHit {
  readonly file: string;
  readonly line: number;
  /** What was found, with the value masked. */
  readonly message: string;
  /** The scanner's own rule, e.g. `@secretlint/secretlint-rule-aws`. */
  readonly scannerRule: string;
}

/** What a rule may ask about the rest of the tree. */
export interface PolicyContext {
  /** Every object in the same cluster as `object` (or of unknown cluster, if it has none). */
  sameCluster(object: PolicyObject): readonly PolicyObject[];
  /** The cluster `object` is rendered for, from the fleet; undefined when unknown. */
  clusterOf(object: PolicyObject): ClusterSpec | undefined;
  /** The cloud profile of that cluster; undefined when the cluster is unknown. */
  profileOf(object: PolicyObject): CloudProfile | undefined;
  /** Profiles of every cluster in the fleet, for objects whose cluster is unknown. */
  allProfiles(): readonly CloudProfile[];
  /** Credential hits the scanner reported inside this object's document. */
  credentialHits(object: PolicyObject): readonly CredentialHit[];
  /** The RBAC of the object's cluster: bindings resolved over roles, per subject (built once per cluster). */
  rbac(object: PolicyObject): RbacIndex;
  /**
   * Whether an upstream chart of the object's cluster (or the operator it installs) creates this
   * Secret or ConfigMap, as the cluster's contributions.json declares it.
   */
  createdByChart(
    object: PolicyObject,
    kind: 'Secret' | 'ConfigMap',
    namespace: string,
    name: string,
  ): boolean;
}

/** One problem a rule found with an object. */
export interface Violation {
  readonly message: string;
}

/** Documentation every rule carries; the README table and SARIF rule metadata come from it. */
export interface RuleInfo {
  /** Stable id, used in reports and in exemption annotations, e.g. `READONLY-ROOT`. */
  readonly id: string;
  readonly severity: Severity;
  /** One line: what the rule checks. */
  readonly title: string;
  /** Why it matters. */
  readonly rationale: string;
  /** How to make the finding go away (other than an exemption). */
  readonly fix: string;
}

/** A rule: its documentation and a check that looks at one object (and may look around it). */
export interface Rule extends RuleInfo {
  check(object: PolicyObject, context: PolicyContext): readonly Violation[];
}

/** A violation, located and documented, as it appears in the report. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly file: string;
  readonly line?: number;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly cluster?: string;
  readonly constructPath?: string;
  readonly message: string;
  readonly fix: string;
}

/** A finding that an exemption annotation waived, with the reason given. */
export interface ExemptedFinding extends Finding {
  readonly reason: string;
}

export interface PolicyReport {
  /** Rules that ran, in report order. */
  readonly rules: readonly RuleInfo[];
  readonly objects: number;
  readonly files: number;
  /** Findings still standing, sorted by file, then rule. */
  readonly findings: readonly Finding[];
  /** Findings waived by an exemption, with their reasons. */
  readonly exempted: readonly ExemptedFinding[];
}

/* RBAC of one cluster, as tools/policy/rbac.ts resolves it (kept here so rules and context share the types). */

/** Who a binding grants to, with its namespace resolved (a ServiceAccount subject defaults to the binding's). */
export interface RbacSubject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** A rule as a binding hands it out: where it was written, and where it applies. */
export interface Grant {
  readonly rule: IPolicyRule;
  /** `Role ns/name[i]`, `ClusterRole name[i]`, or `ClusterRole view (built-in)`; with the aggregating role when aggregated. */
  readonly source: string;
  /** The namespace the grant applies in; undefined for every namespace (a ClusterRoleBinding). */
  readonly namespace?: string;
}

/** What one binding hands to its subjects; `unknownRole` when its roleRef names nothing the tree or Kubernetes defines. */
export interface ResolvedBinding {
  readonly binding: PolicyObject;
  readonly subjects: readonly RbacSubject[];
  readonly grants: readonly Grant[];
  readonly unknownRole?: string;
}

export interface RbacIndex {
  /** What a binding hands out; undefined for any other object. */
  resolve(binding: PolicyObject): ResolvedBinding | undefined;
  /** Every subject bound in the cluster, with what it can do through all its bindings together. */
  subjects(): ReadonlyMap<
    string,
    { readonly subject: RbacSubject; readonly bindings: readonly ResolvedBinding[] }
  >;
  /**
   * Whether a rendered Role or ClusterRole reaches a subject through the tree: a binding names it,
   * or (for a ClusterRole) a rendered aggregated ClusterRole collects it. A role that is not bound
   * here grants whatever it says to whoever binds it in the cluster, where dist/ cannot see.
   */
  isBound(role: PolicyObject): boolean;
  /** Built-in ClusterRoles (admin, edit, view) that a rendered ClusterRole aggregates into. */
  aggregatesIntoBuiltIn(clusterRole: PolicyObject): readonly string[];
  /** Workloads that run as a ServiceAccount, for messages. */
  workloadsOf(namespace: string | undefined, serviceAccount: string): readonly PolicyObject[];
}
