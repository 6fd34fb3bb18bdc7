import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { EksAccessScope, EksApiAccess, NodePool, Taint } from '../../clusters/types';
import { SPOT_INSTANCE_ALTERNATIVES } from '../defaults';
import type { KubernetesPlan } from '../plan';
import { AwsIrsaRole } from './identity';

export interface AwsKubernetesClusterProps {
  /** Version, node pools and API exposure. */
  readonly kubernetes: KubernetesPlan;
  /** Service (ClusterIP) range. */
  readonly serviceCidr: string;
  /** Private subnets for the control plane's network interfaces and the nodes, one per zone. */
  readonly privateSubnets: readonly Subnet[];
  /** The IAM roles that may use the Kubernetes API and their scope: the cluster file's `apiAccess`. */
  readonly apiAccess: readonly EksApiAccess[];
  /**
   * Kubernetes group `view` roles join (`accessGroups.developers`): the base component binds it to
   * the platform's read-only ClusterRole, which also covers the Istio, Prometheus and Argo CD kinds
   * that AmazonEKSViewPolicy leaves out.
   */
  readonly viewerGroup: string;
}

/** The EKS access policy each scope is granted with, cluster-wide. */
const ACCESS_POLICY: Record<EksAccessScope, string> = {
  'cluster-admin': 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
  view: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
};

/**
 * Construct id of a role's access entry, from its account and role name (unique in the account,
 * whatever the path): the Terraform address stays put when the fleet reorders the list, so a
 * reorder never deletes and recreates an entry, which would cut that role off in between.
 */
function accessId(principalArn: string): string {
  const [, , , , account, resource] = principalArn.split(':');
  return `access-${account}-${resource.split('/').pop()}`;
}

/**
 * EKS installs vpc-cni, coredns and kube-proxy itself when it creates a cluster (self-managed, as
 * `bootstrap_self_managed_addons` defaults to true). Creating the managed add-on over them, with a
 * configuration of its own, fails on the fields they already set unless creation may overwrite them;
 * updates keep overwriting so the add-on stays what this file says.
 */
export const ADDON_CONFLICTS = {
  resolveConflictsOnCreate: 'OVERWRITE',
  resolveConflictsOnUpdate: 'OVERWRITE',
} as const;

const TAINT_EFFECT: Record<Taint['effect'], string> = {
  NoSchedule: 'NO_SCHEDULE',
  NoExecute: 'NO_EXECUTE',
  PreferNoSchedule: 'PREFER_NO_SCHEDULE',
};

/**
 * The instance types of a pool's node group: the fleet's, and for a spot pool the alternatives of
 * the same size (infra/defaults.ts), so the group draws on several spot capacity pools.
 */
export function instanceTypes(pool: NodePool): string[] {
  if (pool.capacityType !== 'spot') return [pool.instanceType];
  const alternatives = SPOT_INSTANCE_ALTERNATIVES[pool.instanceType];
  if (!alternatives) {
    throw new Error(
      `node pool ${pool.name}: spot instance type ${pool.instanceType} has no alternatives of the same size in ` +
        `SPOT_INSTANCE_ALTERNATIVES (infra/defaults.ts); a single-type spot group loses every node when that ` +
        `type's spot capacity runs out. Known: ${Object.keys(SPOT_INSTANCE_ALTERNATIVES).join(', ')}`,
    );
  }
  return [pool.instanceType, ...alternatives];
}

/** EKS optimized Amazon Linux 2023 image: the NVIDIA variant for GPU pools. */
function amiType(pool: NodePool): string {
  return pool.gpu ? 'AL2023_x86_64_NVIDIA' : 'AL2023_x86_64_STANDARD';
}

function assumeRoleBy(scope: Construct, id: string, service: string): DataAwsIamPolicyDocument {
  return new DataAwsIamPolicyDocument(scope, id, {
    statement: [
      {
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        principals: [{ type: 'Service', identifiers: [service] }],
      },
    ],
  });
}

/**
 * EKS with one managed node group per fleet pool (named as the pool, which is
 * the `eks.amazonaws.com/nodegroup` label charts select on), secrets
 * encrypted with a customer managed key, control plane logs, an access entry
 * per role of the cluster file's `apiAccess`, the IRSA OIDC provider and the
 * core add-ons (VPC CNI enforcing NetworkPolicies, EBS CSI).
 */
export class AwsKubernetesCluster extends Construct {
  readonly cluster: EksCluster;
  readonly oidcProvider: IamOpenidConnectProvider;
  /** Issuer host without scheme, as IAM condition keys name it. */
  readonly oidcIssuerHost: string;
  readonly nodeGroups: EksNodeGroup[] = [];

  constructor(scope: Construct, id: string, props: AwsKubernetesClusterProps) {
    super(scope, id);
    const { kubernetes } = props;
    const subnetIds = props.privateSubnets.map((s) => s.id);

    const secretsKey = new KmsKey(this, 'secrets-key', {
      description: `Envelope encryption of Kubernetes secrets in ${kubernetes.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      // Losing this key makes every Secret of the cluster unreadable.
      lifecycle: { preventDestroy: true },
    });
    const logGroup = new CloudwatchLogGroup(this, 'control-plane-logs', {
      name: `/aws/eks/${kubernetes.name}/cluster`,
      retentionInDays: kubernetes.logRetentionDays,
    });
    const clusterRole = new IamRole(this, 'cluster-role', {
      name: `${kubernetes.name}-cluster`,
      assumeRolePolicy: assumeRoleBy(this, 'cluster-trust', 'eks.amazonaws.com').json,
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, 'cluster-policy', {
      role: clusterRole.name,
      policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
    });

    this.cluster = new EksCluster(this, 'cluster', {
      name: kubernetes.name,
      version: kubernetes.version,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: kubernetes.publicApiEndpoint,
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: props.serviceCidr, ipFamily: 'ipv4' },
      // Access entries only (no aws-auth ConfigMap), and no implicit administrator: every role that
      // can use the API is one of the entries below, reviewed in the cluster file. The identity
      // applying the stack never needs the Kubernetes API (access entries, add-ons and node groups
      // are EKS API calls authorized by IAM), so making it a standing cluster admin would only add
      // an unreviewed grant, and listing it in the fleet as well would fail as a duplicate entry.
      // EKS reads the flag at creation only: changing it on an existing cluster replaces the cluster.
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: secretsKey.arn } },
      enabledClusterLogTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
      // STANDARD: when the version's standard support ends, EKS upgrades the control plane instead of
      // moving the cluster to extended support, which bills every cluster-hour at six times the rate.
      // Upgrading before that date stays the operators' job (docs/versions.md).
      upgradePolicy: { supportType: 'STANDARD' },
      // Deleting the cluster through the API (or a plan that replaces it) fails until this is turned off.
      deletionProtection: true,
      dependsOn: [clusterPolicy, logGroup],
    });

    for (const access of props.apiAccess) {
      const id = accessId(access.principalArn);
      const entry = new EksAccessEntry(this, id, {
        clusterName: this.cluster.name,
        principalArn: access.principalArn,
        type: 'STANDARD',
        ...(access.scope === 'view' ? { kubernetesGroups: [props.viewerGroup] } : {}),
      });
      new EksAccessPolicyAssociation(this, `${id}-policy`, {
        clusterName: this.cluster.name,
        // The entry's attribute, so the association waits for the entry it belongs to.
        principalArn: entry.principalArn,
        policyArn: ACCESS_POLICY[access.scope],
        accessScope: { type: 'cluster' },
      });
    }

    const issuer = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc-provider', {
      url: issuer,
      clientIdList: ['sts.amazonaws.com'],
    });
    this.oidcIssuerHost = Fn.replace(this.oidcProvider.url, 'https://', '');

    // cluster-autoscaler (platform/clouds/spot-fallback.ts) resizes the node groups' Auto Scaling groups: it may
    // read any group and change only those tagged as this cluster's. Permissions as its AWS guide lists.
    new AwsIrsaRole(this, 'identity-cluster-autoscaler', {
      name: `${kubernetes.name}-cluster-autoscaler`,
      oidcProviderArn: this.oidcProvider.arn,
      oidcIssuerHost: this.oidcIssuerHost,
      subject: 'system:serviceaccount:kube-system:cluster-autoscaler',
      statements: [
        {
          actions: [
            'autoscaling:DescribeAutoScalingGroups',
            'autoscaling:DescribeAutoScalingInstances',
            'autoscaling:DescribeLaunchConfigurations',
            'autoscaling:DescribeScalingActivities',
            'autoscaling:DescribeTags',
            'ec2:DescribeImages',
            'ec2:DescribeInstanceTypes',
            'ec2:DescribeLaunchTemplateVersions',
            'ec2:GetInstanceTypesFromInstanceRequirements',
            'eks:DescribeNodegroup',
          ],
          resources: ['*'],
        },
        {
          actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
          resources: ['*'],
          condition: [
            {
              test: 'StringEquals',
              variable: `aws:ResourceTag/k8s.io/cluster-autoscaler/${kubernetes.name}`,
              values: ['owned'],
            },
          ],
        },
      ],
    });

    const nodeRole = new IamRole(this, 'node-role', {
      name: `${kubernetes.name}-node`,
      assumeRolePolicy: assumeRoleBy(this, 'node-trust', 'ec2.amazonaws.com').json,
    });
    const nodePolicies = [
      'AmazonEKSWorkerNodePolicy',
      'AmazonEKS_CNI_Policy',
      'AmazonEC2ContainerRegistryReadOnly',
      'AmazonSSMManagedInstanceCore',
    ].map(
      (policy) =>
        new IamRolePolicyAttachment(this, `node-${policy}`, {
          role: nodeRole.name,
          policyArn: `arn:aws:iam::aws:policy/${policy}`,
        }),
    );

    for (const pool of kubernetes.nodePools) {
      this.nodeGroups.push(
        new EksNodeGroup(this, `node-group-${pool.name}`, {
          clusterName: this.cluster.name,
          nodeGroupName: pool.name,
          nodeRoleArn: nodeRole.arn,
          subnetIds,
          instanceTypes: instanceTypes(pool),
          capacityType: pool.capacityType === 'spot' ? 'SPOT' : 'ON_DEMAND',
          amiType: amiType(pool),
          diskSize: pool.diskSizeGb,
          scalingConfig: { minSize: pool.minSize, maxSize: pool.maxSize, desiredSize: pool.desiredSize },
          updateConfig: { maxUnavailablePercentage: 33 },
          labels: { 'platform.ml/pool-role': pool.role },
          taint: pool.taints.map((t) => ({ key: t.key, value: t.value, effect: TAINT_EFFECT[t.effect] })),
          // The cluster autoscaler owns the running size once the group exists.
          lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
          dependsOn: nodePolicies,
        }),
      );
    }

    // Pods keep VPC addresses from the private subnets; the CNI enforces NetworkPolicies.
    new EksAddon(this, 'addon-vpc-cni', {
      clusterName: this.cluster.name,
      addonName: 'vpc-cni',
      ...ADDON_CONFLICTS,
      configurationValues: JSON.stringify({
        enableNetworkPolicy: 'true',
        env: { ENABLE_PREFIX_DELEGATION: 'true' },
      }),
    });
    for (const addon of ['coredns', 'kube-proxy']) {
      new EksAddon(this, `addon-${addon}`, {
        clusterName: this.cluster.name,
        addonName: addon,
        ...ADDON_CONFLICTS,
        dependsOn: addon === 'coredns' ? this.nodeGroups : [],
      });
    }
  }
}
