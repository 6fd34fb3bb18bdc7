/** One thing a cluster would do wrong with the tree, anchored to an object and its file. */
export interface ClusterProblem {
  readonly cluster: string;
  readonly check: CheckName;
  /** `Kind namespace/name` of the object at fault (or the chart release). */
  readonly object: string;
  /** File relative to the tree's root. */
  readonly file: string;
  readonly message: string;
  /** The object can never become Healthy because of it (what the sync check follows). */
  readonly unhealthy?: boolean;
}

/** The checks, in the order they run and are documented (docs/cluster-checks.md). */
export const CHECKS = [
  'references',
  'chart-objects',
  'chart-values',
  'admission',
  'reachability',
  'pushes',
  'apis',
  'versions',
  'sync',
  'team-labels',
] as const;
export type CheckName = (typeof CHECKS)[number];

export function formatProblem(problem: ClusterProblem): string {
  return `${problem.cluster}: ${problem.object} (${problem.file}): ${problem.check}: ${problem.message}`;
}

/** Problems sorted for a stable report: by check, then file, then message. */
export function sortProblems(problems: readonly ClusterProblem[]): ClusterProblem[] {
  const key = (p: ClusterProblem) =>
    `${p.cluster}\0${CHECKS.indexOf(p.check)}\0${p.file}\0${p.object}\0${p.message}`;
  return [...problems].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
