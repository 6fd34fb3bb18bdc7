/**
 * The global endpoint's worst-case failover time, computed from its rendered stack
 * (dist/terraform/global-endpoint/cdk.tf.json) rather than written down: how long after a
 * cluster's ingress stops answering some client may still be sent there.
 *
 *   worst case = failure_threshold × request_interval   the failing checks, the first one starting
 *                                                       just after the last good check
 *              + ROUTE53_CHECK_TIMEOUT_SECONDS           the last check waiting out its timeout
 *              + ttl                                    a resolver that cached the answer just before
 *
 * What it leaves out: Route 53 aggregates its checkers' verdicts (a record is withdrawn when fewer
 * than 18 % of them see the endpoint healthy), which only a real account can time, and clients
 * or resolvers that keep answers longer than the TTL. `npm run failover-time` prints it.
 *
 * Reads JSON only: no cdktf, no provider bindings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_DIR, GLOBAL_ENDPOINT_STACK, terraformFile } from '../tree/layout';

/**
 * Route 53 fails a check when the TCP connection takes more than 4 s or the status line more than
 * 2 s after it (Route 53 developer guide, "How Amazon Route 53 determines whether a health check is
 * healthy").
 */
export const ROUTE53_CHECK_TIMEOUT_SECONDS = 4 + 2;

/** The promise of the global endpoint: a lost cluster stops receiving clients within this. */
export const FAILOVER_LIMIT_SECONDS = 60;

/** The numbers of one cluster's entry, as rendered. */
export interface MemberFailover {
  /** The latency record's set identifier: the cluster. */
  readonly cluster: string;
  readonly requestIntervalSeconds: number;
  readonly failureThreshold: number;
  readonly ttlSeconds: number;
  /** Worst-case seconds until no fresh answer names this cluster. */
  readonly seconds: number;
}

/** The worst case over the endpoint's members, with each member's. */
export interface Failover {
  readonly seconds: number;
  readonly members: readonly MemberFailover[];
}

interface HealthCheckJson {
  readonly request_interval?: number;
  readonly failure_threshold?: number;
}

interface RecordJson {
  readonly set_identifier?: string;
  readonly health_check_id?: string;
  readonly ttl?: number;
}

/** The worst-case failover of a rendered global endpoint stack; throws naming what is missing. */
export function worstCaseFailover(stackJson: unknown, file = terraformFile(GLOBAL_ENDPOINT_STACK)): Failover {
  const resources = ((stackJson as { resource?: Record<string, Record<string, unknown>> }).resource ??
    {}) as {
    aws_route53_health_check?: Record<string, HealthCheckJson>;
    aws_route53_record?: Record<string, RecordJson>;
  };
  const checks = resources.aws_route53_health_check ?? {};
  const members: MemberFailover[] = [];
  for (const [id, record] of Object.entries(resources.aws_route53_record ?? {})) {
    if (record.health_check_id === undefined) continue;
    const checkId = /^\$\{aws_route53_health_check\.([^.]+)\.id\}$/.exec(record.health_check_id)?.[1];
    const check = checkId === undefined ? undefined : checks[checkId];
    const where = `${file}: aws_route53_record.${id}`;
    if (!check)
      throw new Error(`${where}: health_check_id "${record.health_check_id}" names no health check`);
    const { request_interval: interval, failure_threshold: threshold } = check;
    if (typeof interval !== 'number' || typeof threshold !== 'number') {
      throw new Error(
        `${file}: aws_route53_health_check.${checkId}: request_interval and failure_threshold must be set ` +
          '(Route 53 defaults to 30 s × 3)',
      );
    }
    if (typeof record.ttl !== 'number') throw new Error(`${where}: ttl must be set`);
    members.push({
      cluster: record.set_identifier ?? id,
      requestIntervalSeconds: interval,
      failureThreshold: threshold,
      ttlSeconds: record.ttl,
      seconds: threshold * interval + ROUTE53_CHECK_TIMEOUT_SECONDS + record.ttl,
    });
  }
  if (members.length === 0) throw new Error(`${file}: no health-checked record; nothing fails over`);
  return { seconds: Math.max(...members.map((m) => m.seconds)), members };
}

/** Why a failover breaks the promise, or undefined when it keeps it. */
export function failoverProblem(failover: Failover): string | undefined {
  if (failover.seconds < FAILOVER_LIMIT_SECONDS) return undefined;
  const slow = failover.members.filter((m) => m.seconds >= FAILOVER_LIMIT_SECONDS).map((m) => m.cluster);
  return (
    `the global endpoint's worst-case failover of ${failover.seconds} s exceeds the limit of ${FAILOVER_LIMIT_SECONDS} s ` +
    `(${slow.join(', ')}); lower request_interval, failure_threshold or ttl (infra/defaults.ts GLOBAL_ENDPOINT)`
  );
}

/** Reads the committed stack and computes its worst case. */
export function renderedFailover(distDir = DIST_DIR): Failover {
  const file = terraformFile(GLOBAL_ENDPOINT_STACK);
  return worstCaseFailover(JSON.parse(readFileSync(join(distDir, file), 'utf8')), file);
}

/** One line a person reads: the worst case and how it is made. */
export function describeFailover(failover: Failover): string {
  const worst = failover.members.find((m) => m.seconds === failover.seconds) ?? failover.members[0];
  return (
    `worst-case failover: ${failover.seconds} s = ${worst.failureThreshold} checks × ${worst.requestIntervalSeconds} s ` +
    `+ ${ROUTE53_CHECK_TIMEOUT_SECONDS} s check timeout + ${worst.ttlSeconds} s TTL (limit ${FAILOVER_LIMIT_SECONDS} s)`
  );
}
