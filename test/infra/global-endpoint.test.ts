import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { ClusterOutputs } from '../../clusters/outputs';
import type { ClusterSpec } from '../../clusters/types';
import { GLOBAL_ENDPOINT } from '../../infra/defaults';
import { endpointMembers, hostedZoneOf } from '../../infra/global/endpoint';
import { renderTerraform } from '../../infra/render';
import { INGRESS_HEALTH } from '../../platform/mesh/workloads';
import { DIST_DIR, GLOBAL_ENDPOINT_STACK, terraformFile } from '../../tools/tree/layout';
import { fleet } from './helpers';

type Json = Record<string, any>;

/** Recorded ingress addresses: an NLB name on AWS, addresses elsewhere (TEST-NET-3). */
const RECORDED: Record<string, string> = {
  aws: 'k8s-istiosys-istioing-0123456789-0123456789abcdef.elb.us-east-1.amazonaws.com',
  gcp: '203.0.113.10',
  azure: '203.0.113.20',
};
const recorded = (cluster: ClusterSpec): ClusterOutputs => ({
  workloadIdentityClientIds: {},
  ingressAddress: RECORDED[cluster.cloud],
});
const unrecorded = (): ClusterOutputs => ({ workloadIdentityClientIds: {} });

function stackOf(outputsOf: (c: ClusterSpec) => ClusterOutputs): Json {
  // The cluster stacks read other outputs too; those come from the committed files.
  const files = renderTerraform(fleet, (c) => ({
    ...JSON.parse(readFileSync(join(__dirname, '../../clusters', `${c.name}.outputs.json`), 'utf8')),
    ...outputsOf(c),
  }));
  return JSON.parse(files.get(terraformFile(GLOBAL_ENDPOINT_STACK)) as string);
}

describe('the global endpoint stack', () => {
  const stack = stackOf(recorded);
  const records: Json = stack.resource.aws_route53_record;
  const checks: Json = stack.resource.aws_route53_health_check;
  const host = fleet.settings.observability.predictionApiHost;

  it('answers the API host with one latency record per cluster, each behind its own health check', () => {
    const api = Object.values(records).filter((r: Json) => r.name === host);
    expect(api.map((r: Json) => r.set_identifier).sort()).toEqual(fleet.clusters.map((c) => c.name).sort());
    for (const record of api) {
      expect(record.type).toBe('CNAME');
      expect(record.ttl).toBe(GLOBAL_ENDPOINT.ttlSeconds);
      expect(record.records).toEqual([`${record.set_identifier}.${host}`]);
      expect(record.health_check_id).toMatch(/^\$\{aws_route53_health_check\.[^.]+\.id\}$/);
    }
    expect(new Set(api.map((r: Json) => r.health_check_id)).size).toBe(fleet.clusters.length);
  });

  it('names the AWS region nearest each cluster for latency routing', () => {
    const byCluster = Object.fromEntries(
      Object.values(records)
        .filter((r: Json) => r.set_identifier)
        .map((r: Json) => [r.set_identifier, r.latency_routing_policy.region]),
    );
    expect(byCluster).toEqual({ 'eks-prod': 'us-east-1', 'gke-prod': 'us-east-2', 'aks-prod': 'us-east-1' });
  });

  it("points each cluster's own record at its recorded ingress: A for an address, CNAME for a name", () => {
    for (const cluster of fleet.clusters) {
      const own = Object.values(records).find((r: Json) => r.name === `${cluster.name}.${host}`) as Json;
      expect(own.records).toEqual([RECORDED[cluster.cloud]]);
      expect(own.type).toBe(cluster.cloud === 'aws' ? 'CNAME' : 'A');
    }
  });

  it('checks the path the ingress serves for it, on the port and with the timing of the defaults', () => {
    expect(Object.keys(checks)).toHaveLength(fleet.clusters.length);
    for (const check of Object.values(checks) as Json[]) {
      expect(check).toMatchObject({
        type: 'HTTP',
        port: INGRESS_HEALTH.port,
        resource_path: INGRESS_HEALTH.path,
        request_interval: GLOBAL_ENDPOINT.requestIntervalSeconds,
        failure_threshold: GLOBAL_ENDPOINT.failureThreshold,
      });
      expect(check.regions.length).toBeGreaterThanOrEqual(3);
    }
    // The address checked: the IP itself where there is one, the load balancer's name otherwise.
    const gcp = Object.values(checks).find((c: Json) => c.ip_address === RECORDED.gcp) as Json;
    expect(gcp.fqdn).toBe(`gke-prod.${host}`);
    expect(Object.values(checks).some((c: Json) => c.fqdn === RECORDED.aws)).toBe(true);
  });

  it('and every rendered cluster serves exactly that path on that port, routed to the readiness', () => {
    for (const cluster of fleet.clusters) {
      const dir = join(DIST_DIR, cluster.name, 'mesh');
      const gateway = load(
        readFileSync(join(dir, `Gateway.istio-system.${INGRESS_HEALTH.name}.yaml`), 'utf8'),
      ) as Json;
      const route = load(
        readFileSync(join(dir, `VirtualService.istio-system.${INGRESS_HEALTH.name}.yaml`), 'utf8'),
      ) as Json;
      expect(gateway.spec.servers).toEqual([
        { hosts: ['*'], port: { name: 'http-health', number: INGRESS_HEALTH.port, protocol: 'HTTP' } },
      ]);
      expect(route.spec.http).toHaveLength(1);
      expect(route.spec.http[0].match).toEqual([
        { method: { exact: 'GET' }, uri: { exact: INGRESS_HEALTH.path } },
      ]);
      expect(route.spec.http[0].rewrite).toEqual({ uri: '/readyz' });
    }
  });

  it('refuses to apply while an ingress address is not recorded, naming the file and the command', () => {
    const json = JSON.stringify(stackOf(unrecorded));
    expect(json).toContain('clusters/aks-prod.outputs.json: ingressAddress is missing');
    expect(json).toContain('npm run bootstrap -- --cluster aks-prod');
    const members = endpointMembers(fleet, recorded);
    expect(members.every((m) => m.placeholder === undefined)).toBe(true);
    expect(JSON.parse(JSON.stringify(stack)).locals.placeholders).toEqual([]);
  });

  it('leaves out a cluster withdrawn from it, and refuses to answer nothing', () => {
    const withdrawn = {
      ...fleet,
      clusters: fleet.clusters.map((c) =>
        c.name === 'gke-prod' ? { ...c, withdrawnFromGlobalEndpoint: true } : c,
      ),
    };
    expect(endpointMembers(withdrawn, recorded).map((m) => m.cluster)).toEqual(['eks-prod', 'aks-prod']);
    const none = {
      ...fleet,
      clusters: fleet.clusters.map((c) => ({ ...c, withdrawnFromGlobalEndpoint: true })),
    };
    expect(() => endpointMembers(none, recorded)).toThrow(/would answer nothing/);
  });

  it('needs a parent zone for the API host', () => {
    expect(hostedZoneOf('predict.ml-platform.example.com')).toBe('ml-platform.example.com');
    expect(() => hostedZoneOf('example.com')).toThrow(/no parent zone/);
  });
});
