import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import type { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import type { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { CROSS_CLOUD_NETWORK, OPERATOR_ACCESS } from '../defaults';

export interface AwsBastionProps {
  /** Cluster name, the prefix of every resource. */
  readonly clusterName: string;
  /** The cluster's VPC. */
  readonly vpc: Vpc;
  /** Zone and range of the bastion subnet (a connectivity /24 of the VPC range). */
  readonly zone: string;
  readonly subnetCidr: string;
  /** Route table the subnet uses: the first zone's private one (NAT egress, routes learned over the VPN). */
  readonly routeTable: RouteTable;
  /** The EKS cluster security group: the bastion may reach the private API endpoint. */
  readonly clusterSecurityGroupId: string;
}

/**
 * The operators' and CI's path to the private API servers of every cluster:
 * one small instance without a public address and without any inbound rule,
 * reached through AWS Systems Manager Session Manager (the SSM agent dials out
 * through NAT), from which `AWS-StartPortForwardingSessionToRemoteHost`
 * forwards a local port to an API server: this cluster's through the VPC, the
 * other clouds' over the cross-cloud VPN (its subnet lies in the VPC range the
 * peers accept). Who may open a session is IAM (`ssm:StartSession` on this
 * instance), granted outside the stack to the operators' and CI's roles.
 */
export class AwsBastion extends Construct {
  readonly instance: Instance;
  readonly subnet: Subnet;

  constructor(scope: Construct, id: string, props: AwsBastionProps) {
    super(scope, id);
    const name = `${props.clusterName}-bastion`;
    this.subnet = new Subnet(this, 'subnet', {
      vpcId: props.vpc.id,
      availabilityZone: props.zone,
      cidrBlock: props.subnetCidr,
      tags: { Name: name },
    });
    new RouteTableAssociation(this, 'routes', {
      subnetId: this.subnet.id,
      routeTableId: props.routeTable.id,
    });
    const group = new SecurityGroup(this, 'security-group', {
      name,
      description: 'Operator bastion: no inbound; HTTPS out (SSM, API servers) and DNS',
      vpcId: props.vpc.id,
      egress: [
        {
          protocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          cidrBlocks: ['0.0.0.0/0'],
          description: 'SSM, API servers',
        },
        {
          protocol: 'udp',
          fromPort: 53,
          toPort: 53,
          cidrBlocks: [props.vpc.cidrBlock],
          description: 'VPC DNS',
        },
      ],
      tags: { Name: name },
    });
    new VpcSecurityGroupIngressRule(this, 'api-from-bastion', {
      securityGroupId: props.clusterSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: CROSS_CLOUD_NETWORK.apiServerPort,
      toPort: CROSS_CLOUD_NETWORK.apiServerPort,
      cidrIpv4: props.subnetCidr,
      description: 'Kubernetes API from the operator bastion',
    });
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }],
        },
      ],
    });
    const role = new IamRole(this, 'role', { name, assumeRolePolicy: trust.json });
    new IamRolePolicyAttachment(this, 'ssm', {
      role: role.name,
      policyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    });
    const profile = new IamInstanceProfile(this, 'profile', { name, role: role.name });
    const image = new DataAwsSsmParameter(this, 'image', { name: OPERATOR_ACCESS.bastionAmiParameter });
    this.instance = new Instance(this, 'instance', {
      ami: image.value,
      instanceType: OPERATOR_ACCESS.bastionInstanceType,
      subnetId: this.subnet.id,
      vpcSecurityGroupIds: [group.id],
      iamInstanceProfile: profile.name,
      associatePublicIpAddress: false,
      metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled' },
      rootBlockDevice: { encrypted: true, volumeType: 'gp3' },
      tags: { Name: name },
      // A newer image must not replace the bastion under an open session: patching is SSM's job.
      lifecycle: { ignoreChanges: ['ami'] },
    });
  }
}
