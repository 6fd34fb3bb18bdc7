import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  describeFailover,
  FAILOVER_LIMIT_SECONDS,
  failoverProblem,
  ROUTE53_CHECK_TIMEOUT_SECONDS,
  renderedFailover,
  worstCaseFailover,
} from '../../../tools/lifecycle/failover';
import { DIST_DIR, GLOBAL_ENDPOINT_STACK, terraformFile } from '../../../tools/tree/layout';

type Json = Record<string, any>;
const rendered = (): Json =>
  JSON.parse(readFileSync(join(DIST_DIR, terraformFile(GLOBAL_ENDPOINT_STACK)), 'utf8')) as Json;

describe('the worst-case failover of the global endpoint', () => {
  it('is computed from the rendered checks and TTLs, and stays under a minute', () => {
    const json = rendered();
    const failover = renderedFailover();
    const checks = Object.values(json.resource.aws_route53_health_check) as Json[];
    const ttls = (Object.values(json.resource.aws_route53_record) as Json[])
      .filter((r) => r.health_check_id)
      .map((r) => r.ttl as number);
    const expected =
      Math.max(...checks.map((c) => c.request_interval * c.failure_threshold)) +
      ROUTE53_CHECK_TIMEOUT_SECONDS +
      Math.max(...ttls);
    expect(failover.seconds).toBe(expected);
    expect(failover.members).toHaveLength(3);
    expect(failover.seconds).toBeLessThan(FAILOVER_LIMIT_SECONDS);
    expect(failoverProblem(failover)).toBeUndefined();
  });

  it('exceeds the minute, and is refused, with Route 53 standard checks (30 s)', () => {
    const slower = rendered();
    for (const check of Object.values(slower.resource.aws_route53_health_check) as Json[]) {
      check.request_interval = 30;
    }
    const failover = worstCaseFailover(slower);
    expect(failover.seconds).toBeGreaterThan(FAILOVER_LIMIT_SECONDS);
    expect(failoverProblem(failover)).toMatch(/exceeds the limit of 60 s/);
  });

  it('takes the slowest member: one long TTL is enough to exceed it', () => {
    const json = rendered();
    const first = (Object.values(json.resource.aws_route53_record) as Json[]).find(
      (r) => r.health_check_id,
    ) as Json;
    first.ttl = 60;
    expect(worstCaseFailover(json).seconds).toBeGreaterThan(60);
  });

  it('names what is missing', () => {
    const json = rendered();
    for (const check of Object.values(json.resource.aws_route53_health_check) as Json[])
      delete check.request_interval;
    expect(() => worstCaseFailover(json)).toThrow(/request_interval and failure_threshold must be set/);
    expect(() => worstCaseFailover({ resource: {} })).toThrow(/no health-checked record/);
  });

  it('is the number docs/operations.md states', () => {
    const docs = readFileSync(join(__dirname, '../../../docs/operations.md'), 'utf8');
    expect(docs).toContain(describeFailover(renderedFailover()));
  });
});
