import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { EbsEncryptionByDefault } from '@cdktf/provider-aws/lib/ebs-encryption-by-default';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { secretName } from '../../clusters/naming';
import type { AwsClusterSpec, FleetSettings } from '../../clusters/types';
import type { VendorPolicy } from '../../clusters/workloads';
import type { IdentityPlan, InfrastructurePlan } from '../plan';
import { declareStackOutputs } from '../stack-outputs';
import { AwsBastion } from './bastion';
import { AwsCache } from './cache';
import { ADDON_CONFLICTS, AwsKubernetesCluster } from './cluster';
import { AwsDatabase } from './database';
import { AwsIrsaRole } from './identity';
import { LOAD_BALANCER_CONTROLLER_POLICY } from './load-balancer-controller-policy';
import { AwsNetwork } from './network';
import { PRICE_READER_STATEMENTS } from './pricing';
import { AwsRegistry } from './registry';
import { AwsSecrets } from './secrets';
import { AwsBucket } from './storage';
import { AwsCrossCloudVpn } from './vpn';

const BUCKET_ACTIONS = {
  read: ['s3:GetObject', 's3:GetObjectVersion'],
  // Writers upload large objects in parts (Velero, Elasticsearch snapshots): abort a failed one.
  'read-write': [
    's3:GetObject',
    's3:GetObjectVersion',
    's3:PutObject',
    's3:DeleteObject',
    's3:AbortMultipartUpload',
    's3:ListMultipartUploadParts',
  ],
} as const;

/** Actions on the bucket itself; writers also list unfinished uploads, which Elasticsearch cleans up. */
const BUCKET_LIST_ACTIONS = {
  read: ['s3:ListBucket'],
  'read-write': ['s3:ListBucket', 's3:ListBucketMultipartUploads'],
} as const;

/** The vendors' published policies, by the name a workload entry asks for (clusters/workloads.ts). */
const VENDOR_POLICIES: Record<VendorPolicy, readonly DataAwsIamPolicyDocumentStatement[]> = {
  'aws-load-balancer-controller': LOAD_BALANCER_CONTROLLER_POLICY,
};

/** IAM statements granting exactly the plan's buckets and secrets. */
function workloadStatements(
  identity: IdentityPlan,
  secretArn: (name: string) => string,
): DataAwsIamPolicyDocumentStatement[] {
  const statements: DataAwsIamPolicyDocumentStatement[] = identity.buckets.flatMap(({ name, access }) => [
    { sid: 'List', actions: [...BUCKET_LIST_ACTIONS[access]], resources: [`arn:aws:s3:::${name}`] },
    { sid: 'Objects', actions: [...BUCKET_ACTIONS[access]], resources: [`arn:aws:s3:::${name}/*`] },
  ]);
  if (identity.secrets.length > 0) {
    statements.push({
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: identity.secrets.map(secretArn),
    });
  }
  // Statement ids must be unique within a policy.
  return statements.map((s, i) => ({ ...s, sid: `${s.sid ?? 'Secrets'}${i}` }));
}

/** Everything one AWS cluster needs, in its account and region, with state in S3 locked by a lock file. */
export class AwsClusterStack extends TerraformStack {
  constructor(scope: Construct, plan: InfrastructurePlan<AwsClusterSpec>, settings: FleetSettings) {
    super(scope, plan.cluster.name);
    const { cluster } = plan;
    const state = settings.terraformState.aws;
    const backend = new S3Backend(this, {
      bucket: state.bucket,
      key: `${cluster.name}/terraform.tfstate`,
      region: state.region,
      encrypt: true,
    });
    // S3's own conditional writes lock the state (Terraform 1.10+); the DynamoDB lock is deprecated.
    // cdktf 0.21's S3Backend predates the argument, hence the override.
    backend.addOverride('use_lockfile', true);
    new AwsProvider(this, 'aws', {
      region: cluster.region,
      allowedAccountIds: [cluster.accountId],
      defaultTags: [{ tags: { ...plan.tags } }],
    });

    const network = new AwsNetwork(this, 'network', {
      clusterName: cluster.name,
      network: plan.network,
      region: cluster.region,
    });
    const kubernetes = new AwsKubernetesCluster(this, 'kubernetes', {
      kubernetes: plan.kubernetes,
      serviceCidr: plan.network.serviceCidr,
      privateSubnets: network.privateSubnets,
      apiAccess: cluster.apiAccess,
      viewerGroup: settings.accessGroups.developers,
    });
    // Only a database the cluster file declares, i.e. one something connects to.
    const database =
      plan.database &&
      new AwsDatabase(this, 'database', {
        database: plan.database,
        vpc: network.vpc,
        subnets: network.privateSubnets,
        clientCidr: plan.network.cidr,
      });
    const secrets = new AwsSecrets(this, 'secrets', { secrets: plan.secrets });
    const authTokenSecret = secrets.byName.get(secretName(cluster, 'redis-auth-token'));
    if (!authTokenSecret) throw new Error(`${cluster.name}: the plan has no redis-auth-token secret`);
    const cacheGroup = new AwsCache(this, 'cache', {
      cache: plan.cache,
      vpc: network.vpc,
      subnets: network.privateSubnets,
      clientCidr: plan.network.cidr,
      authTokenSecret,
    }).replicationGroup;
    for (const bucket of plan.buckets) new AwsBucket(this, `bucket-${bucket.role}`, { bucket });
    new AwsRegistry(this, 'registry', { registry: plan.registry });
    // Account-wide in the region: every new EBS volume (nodes, CSI volumes) is encrypted.
    new EbsEncryptionByDefault(this, 'ebs-encryption-by-default', { enabled: true });

    const irsa = {
      oidcProviderArn: kubernetes.oidcProvider.arn,
      oidcIssuerHost: kubernetes.oidcIssuerHost,
    };
    for (const identity of plan.identities) {
      new AwsIrsaRole(this, `identity-${identity.workload.name}`, {
        ...irsa,
        name: identity.name,
        subject: identity.subject,
        statements: [
          ...workloadStatements(identity, (name) => {
            const secret = secrets.byName.get(name);
            if (!secret)
              throw new Error(`${cluster.name}: identity ${identity.name} reads unknown secret ${name}`);
            return secret.arn;
          }),
          ...(identity.workload.vendorPolicy ? VENDOR_POLICIES[identity.workload.vendorPolicy] : []),
          ...(identity.workload.readsPrices ? PRICE_READER_STATEMENTS : []),
        ],
      });
    }
    // Clusters of other clouds copy models from here: each trusts its own token issuer, reads one bucket.
    for (const reader of plan.modelReaders) {
      const issuer = new IamOpenidConnectProvider(this, `reader-issuer-${reader.reader}`, {
        url: reader.issuerUrl,
        clientIdList: ['sts.amazonaws.com'],
      });
      new AwsIrsaRole(this, `model-reader-${reader.reader}`, {
        name: reader.name,
        oidcProviderArn: issuer.arn,
        oidcIssuerHost: reader.issuerUrl.replace(/^https:\/\//, ''),
        subject: reader.subject,
        statements: [
          { sid: 'List', actions: ['s3:ListBucket'], resources: [`arn:aws:s3:::${reader.bucket}`] },
          {
            sid: 'Objects',
            actions: [...BUCKET_ACTIONS.read],
            resources: [`arn:aws:s3:::${reader.bucket}/*`],
          },
        ],
      });
    }
    // The EBS CSI driver provisions the gp3/io2 volumes the charts' storage classes name.
    const ebsCsi = new AwsIrsaRole(this, 'identity-ebs-csi-driver', {
      ...irsa,
      name: `${cluster.name}-ebs-csi-driver`,
      subject: 'system:serviceaccount:kube-system:ebs-csi-controller-sa',
      statements: [],
      managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy'],
    });
    new EksAddon(this, 'addon-aws-ebs-csi-driver', {
      clusterName: kubernetes.cluster.name,
      addonName: 'aws-ebs-csi-driver',
      serviceAccountRoleArn: ebsCsi.role.arn,
      ...ADDON_CONFLICTS,
      dependsOn: kubernetes.nodeGroups,
    });
    // The CSI snapshot API (snapshot.storage.k8s.io CRDs and the snapshot controller), which EKS does
    // not install by itself: Velero snapshots the volumes through it (platform/backup), and the EBS
    // CSI driver cuts the snapshots with its role (AmazonEBSCSIDriverPolicy grants the snapshot calls).
    new EksAddon(this, 'addon-snapshot-controller', {
      clusterName: kubernetes.cluster.name,
      addonName: 'snapshot-controller',
      ...ADDON_CONFLICTS,
      dependsOn: kubernetes.nodeGroups,
    });

    // The cross-cloud network and the operators' path to every API server (docs/infrastructure.md, cross-cloud network).
    const clusterSecurityGroupId = kubernetes.cluster.vpcConfig.clusterSecurityGroupId;
    const vpn = new AwsCrossCloudVpn(this, 'cross-cloud', {
      clusterName: cluster.name,
      plan: plan.crossCloud,
      vpc: network.vpc,
      privateRouteTables: network.privateRouteTables,
      privateSubnets: network.privateSubnets,
      clusterSecurityGroupId,
    });
    new AwsBastion(this, 'bastion', {
      clusterName: cluster.name,
      vpc: network.vpc,
      zone: cluster.zones[0],
      subnetCidr: plan.crossCloud.bastionSubnetCidr,
      routeTable: network.privateRouteTables[0],
      clusterSecurityGroupId,
    });

    declareStackOutputs(this, {
      vpnEndpoints: vpn.endpoints(),
      vpcId: network.vpc.id,
      kubernetesApiEndpoint: kubernetes.cluster.endpoint,
      oidcIssuerUrl: kubernetes.oidcProvider.url,
      database: database && { host: database.instance.address, port: database.instance.port },
      cacheHost: cacheGroup.primaryEndpointAddress,
      cachePort: cacheGroup.port,
    });
  }
}
