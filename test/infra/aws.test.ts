import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { Testing } from 'cdktf';
import * as ipaddr from 'ipaddr.js';
import {
  backupBucketName,
  databaseInstanceName,
  dataLakeBucketName,
  logSnapshotBucketName,
  modelBucketName,
  replicaReaderRoleName,
  secretName,
  workloadIdentityName,
} from '../../clusters/naming';
import { loadClusterOutputs } from '../../clusters/outputs';
import type { AwsClusterSpec } from '../../clusters/types';
import { cloudWorkload, cloudWorkloadsFor, PLATFORM_IMAGES } from '../../clusters/workloads';
import { instanceTypes } from '../../infra/aws/cluster';
import { LOAD_BALANCER_CONTROLLER_POLICY } from '../../infra/aws/load-balancer-controller-policy';
import { planFor } from '../../infra/plan';
import { LOAD_BALANCER_CONTROLLER } from '../../platform/clouds/aws-load-balancer-controller';
import {
  clusterOf,
  databaseFleet,
  expectedSecretNames,
  fleet,
  only,
  REQUIRED_TAG_KEYS,
  resources,
  stackDifference,
  synthesized,
} from './helpers';

Testing.setupJest();

const cluster = clusterOf<AwsClusterSpec>('aws');
const { text, json } = synthesized(cluster);
// The sample declares no database; this cluster does.
const withDatabase = synthesized(clusterOf<AwsClusterSpec>('aws', databaseFleet), databaseFleet);
const inRange = (cidr: string, range: string) =>
  ipaddr.IPv4.parseCIDR(cidr)[0].match(ipaddr.IPv4.parseCIDR(range));

describe(`AWS stack ${cluster.name}`, () => {
  it('keeps state in S3, locked by a lock file beside it rather than the deprecated DynamoDB table', () => {
    const { aws } = fleet.settings.terraformState;
    expect(json.terraform.backend.s3).toEqual({
      bucket: aws.bucket,
      region: aws.region,
      use_lockfile: true,
      key: `${cluster.name}/terraform.tfstate`,
      encrypt: true,
    });
  });

  it('runs Kubernetes 1.35 and never slides into billed extended support', () => {
    expect(only(json, 'aws_eks_cluster')).toMatchObject({
      version: '1.35',
      upgrade_policy: { support_type: 'STANDARD' },
      deletion_protection: true,
    });
  });

  it('lets the managed add-ons overwrite the self-managed ones EKS installs, on create as on update', () => {
    const addons = resources(json, 'aws_eks_addon');
    expect(addons.map((a) => a.addon_name).sort()).toEqual([
      'aws-ebs-csi-driver',
      'coredns',
      'kube-proxy',
      // The CSI snapshot API, which EKS does not install by itself (platform/backup snapshots through it).
      'snapshot-controller',
      'vpc-cni',
    ]);
    for (const addon of addons) {
      expect(addon).toMatchObject({
        resolve_conflicts_on_create: 'OVERWRITE',
        resolve_conflicts_on_update: 'OVERWRITE',
      });
    }
  });

  it('gives ElastiCache the AUTH token clients read from the redis-auth-token secret, generated once', () => {
    const group = only(json, 'aws_elasticache_replication_group');
    const passwords = Object.keys(json.data?.aws_secretsmanager_random_password ?? {});
    expect(passwords).toHaveLength(1);
    const token = `\${data.aws_secretsmanager_random_password.${passwords[0]}.random_password}`;
    expect(group).toMatchObject({
      auth_token: token,
      transit_encryption_enabled: true,
      final_snapshot_identifier: expect.stringContaining(cluster.name),
      lifecycle: { ignore_changes: ['auth_token'] },
    });
    const version = only(json, 'aws_secretsmanager_secret_version');
    expect(version).toMatchObject({ secret_string: token, lifecycle: { ignore_changes: ['secret_string'] } });
    const [secretAddress] = Object.entries(json.resource.aws_secretsmanager_secret).find(
      ([, s]) => s.name === secretName(cluster, 'redis-auth-token'),
    ) ?? [''];
    expect(version.secret_id).toBe(`\${aws_secretsmanager_secret.${secretAddress}.id}`);
  });

  it('encrypts every new EBS volume and sends S3 traffic through a gateway endpoint instead of the NAT', () => {
    expect(only(json, 'aws_ebs_encryption_by_default')).toMatchObject({ enabled: true });
    const endpoint = only(json, 'aws_vpc_endpoint');
    expect(endpoint).toMatchObject({
      service_name: `com.amazonaws.${cluster.region}.s3`,
      vpc_endpoint_type: 'Gateway',
    });
    const privateTables = Object.keys(json.resource.aws_route_table).filter((name) =>
      name.includes('private'),
    );
    expect((endpoint.route_table_ids as string[]).sort()).toEqual(
      privateTables.map((name) => `\${aws_route_table.${name}.id}`).sort(),
    );
  });

  it('lets spot node groups draw on several instance types of the same size', () => {
    for (const pool of cluster.nodePools.filter((p) => p.capacityType === 'spot')) {
      const group = resources(json, 'aws_eks_node_group').find((g) => g.node_group_name === pool.name);
      const types = group?.instance_types as string[];
      expect(types[0]).toBe(pool.instanceType);
      expect(types.length).toBeGreaterThanOrEqual(3);
      expect(new Set(types).size).toBe(types.length);
    }
    for (const pool of cluster.nodePools.filter((p) => p.capacityType === 'on-demand')) {
      const group = resources(json, 'aws_eks_node_group').find((g) => g.node_group_name === pool.name);
      expect(group?.instance_types).toEqual([pool.instanceType]);
    }
    expect(() =>
      instanceTypes({ ...cluster.nodePools[0], capacityType: 'spot', instanceType: 'x9.huge' }),
    ).toThrow(
      /node pool general: spot instance type x9\.huge has no alternatives of the same size in SPOT_INSTANCE_ALTERNATIVES \(infra\/defaults\.ts\)/,
    );
  });

  it('protects what cannot be recreated: secrets, repositories and the secrets key', () => {
    for (const type of ['aws_secretsmanager_secret', 'aws_ecr_repository', 'aws_kms_key']) {
      for (const resource of resources(json, type)) {
        expect(resource).toMatchObject({ lifecycle: { prevent_destroy: true } });
      }
    }
  });

  it('only acts in the cluster account and tags everything with cluster, environment and cost centre', () => {
    expect(text).toHaveProviderWithProperties(AwsProvider, {
      region: cluster.region,
      allowed_account_ids: [cluster.accountId],
      default_tags: [
        {
          tags: expect.objectContaining({
            cluster: cluster.name,
            environment: cluster.environment,
            cost_centre: fleet.settings.costCentre,
            managed_by: 'terraform',
          }),
        },
      ],
    });
    expect(Object.keys((json.provider.aws[0].default_tags as { tags: object }[])[0].tags)).toEqual(
      expect.arrayContaining(REQUIRED_TAG_KEYS),
    );
  });

  it('spans every zone with a public and a private subnet inside the VPC, and a NAT gateway per zone', () => {
    const vpc = only(json, 'aws_vpc');
    expect(vpc.cidr_block).toBe(cluster.network.vpcCidr);
    const subnets = resources(json, 'aws_subnet');
    // The operator bastion's subnet (test/infra/cross-cloud.test.ts) is not one of the zone's pair.
    const bastion = (s: Record<string, unknown>) =>
      (s.tags as Record<string, string>).Name.endsWith('-bastion');
    for (const zone of cluster.zones) {
      const inZone = subnets.filter((s) => s.availability_zone === zone && !bastion(s));
      expect(inZone).toHaveLength(2);
      for (const s of inZone) expect(inRange(String(s.cidr_block), cluster.network.vpcCidr)).toBe(true);
    }
    const cidrs = subnets.map((s) => ipaddr.IPv4.parseCIDR(String(s.cidr_block)));
    cidrs.forEach((a, i) => {
      cidrs.slice(i + 1).forEach((b) => {
        expect(a[0].match(b) || b[0].match(a)).toBe(false);
      });
    });
    expect(subnets.every((s) => s.map_public_ip_on_launch !== true)).toBe(true);
    expect(resources(json, 'aws_nat_gateway')).toHaveLength(cluster.zones.length);
  });

  it('routes private subnets only through NAT, never the internet gateway', () => {
    const privateTables = resources(json, 'aws_route_table').filter((t) =>
      String((t.tags as Record<string, string>).Name).includes('-private-'),
    );
    expect(privateTables).toHaveLength(cluster.zones.length);
    for (const table of privateTables) {
      const routes = table.route as Record<string, unknown>[];
      expect(routes.every((r) => String(r.nat_gateway_id).startsWith('${aws_nat_gateway.'))).toBe(true);
      expect(routes.some((r) => r.gateway_id)).toBe(false);
    }
  });

  it('runs EKS in the private subnets with a private endpoint, encrypted secrets and the fleet service range', () => {
    expect(text).toHaveResourceWithProperties(EksCluster, {
      name: cluster.name,
      version: cluster.kubernetesVersion,
      vpc_config: expect.objectContaining({ endpoint_private_access: true, endpoint_public_access: false }),
      kubernetes_network_config: expect.objectContaining({ service_ipv4_cidr: cluster.network.serviceCidr }),
      encryption_config: expect.objectContaining({ resources: ['secrets'] }),
    });
    const subnetIds = (only(json, 'aws_eks_cluster').vpc_config as { subnet_ids: string[] }).subnet_ids;
    expect(subnetIds).toHaveLength(cluster.zones.length);
    expect(subnetIds.every((id) => id.includes('_private-'))).toBe(true);
  });

  it('lets only the roles of the cluster file use the Kubernetes API, each with the access policy of its scope', () => {
    // API authentication only, and no implicit administrator: the creator is not bootstrapped.
    expect(only(json, 'aws_eks_cluster').access_config).toEqual({
      authentication_mode: 'API',
      bootstrap_cluster_creator_admin_permissions: false,
    });
    const entries = resources(json, 'aws_eks_access_entry');
    expect(entries.map((e) => e.principal_arn).sort()).toEqual(
      cluster.apiAccess.map((a) => a.principalArn).sort(),
    );
    const associations = resources(json, 'aws_eks_access_policy_association');
    expect(associations).toHaveLength(cluster.apiAccess.length);
    const policy = {
      'cluster-admin': 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      view: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
    };
    const entryKeys = Object.keys(json.resource.aws_eks_access_entry);
    for (const access of cluster.apiAccess) {
      const [key, entry] = Object.entries(json.resource.aws_eks_access_entry).find(
        ([, e]) => e.principal_arn === access.principalArn,
      ) as [string, Record<string, unknown>];
      expect(entry.type).toBe('STANDARD');
      expect(entry.cluster_name).toBe(
        `\${aws_eks_cluster.${Object.keys(json.resource.aws_eks_cluster)[0]}.name}`,
      );
      // View roles also get the platform's read-only ClusterRole, through the developers group.
      expect(entry.kubernetes_groups).toEqual(
        access.scope === 'view' ? [fleet.settings.accessGroups.developers] : undefined,
      );
      // The association names the entry's attribute, so Terraform creates it after the entry.
      expect(associations).toContainEqual(
        expect.objectContaining({
          principal_arn: `\${aws_eks_access_entry.${key}.principal_arn}`,
          policy_arn: policy[access.scope],
          access_scope: { type: 'cluster' },
        }),
      );
    }
    expect(entryKeys).toHaveLength(cluster.apiAccess.length);
    expect(cluster.apiAccess.some((a) => a.scope === 'cluster-admin')).toBe(true);
  });

  it('keeps every access entry at its address when the fleet reorders the roles', () => {
    const reordered = synthesized({ ...cluster, apiAccess: [...cluster.apiAccess].reverse() }).json;
    expect(Object.keys(reordered.resource.aws_eks_access_entry).sort()).toEqual(
      Object.keys(json.resource.aws_eks_access_entry).sort(),
    );
    expect(reordered.resource.aws_eks_access_entry).toEqual(json.resource.aws_eks_access_entry);
  });

  it('has exactly the fleet node pools as managed node groups with their capacity type, sizes and taints', () => {
    const groups = resources(json, 'aws_eks_node_group');
    expect(groups.map((g) => g.node_group_name).sort()).toEqual(cluster.nodePools.map((p) => p.name).sort());
    for (const pool of cluster.nodePools) {
      const group = groups.find((g) => g.node_group_name === pool.name) as Record<string, unknown>;
      expect(group.instance_types).toEqual(instanceTypes(pool));
      expect(group.capacity_type).toBe(pool.capacityType === 'spot' ? 'SPOT' : 'ON_DEMAND');
      expect(group.scaling_config).toEqual({
        min_size: pool.minSize,
        max_size: pool.maxSize,
        desired_size: pool.desiredSize,
      });
      expect(group.disk_size).toBe(pool.diskSizeGb);
      expect(String(group.ami_type).includes('NVIDIA')).toBe(pool.gpu !== undefined);
      expect(
        (group.taint as { key: string; value: string; effect: string }[]).map(
          (t) => `${t.key}=${t.value}:${t.effect}`,
        ),
      ).toEqual(
        pool.taints.map(
          (t) => `${t.key}=${t.value}:${t.effect.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`,
        ),
      );
    }
  });

  it('gives each cloud workload an IRSA role only its own ServiceAccount can assume', () => {
    const roles = resources(json, 'aws_iam_role').map((r) => r.name);
    const trusts = Object.entries(json.data?.aws_iam_policy_document ?? {});
    for (const workload of cloudWorkloadsFor(cluster.cloud)) {
      expect(roles).toContain(workloadIdentityName(cluster, workload.name));
      const trust = trusts.find(([id]) => id.startsWith(`identity-${workload.name}_trust`));
      if (!trust) throw new Error(`no trust policy for ${workload.name}`);
      const statement = (trust[1].statement as Record<string, unknown>[])[0];
      expect(statement.actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
      expect(statement.condition).toContainEqual(
        expect.objectContaining({
          test: 'StringEquals',
          values: [`system:serviceaccount:${workload.namespace}:${workload.serviceAccount}`],
        }),
      );
    }
  });

  it('grants model serving read-only access to the model bucket and nothing else', () => {
    const policy = Object.entries(json.data?.aws_iam_policy_document ?? {}).find(([id]) =>
      id.startsWith('identity-model-serving_permissions'),
    )?.[1];
    const statements = policy?.statement as { actions: string[]; resources: string[] }[];
    const actions = statements.flatMap((s) => s.actions);
    const targets = statements.flatMap((s) => s.resources);
    expect(actions.every((a) => a.startsWith('s3:Get') || a === 's3:ListBucket')).toBe(true);
    expect(targets.every((r) => r.startsWith(`arn:aws:s3:::${modelBucketName(cluster)}`))).toBe(true);
  });

  it('grants Elasticsearch its snapshot bucket only, with the multipart actions its repository uses', () => {
    const policy = Object.entries(json.data?.aws_iam_policy_document ?? {}).find(([id]) =>
      id.startsWith('identity-elasticsearch_permissions'),
    )?.[1];
    const statements = policy?.statement as { actions: string[]; resources: string[] }[];
    const bucket = `arn:aws:s3:::${logSnapshotBucketName(cluster)}`;
    expect(statements.flatMap((s) => s.resources).sort()).toEqual([bucket, `${bucket}/*`]);
    const on = (resource: string) =>
      statements.filter((s) => s.resources.includes(resource)).flatMap((s) => s.actions);
    expect(on(bucket)).toEqual(['s3:ListBucket', 's3:ListBucketMultipartUploads']);
    expect(on(`${bucket}/*`)).toEqual(
      expect.arrayContaining([
        's3:PutObject',
        's3:DeleteObject',
        's3:AbortMultipartUpload',
        's3:ListMultipartUploadParts',
      ]),
    );
  });

  it('lets only the workloads that read a secret get its value, scoped to that secret', () => {
    for (const workload of cloudWorkloadsFor(cluster.cloud)) {
      const policy = Object.entries(json.data?.aws_iam_policy_document ?? {}).find(([id]) =>
        id.startsWith(`identity-${workload.name}_permissions`),
      )?.[1];
      const statements = (policy?.statement ?? []) as { actions: string[]; resources: string[] }[];
      const secretStatements = statements.filter((s) => s.actions.includes('secretsmanager:GetSecretValue'));
      const granted = planFor(fleet, cluster).identities.find((i) => i.workload === workload)?.secrets ?? [];
      expect(secretStatements.flatMap((s) => s.resources)).toHaveLength(granted.length);
    }
  });

  it('creates no RDS instance, its subnet group, security group or outputs when the cluster file declares no database', () => {
    expect(cluster.database).toBeUndefined();
    for (const type of ['aws_db_instance', 'aws_db_subnet_group']) {
      expect([type, resources(json, type)]).toEqual([type, []]);
    }
    expect(resources(json, 'aws_security_group').map((g) => g.name)).not.toContain(
      `${databaseInstanceName(cluster)}-clients`,
    );
    expect(json.output.database_host).toBeUndefined();
    expect(json.output.database_port).toBeUndefined();
  });

  it('runs PostgreSQL Multi-AZ, encrypted, private, backed up and protected from destroy, where declared', () => {
    const { text, json } = withDatabase;
    expect(json.output.database_host.value).toEqual(expect.stringContaining('aws_db_instance.'));
    expect(text).toHaveResourceWithProperties(DbInstance, {
      engine: 'postgres',
      multi_az: true,
      storage_encrypted: true,
      publicly_accessible: false,
      deletion_protection: true,
      manage_master_user_password: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(Number(only(json, 'aws_db_instance').backup_retention_period)).toBeGreaterThanOrEqual(7);
    expect(only(json, 'aws_db_instance').password).toBeUndefined();
  });

  it('runs Redis as a Multi-AZ replication group encrypted in transit and at rest', () => {
    expect(text).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      engine: 'redis',
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      transit_encryption_enabled: true,
      at_rest_encryption_enabled: 'true',
    });
    expect(Number(only(json, 'aws_elasticache_replication_group').num_cache_clusters)).toBeGreaterThanOrEqual(
      2,
    );
  });

  it('creates the model, data-lake, backups and log-snapshots buckets versioned, encrypted, private and protected from destroy', () => {
    const names = [
      modelBucketName(cluster),
      dataLakeBucketName(cluster),
      backupBucketName(cluster),
      logSnapshotBucketName(cluster),
    ];
    expect(
      resources(json, 'aws_s3_bucket')
        .map((b) => b.bucket)
        .sort(),
    ).toEqual(names.sort());
    for (const bucket of resources(json, 'aws_s3_bucket')) {
      expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    }
    expect(resources(json, 'aws_s3_bucket_public_access_block')).toHaveLength(names.length);
    expect(text).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    for (const v of resources(json, 'aws_s3_bucket_versioning')) {
      expect(v.versioning_configuration).toEqual({ status: 'Enabled' });
    }
    for (const e of resources(json, 'aws_s3_bucket_server_side_encryption_configuration')) {
      expect(JSON.stringify(e.rule)).toContain('aws:kms');
    }
    for (const l of resources(json, 'aws_s3_bucket_lifecycle_configuration')) {
      expect(JSON.stringify(l.rule)).toContain('noncurrent_version_expiration');
    }
  });

  it('has an ECR repository per platform image with scan on push and immutable tags', () => {
    for (const image of PLATFORM_IMAGES) {
      expect(text).toHaveResourceWithProperties(EcrRepository, {
        name: image,
        image_tag_mutability: 'IMMUTABLE',
        image_scanning_configuration: { scan_on_push: true },
      });
    }
  });

  it('declares the platform secrets without values, but for the Redis AUTH token the stack generates', () => {
    expect(
      resources(json, 'aws_secretsmanager_secret')
        .map((s) => s.name)
        .sort(),
    ).toEqual(expectedSecretNames(cluster));
    expect(resources(json, 'aws_secretsmanager_secret_version')).toHaveLength(1);
  });

  it("lets the data-sync of every other cluster read its model bucket, trusting that cluster's issuer only", () => {
    expect(fleet.settings.modelReplication.sourceCluster).toBe(cluster.name);
    const issuers = resources(json, 'aws_iam_openid_connect_provider').map((p) => p.url);
    const readers = fleet.clusters.filter((c) => c.name !== cluster.name);
    expect(issuers).toEqual(
      expect.arrayContaining([
        'https://container.googleapis.com/v1/projects/ml-platform-prod/locations/us-central1/clusters/gke-prod',
        loadClusterOutputs(readers.find((r) => r.cloud === 'azure') as never).oidcIssuerUrl,
      ]),
    );
    for (const reader of readers) {
      const role = resources(json, 'aws_iam_role').find(
        (r) => r.name === replicaReaderRoleName(cluster, reader),
      );
      // The trust policy is a data source the role references: `${data.aws_iam_policy_document.<key>.json}`.
      const trustKey = /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(
        String(role?.assume_role_policy),
      )?.[1];
      const trust = json.data?.aws_iam_policy_document[trustKey ?? ''] as {
        statement: { condition: unknown[]; principals: { identifiers: string[] }[] }[];
      };
      const issuerHost =
        reader.cloud === 'gcp'
          ? `container.googleapis.com/v1/projects/ml-platform-prod/locations/us-central1/clusters/${reader.name}`
          : String(loadClusterOutputs(reader).oidcIssuerUrl).replace('https://', '');
      expect(trust.statement[0].condition).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            variable: `${issuerHost}:sub`,
            values: ['system:serviceaccount:ml-serving:data-sync'],
          }),
          expect.objectContaining({ variable: `${issuerHost}:aud`, values: ['sts.amazonaws.com'] }),
        ]),
      );
      expect(trust.statement[0].principals[0].identifiers[0]).toContain(`reader-issuer-${reader.name}`);
    }
  });

  it('gives the AWS Load Balancer Controller an IRSA role with the upstream policy, trusted only by its ServiceAccount', () => {
    const workload = cloudWorkload(LOAD_BALANCER_CONTROLLER);
    const role = resources(json, 'aws_iam_role').find(
      (r) => r.name === workloadIdentityName(cluster, LOAD_BALANCER_CONTROLLER),
    );
    expect(role).toBeDefined();
    const documents = Object.entries(json.data?.aws_iam_policy_document ?? {});
    const trust = documents.find(([id]) => id.startsWith(`identity-${LOAD_BALANCER_CONTROLLER}_trust`))?.[1];
    const [trusted] = (trust?.statement ?? []) as { condition: unknown[] }[];
    expect(trusted.condition).toContainEqual(
      expect.objectContaining({ values: ['system:serviceaccount:kube-system:aws-load-balancer-controller'] }),
    );
    expect(workload.namespace).toBe('kube-system');
    const permissions = documents.find(([id]) =>
      id.startsWith(`identity-${LOAD_BALANCER_CONTROLLER}_permissions`),
    )?.[1];
    type Statement = { sid: string; actions: string[]; resources: string[]; condition?: unknown[] };
    const statements = permissions?.statement as Statement[];
    expect(statements).toEqual(
      LOAD_BALANCER_CONTROLLER_POLICY.map((s) =>
        expect.objectContaining({ sid: s.sid, actions: s.actions, resources: s.resources }),
      ),
    );
    // Creating a load balancer or target group must tag it as the controller's; changing or deleting
    // one is allowed only on what carries that tag.
    const createLb = statements.find((s) => s.actions.includes('elasticloadbalancing:CreateLoadBalancer'));
    expect(createLb?.condition).toEqual([
      { test: 'Null', variable: 'aws:RequestTag/elbv2.k8s.aws/cluster', values: ['false'] },
    ]);
    const deleteLb = statements.find((s) => s.actions.includes('elasticloadbalancing:DeleteLoadBalancer'));
    expect(deleteLb?.condition).toEqual([
      { test: 'Null', variable: 'aws:ResourceTag/elbv2.k8s.aws/cluster', values: ['false'] },
    ]);
    // Controller v3.5.0's iam_policy.json: 16 statements; the v3 features with their own policies
    // (ACM certificate management, Global Accelerator) are off, so none of their actions is granted.
    expect(statements).toHaveLength(16);
    const granted = statements.flatMap((s) => s.actions);
    expect(granted).toContain('elasticloadbalancing:DescribeCapacityReservation');
    expect(granted).toContain('elasticloadbalancing:ModifyIpPools');
    expect(granted.filter((a) => /^(globalaccelerator|route53):|^acm:RequestCertificate$/.test(a))).toEqual(
      [],
    );
    // IAM limits a role's inline policies to 10,240 characters, whitespace not counted.
    const iamJson = JSON.stringify({ Version: '2012-10-17', Statement: statements });
    expect(iamJson.length).toBeLessThan(10_240);
  });

  it('tags public subnets for internet-facing and private subnets for internal load balancers', () => {
    const subnets = resources(json, 'aws_subnet');
    const tags = (s: Record<string, unknown>) => s.tags as Record<string, string>;
    const publicSubnets = subnets.filter((s) => tags(s).Name.includes('-public-'));
    const privateSubnets = subnets.filter((s) => tags(s).Name.includes('-private-'));
    expect(publicSubnets).toHaveLength(cluster.zones.length);
    expect(privateSubnets).toHaveLength(cluster.zones.length);
    for (const s of publicSubnets) expect(tags(s)['kubernetes.io/role/elb']).toBe('1');
    for (const s of privateSubnets) expect(tags(s)['kubernetes.io/role/internal-elb']).toBe('1');
    for (const s of [...publicSubnets, ...privateSubnets]) {
      expect(tags(s)[`kubernetes.io/cluster/${cluster.name}`]).toBe('shared');
    }
    // The bastion's subnet carries no load balancer role: the controller never places an NLB there.
    const rest = subnets.filter((s) => !publicSubnets.includes(s) && !privateSubnets.includes(s));
    expect(rest.map((s) => tags(s).Name)).toEqual([`${cluster.name}-bastion`]);
    for (const s of rest)
      expect(Object.keys(tags(s)).filter((k) => k.startsWith('kubernetes.io/'))).toEqual([]);
  });

  it('exports the VPC id the controller is configured with', () => {
    expect(json.output.vpc_id.value).toBe(`\${aws_vpc.${Object.keys(json.resource.aws_vpc)[0]}.id}`);
  });

  // The stack itself is dist/terraform/<cluster>/cdk.tf.json, guarded byte for byte by the synthesis
  // test; this snapshot holds only what declaring a database adds or changes, which dist/ never shows.
  it('adds exactly its database constructs and outputs when the cluster declares a database', () => {
    expect(stackDifference(json, withDatabase.json)).toMatchSnapshot();
  });
});
