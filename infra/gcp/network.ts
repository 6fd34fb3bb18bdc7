import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { ServiceNetworkingConnection } from '@cdktf/provider-google/lib/service-networking-connection';
import { Construct } from 'constructs';
import { prefixLength } from '../cidr';
import type { NetworkPlan } from '../plan';

export interface GcpNetworkProps {
  /** Cluster name, the prefix of every network resource. */
  readonly clusterName: string;
  /** Region of the subnet, router and NAT. */
  readonly region: string;
  /** Address ranges. */
  readonly network: NetworkPlan;
}

/** Secondary range names on the node subnet, as the GKE cluster refers to them. */
export const SECONDARY_RANGES = { pods: 'pods', services: 'services' } as const;

/**
 * A custom-mode VPC with one regional node subnet (GKE subnets span zones)
 * carrying the fleet's pod and service ranges as secondary ranges, Cloud
 * Router + Cloud NAT for egress from private nodes, and a private services
 * range peered with Google's services (Cloud SQL, Memorystore) inside the VPC
 * range, where the charts' network policies expect them.
 */
export class GcpNetwork extends Construct {
  readonly network: ComputeNetwork;
  readonly subnetwork: ComputeSubnetwork;
  readonly privateServices: ServiceNetworkingConnection;

  constructor(scope: Construct, id: string, props: GcpNetworkProps) {
    super(scope, id);
    const { network, clusterName } = props;
    this.network = new ComputeNetwork(this, 'vpc', {
      name: clusterName,
      autoCreateSubnetworks: false,
      routingMode: 'REGIONAL',
    });
    // Zones share a regional subnet on GCP; the first zone's private range is the node range.
    this.subnetwork = new ComputeSubnetwork(this, 'nodes', {
      name: `${clusterName}-nodes`,
      region: props.region,
      network: this.network.id,
      ipCidrRange: network.zones[0].privateCidr,
      privateIpGoogleAccess: true,
      secondaryIpRange: [
        { rangeName: SECONDARY_RANGES.pods, ipCidrRange: network.podCidr },
        { rangeName: SECONDARY_RANGES.services, ipCidrRange: network.serviceCidr },
      ],
      logConfig: {
        aggregationInterval: 'INTERVAL_5_MIN',
        flowSampling: 0.5,
        metadata: 'INCLUDE_ALL_METADATA',
      },
    });
    const router = new ComputeRouter(this, 'router', {
      name: clusterName,
      region: props.region,
      network: this.network.id,
    });
    new ComputeRouterNat(this, 'nat', {
      name: clusterName,
      region: props.region,
      router: router.name,
      natIpAllocateOption: 'AUTO_ONLY',
      sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
      logConfig: { enable: true, filter: 'ERRORS_ONLY' },
    });
    const [address] = network.managedServicesCidr.split('/');
    const servicesRange = new ComputeGlobalAddress(this, 'private-services-range', {
      name: `${clusterName}-private-services`,
      purpose: 'VPC_PEERING',
      addressType: 'INTERNAL',
      address,
      prefixLength: prefixLength(network.managedServicesCidr),
      network: this.network.id,
    });
    this.privateServices = new ServiceNetworkingConnection(this, 'private-services', {
      network: this.network.id,
      service: 'servicenetworking.googleapis.com',
      reservedPeeringRanges: [servicesRange.name],
    });
  }
}
