import { bucketName, replicaReaderRoleName, workloadIdentityName } from '../../clusters/naming';
import { type ClusterOutputs, requireOutput } from '../../clusters/outputs';
import type { AwsClusterSpec, ClusterSpec, NodePool, Taint } from '../../clusters/types';
import type { BucketRole } from '../../clusters/workloads';
import { VELERO } from '../backup/versions';
import type { HelmRelease } from '../kernel/helm';
import { LOAD_BALANCER_CONTROLLER, loadBalancerControllerRelease } from './aws-load-balancer-controller';
import { clusterAutoscalerRelease } from './cluster-autoscaler';
import { mergeTaints, poolPlacement, storageDrivers } from './common';
import { metricsServerRelease } from './metrics-server';
import { nvidiaDevicePluginRelease } from './nvidia-device-plugin';
import {
  type BackupStorage,
  type CloudAddOn,
  type CloudProfile,
  type CostPricing,
  type CrossCloudReadAccess,
  type IstioCniPlatform,
  type LoadBalancerScheme,
  type LogSnapshotStorage,
  MissingCloudValueError,
  type ModelStorage,
  type RcloneRemote,
  type SecretStoreProvider,
  type SpotFallback,
  type SpotPair,
  type StorageClassSource,
  type StorageTier,
  type VolumeSnapshotSupport,
  type WorkloadIdentityBinding,
} from './profile';
import { spotFallbackAddOns } from './spot-fallback';

/** EKS: EBS CSI volumes, AWS Load Balancer Controller NLBs, IRSA, managed node groups, S3, ECR. */
export class AwsProfile implements CloudProfile {
  readonly cloud = 'aws';

  constructor(
    private readonly cluster: AwsClusterSpec,
    private readonly outputs: ClusterOutputs,
  ) {}

  storageClass(tier: StorageTier): string {
    return this.storageClasses()[tier].name;
  }

  storageClasses(): Record<StorageTier, StorageClassSource> {
    // EKS creates no StorageClass for the EBS CSI add-on (only the in-tree gp2 class on old
    // clusters), so the platform renders both; every volume is encrypted with the account's EBS key.
    const ebs = (type: string, parameters: Record<string, string> = {}): StorageClassSource => ({
      name: type,
      providedByCloud: false,
      provisioner: 'ebs.csi.aws.com',
      parameters: { type, encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4', ...parameters },
    });
    return {
      // gp3's baseline (3000 IOPS, 125 MiB/s) whatever the size.
      standard: ebs('gp3'),
      // Provisioned IOPS by size; small volumes are raised to io2's minimum instead of failing.
      fast: ebs('io2', { iopsPerGB: '10', allowAutoIOPSPerGBIncrease: 'true' }),
    };
  }

  loadBalancerAnnotations(scheme: LoadBalancerScheme): Record<string, string> {
    return {
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme':
        scheme === 'internal' ? 'internal' : 'internet-facing',
    };
  }

  loadBalancerController(): HelmRelease {
    const general = this.cluster.nodePools.find((pool) => pool.role === 'general');
    if (!general) {
      throw new MissingCloudValueError(
        `the AWS Load Balancer Controller runs on the general pool, and ${this.cluster.name} has none`,
      );
    }
    let vpcId: string;
    try {
      vpcId = requireOutput(this.cluster, this.outputs, 'vpcId');
    } catch (error) {
      throw new MissingCloudValueError((error as Error).message);
    }
    return loadBalancerControllerRelease({
      cluster: this.cluster,
      vpcId,
      identity: this.workloadIdentity(LOAD_BALANCER_CONTROLLER),
      placement: this.nodePlacement(general),
    });
  }

  resourceMetricsServer(): HelmRelease {
    // EKS runs no metrics-server: without it every CPU-based HPA reports <unknown>.
    const general = this.cluster.nodePools.find((pool) => pool.role === 'general');
    if (!general) {
      throw new MissingCloudValueError(
        `metrics-server runs on the general pool, and ${this.cluster.name} has none`,
      );
    }
    return metricsServerRelease(this.nodePlacement(general));
  }

  gpuDevicePlugin(): HelmRelease | undefined {
    // The NVIDIA node image carries the driver and the container toolkit, not the device plugin.
    return nvidiaDevicePluginRelease(
      this.cluster.nodePools
        .filter((pool) => pool.gpu)
        .map((pool) => ({ pool, placement: this.nodePlacement(pool) })),
    );
  }

  workloadIdentity(workload: string): WorkloadIdentityBinding {
    const role = workloadIdentityName(this.cluster, workload);
    return {
      serviceAccountAnnotations: {
        'eks.amazonaws.com/role-arn': `arn:aws:iam::${this.cluster.accountId}:role/${role}`,
        'eks.amazonaws.com/sts-regional-endpoints': 'true',
      },
      serviceAccountLabels: {},
      podLabels: {},
    };
  }

  workloadIdentityEndpoint(): undefined {
    // IRSA: the SDK trades the projected ServiceAccount token for credentials at STS, on 443 (the
    // regional endpoint the annotation asks for), which the workloads' egress to the cloud allows.
    return undefined;
  }

  nodeTaints(pool: NodePool): readonly Taint[] {
    // Managed node groups add no taints of their own, spot or not.
    return mergeTaints(pool.taints);
  }

  nodePlacement(pool: NodePool) {
    return poolPlacement(
      this.cluster,
      pool,
      'eks.amazonaws.com/nodegroup',
      (p) => p.name,
      (p) => this.nodeTaints(p),
    );
  }

  spotFallback({ spot, fallback }: SpotPair): SpotFallback {
    // cluster-autoscaler sees managed node groups as their Auto Scaling groups, named eks-<node group>-<uuid>.
    return {
      priorityPatterns: { spot: `^eks-${spot.name}-.*`, fallback: `^eks-${fallback.name}-.*` },
      // No node termination handler: EKS managed node groups drain spot nodes themselves on the
      // interruption notice and on rebalance recommendations (Capacity Rebalancing), and the
      // aws-node-termination-handler README says it is not needed with managed node groups.
    };
  }

  addOns(): CloudAddOn[] {
    // EKS runs no autoscaler: the platform runs cluster-autoscaler, growing spot first.
    return spotFallbackAddOns({
      cluster: this.cluster,
      fallbackOf: (pair) => this.spotFallback(pair),
      autoscaler: () => {
        const general = this.cluster.nodePools.find((pool) => pool.role === 'general');
        return clusterAutoscalerRelease({
          cluster: this.cluster,
          identity: this.workloadIdentity('cluster-autoscaler'),
          placement: general ? this.nodePlacement(general) : undefined,
        });
      },
    });
  }

  apiViewers(): [] {
    // EKS access entries put the cluster file's `view` roles in the developers group.
    return [];
  }

  modelStorage(model: string): ModelStorage {
    return {
      kind: 'object-store',
      uri: this.objectUri('models', model),
      // TF Serving's S3 filesystem needs the region; credentials come from IRSA's web identity.
      env: { AWS_REGION: this.cluster.region, S3_USE_HTTPS: '1', S3_VERIFY_SSL: '1' },
    };
  }

  objectUri(bucket: BucketRole, path: string): string {
    return `s3://${bucketName(this.cluster, bucket)}/${path}`;
  }

  crossCloudModelReader(reader: ClusterSpec): CrossCloudReadAccess {
    // An IAM role in this account trusts the reader cluster's OIDC issuer: a web identity, no static key.
    const tokenPath = '/var/run/secrets/model-replica/token';
    return {
      env: {
        AWS_ROLE_ARN: `arn:aws:iam::${this.cluster.accountId}:role/${replicaReaderRoleName(this.cluster, reader)}`,
        AWS_WEB_IDENTITY_TOKEN_FILE: tokenPath,
        AWS_REGION: this.cluster.region,
      },
      tokenAudience: 'sts.amazonaws.com',
      tokenPath,
    };
  }

  rcloneRemote(bucket: BucketRole): RcloneRemote {
    return {
      settings: { TYPE: 's3', PROVIDER: 'AWS', ENV_AUTH: 'true', REGION: this.cluster.region },
      bucket: bucketName(this.cluster, bucket),
    };
  }

  costPricing(): CostPricing {
    // On-demand prices come from AWS's public price list files (no credentials); spot prices from
    // EC2's spot price history, which the identity may read (infra/aws/pricing.ts).
    return { env: {} };
  }

  backupStorage(): BackupStorage {
    // The plugin finds IRSA's web identity token through the default credential chain.
    return {
      provider: 'aws',
      pluginImage: `docker.io/velero/velero-plugin-for-aws:${VELERO.pluginTag}`,
      bucket: bucketName(this.cluster, 'backups'),
      config: { region: this.cluster.region },
    };
  }

  volumeSnapshots(): VolumeSnapshotSupport {
    // EKS installs no snapshot API by itself: the stack adds the snapshot-controller add-on
    // (infra/aws/stack.ts); the EBS CSI driver's role (AmazonEBSCSIDriverPolicy) cuts the snapshots.
    return {
      drivers: storageDrivers(this.storageClasses()),
      apiInstalledBy: 'the EKS snapshot-controller add-on the stack installs (infra/aws/stack.ts)',
    };
  }

  logSnapshotStorage(): LogSnapshotStorage {
    // Elasticsearch reads a web identity token only inside its config directory (repository-s3/
    // aws-web-identity-token-file), not where the EKS webhook mounts one: the token is projected
    // there, and with AWS_ROLE_ARN set the webhook adds no variables of its own.
    const role =
      this.workloadIdentity('elasticsearch').serviceAccountAnnotations['eks.amazonaws.com/role-arn'];
    const bucket = bucketName(this.cluster, 'log-snapshots');
    return {
      type: 's3',
      bucket,
      settings: { bucket },
      nodeConfig: { 's3.client.default.region': this.cluster.region },
      keystoreSettings: {},
      env: { AWS_ROLE_ARN: role, AWS_REGION: this.cluster.region, AWS_STS_REGIONAL_ENDPOINTS: 'regional' },
      token: {
        volume: 'aws-iam-token',
        configSubdirectory: 'repository-s3',
        file: 'aws-web-identity-token-file',
        audience: 'sts.amazonaws.com',
        fileEnv: 'AWS_WEB_IDENTITY_TOKEN_FILE',
      },
    };
  }

  registryHost(): string {
    return `${this.cluster.accountId}.dkr.ecr.${this.cluster.region}.amazonaws.com`;
  }

  imageRepository(image: string): string {
    return `${this.registryHost()}/${image}`;
  }

  istioCni(): IstioCniPlatform {
    // The Amazon VPC CNI keeps its configuration and binaries where the chart looks by default
    // (/etc/cni/net.d, /opt/cni/bin); Istio has no EKS platform profile.
    return {};
  }

  secretStoreProvider(): SecretStoreProvider {
    // No auth block: the controller's ServiceAccount assumes its IAM role through IRSA.
    return { aws: { service: 'SecretsManager', region: this.cluster.region } };
  }

  redisServerCa(): undefined {
    // ElastiCache's server certificates are issued by Amazon's public CA, in every system trust store.
    return undefined;
  }
}
