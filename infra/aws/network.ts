import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Construct } from 'constructs';
import type { NetworkPlan } from '../plan';

export interface AwsNetworkProps {
  /** Cluster name: subnets are tagged for its load balancer controller. */
  readonly clusterName: string;
  /** Address ranges and per-zone subnets. */
  readonly network: NetworkPlan;
  /** Region of the VPC: the S3 gateway endpoint's service is regional. */
  readonly region: string;
}

/**
 * A VPC across the fleet's zones: a public subnet per zone (load balancers,
 * one NAT gateway each so a zone outage does not cut the others' egress) and
 * a private subnet per zone for nodes, databases and caches.
 */
export class AwsNetwork extends Construct {
  readonly vpc: Vpc;
  readonly privateSubnets: Subnet[] = [];
  readonly publicSubnets: Subnet[] = [];
  /** Route tables of the private subnets, one per zone (the VPN gateway propagates its routes into them). */
  readonly privateRouteTables: RouteTable[] = [];

  constructor(scope: Construct, id: string, props: AwsNetworkProps) {
    super(scope, id);
    const { network, clusterName } = props;
    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: network.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: clusterName },
    });
    const igw = new InternetGateway(this, 'internet-gateway', {
      vpcId: this.vpc.id,
      tags: { Name: clusterName },
    });
    const publicRoutes = new RouteTable(this, 'public-routes', {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
      tags: { Name: `${clusterName}-public` },
    });
    const clusterTag = { [`kubernetes.io/cluster/${clusterName}`]: 'shared' };

    network.zones.forEach(({ zone, privateCidr, publicCidr }) => {
      const publicSubnet = new Subnet(this, `public-${zone}`, {
        vpcId: this.vpc.id,
        availabilityZone: zone,
        cidrBlock: publicCidr,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${clusterName}-public-${zone}`, 'kubernetes.io/role/elb': '1', ...clusterTag },
      });
      new RouteTableAssociation(this, `public-${zone}-routes`, {
        subnetId: publicSubnet.id,
        routeTableId: publicRoutes.id,
      });
      const eip = new Eip(this, `nat-${zone}-address`, {
        domain: 'vpc',
        tags: { Name: `${clusterName}-nat-${zone}` },
      });
      const nat = new NatGateway(this, `nat-${zone}`, {
        allocationId: eip.id,
        subnetId: publicSubnet.id,
        tags: { Name: `${clusterName}-${zone}` },
        dependsOn: [igw],
      });
      const privateSubnet = new Subnet(this, `private-${zone}`, {
        vpcId: this.vpc.id,
        availabilityZone: zone,
        cidrBlock: privateCidr,
        tags: {
          Name: `${clusterName}-private-${zone}`,
          'kubernetes.io/role/internal-elb': '1',
          ...clusterTag,
        },
      });
      const privateRoutes = new RouteTable(this, `private-${zone}-routes`, {
        vpcId: this.vpc.id,
        route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
        tags: { Name: `${clusterName}-private-${zone}` },
      });
      new RouteTableAssociation(this, `private-${zone}-routes-association`, {
        subnetId: privateSubnet.id,
        routeTableId: privateRoutes.id,
      });
      this.privateRouteTables.push(privateRoutes);
      this.publicSubnets.push(publicSubnet);
      this.privateSubnets.push(privateSubnet);
    });
    // S3 through a gateway endpoint: model pulls, data-lake reads and ECR image layers (stored in S3)
    // stay on the AWS network instead of crossing the NAT gateways, which bill per GB.
    new VpcEndpoint(this, 's3-endpoint', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: this.privateRouteTables.map((t) => t.id),
      tags: { Name: `${clusterName}-s3` },
    });
  }
}
