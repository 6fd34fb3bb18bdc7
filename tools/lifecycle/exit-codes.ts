/**
 * Exit codes of `npm run bootstrap`, `teardown`, `backup` and `restore` (docs/operations.md lists
 * them). `npm run health` has its own: 0 healthy, 1 degraded, 2 cannot tell (HEALTH_EXIT).
 */
export const EXIT = {
  /** Done, or the plan printed (--dry-run). */
  ok: 0,
  /** A step failed: a program exited non-zero, or waiting timed out (what is stuck is printed). */
  failed: 1,
  /** Bad usage: unknown cluster or option, or a program the step needs is not installed. */
  usage: 2,
  /** Refused: doing it now would be unsafe (teardown of a cluster that still takes traffic). */
  refused: 3,
} as const;

export const HEALTH_EXIT = {
  healthy: 0,
  degraded: 1,
  /** A check could not be made (kubectl, Prometheus or the gateway unreachable) and none failed. */
  unknown: 2,
} as const;
