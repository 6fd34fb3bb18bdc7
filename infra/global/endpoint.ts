import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { type ClusterOutputs, outputsFile } from '../../clusters/outputs';
import type { Cloud, ClusterSpec, Fleet } from '../../clusters/types';
import { INGRESS_HEALTH } from '../../platform/mesh/workloads';
import { GLOBAL_ENDPOINT_STACK } from '../../tools/tree/layout';
import { nearestAwsRegion as nearestToAzure } from '../azure/regions';
import { GLOBAL_ENDPOINT } from '../defaults';
import { nearestAwsRegion as nearestToGcp } from '../gcp/regions';
import { refusePlaceholders } from '../placeholders';
import { standardTags } from '../plan';

/** The AWS region a cluster's latency record names (Route 53 knows AWS regions only). */
const LATENCY_REGION: { readonly [C in Cloud]: (region: string) => string } = {
  aws: (region) => region,
  gcp: nearestToGcp,
  azure: nearestToAzure,
};

/** One cluster's entry in the global endpoint. */
export interface EndpointMember {
  /** The cluster. */
  readonly cluster: string;
  /** Its ingress load balancer's public address (IPv4 or host name). */
  readonly ingressAddress: string;
  /** Host name of the cluster's own ingress record, `<cluster>.<API host>`. */
  readonly ingressRecord: string;
  /** AWS region its latency record names. */
  readonly latencyRegion: string;
  /** Why the address cannot be applied yet; absent once recorded. */
  readonly placeholder?: string;
}

/** The zone the prediction API host lives in: the host without its first label. */
export function hostedZoneOf(host: string): string {
  const dot = host.indexOf('.');
  if (dot < 0 || !host.slice(dot + 1).includes('.')) {
    throw new Error(
      `observability.predictionApiHost "${host}" has no parent zone to hold its records (clusters/defaults.ts)`,
    );
  }
  return host.slice(dot + 1);
}

/** The members of the global endpoint: every cluster not withdrawn from it, with its recorded ingress address. */
export function endpointMembers(
  fleet: Fleet,
  outputsOf: (cluster: ClusterSpec) => ClusterOutputs,
): EndpointMember[] {
  const host = fleet.settings.observability.predictionApiHost;
  const members = fleet.clusters.filter((cluster) => !cluster.withdrawnFromGlobalEndpoint);
  if (members.length === 0) {
    throw new Error('every cluster is withdrawnFromGlobalEndpoint: the global endpoint would answer nothing');
  }
  return members.map((cluster) => {
    const recorded = outputsOf(cluster).ingressAddress;
    return {
      cluster: cluster.name,
      // A made-up address no resolver answers, until the cluster's ingress exists and is recorded.
      ingressAddress: recorded ?? `ingress.${cluster.name}.placeholder.invalid`,
      ingressRecord: `${cluster.name}.${host}`,
      latencyRegion: LATENCY_REGION[cluster.cloud](cluster.region),
      ...(recorded
        ? {}
        : {
            placeholder:
              `${outputsFile(cluster)}: ingressAddress is missing; npm run bootstrap -- --cluster ${cluster.name} ` +
              'records it once the ingress gateway has its load balancer',
          }),
    };
  });
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * One host name for the prediction API across the fleet: Route 53 answers each client with the
 * cluster of lowest latency from its resolver whose ingress passes its health check, and stops
 * answering with a cluster whose check fails. Route 53 because it is the one managed DNS of the
 * three clouds with latency routing and health checks of arbitrary public endpoints together
 * (Cloud DNS's geo routing health-checks Google load balancers only; Azure Traffic Manager would
 * do, but the fleet's API host's zone and the Terraform state already live in AWS).
 *
 * Each cluster gets its own record `<cluster>.<host>` (A for an address, CNAME for a load
 * balancer's name), so the latency records of the API host are all CNAMEs, whatever each cloud's
 * load balancer gives; the health check asks the ingress itself for INGRESS_HEALTH.
 */
export class GlobalEndpointStack extends TerraformStack {
  constructor(scope: Construct, fleet: Fleet, outputsOf: (cluster: ClusterSpec) => ClusterOutputs) {
    super(scope, GLOBAL_ENDPOINT_STACK);
    if (fleet.clusters.some((c) => c.name === GLOBAL_ENDPOINT_STACK)) {
      throw new Error(
        `a cluster may not be named "${GLOBAL_ENDPOINT_STACK}": the global endpoint's stack is`,
      );
    }
    const account = fleet.clusters.find((c) => c.cloud === 'aws');
    if (account?.cloud !== 'aws') {
      throw new Error(
        'the global endpoint uses Route 53, in the account of an AWS cluster; the fleet has none',
      );
    }
    const state = fleet.settings.terraformState.aws;
    const backend = new S3Backend(this, {
      bucket: state.bucket,
      key: `${GLOBAL_ENDPOINT_STACK}/terraform.tfstate`,
      region: state.region,
      encrypt: true,
    });
    backend.addOverride('use_lockfile', true);
    const { cluster: _cluster, ...tags } = standardTags(fleet, account);
    new AwsProvider(this, 'aws', {
      // Route 53 is global; its API lives in us-east-1.
      region: 'us-east-1',
      allowedAccountIds: [account.accountId],
      defaultTags: [{ tags: { ...tags, component: GLOBAL_ENDPOINT_STACK } }],
    });
    const host = fleet.settings.observability.predictionApiHost;
    const zone = new DataAwsRoute53Zone(this, 'zone', { name: hostedZoneOf(host), privateZone: false });
    const members = endpointMembers(fleet, outputsOf);
    for (const member of members) {
      const ip = IPV4.test(member.ingressAddress);
      new Route53Record(this, `ingress-${member.cluster}`, {
        zoneId: zone.zoneId,
        name: member.ingressRecord,
        type: ip ? 'A' : 'CNAME',
        ttl: GLOBAL_ENDPOINT.ingressRecordTtlSeconds,
        records: [member.ingressAddress],
      });
      const check = new Route53HealthCheck(this, `health-${member.cluster}`, {
        type: 'HTTP',
        ...(ip ? { ipAddress: member.ingressAddress } : {}),
        fqdn: ip ? member.ingressRecord : member.ingressAddress,
        port: INGRESS_HEALTH.port,
        resourcePath: INGRESS_HEALTH.path,
        requestInterval: GLOBAL_ENDPOINT.requestIntervalSeconds,
        failureThreshold: GLOBAL_ENDPOINT.failureThreshold,
        regions: [...GLOBAL_ENDPOINT.checkerRegions],
        referenceName: member.cluster.slice(0, 64),
        tags: { Name: `${member.cluster}-ingress` },
      });
      new Route53Record(this, `api-${member.cluster}`, {
        zoneId: zone.zoneId,
        name: host,
        type: 'CNAME',
        ttl: GLOBAL_ENDPOINT.ttlSeconds,
        records: [member.ingressRecord],
        setIdentifier: member.cluster,
        latencyRoutingPolicy: { region: member.latencyRegion },
        healthCheckId: check.id,
      });
    }
    refusePlaceholders(
      this,
      members.flatMap((m) => (m.placeholder ? [m.placeholder] : [])),
    );
  }
}
