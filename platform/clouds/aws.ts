import { modelBucketName, workloadIdentityName } from '../../clusters/naming';
import type { AwsClusterSpec, NodePool, Taint } from '../../clusters/types';
import { mergeTaints, placement } from './common';
import type {
  CloudProfile,
  LoadBalancerScheme,
  ModelStorage,
  SecretStoreProvider,
  StorageTier,
  WorkloadIdentityBinding,
} from './profile';

/** EKS: EBS CSI volumes, AWS Load Balancer Controller NLBs, IRSA, managed node groups, S3, ECR. */
export class AwsProfile implements CloudProfile {
  readonly cloud = 'aws';

  constructor(private readonly cluster: AwsClusterSpec) {}

  storageClass(tier: StorageTier): string {
    return { standard: 'gp3', fast: 'io2' }[tier];
  }

  loadBalancerAnnotations(scheme: LoadBalancerScheme): Record<string, string> {
    return {
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme':
        scheme === 'internal' ? 'internal' : 'internet-facing',
    };
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

  nodeTaints(pool: NodePool): readonly Taint[] {
    // Managed node groups add no taints of their own, spot or not.
    return mergeTaints(pool.taints);
  }

  nodePlacement(pool: NodePool) {
    return placement('eks.amazonaws.com/nodegroup', pool.name, this.nodeTaints(pool));
  }

  modelStorage(model: string): ModelStorage {
    return { kind: 'object-store', uri: `s3://${modelBucketName(this.cluster)}/${model}` };
  }

  registryHost(): string {
    return `${this.cluster.accountId}.dkr.ecr.${this.cluster.region}.amazonaws.com`;
  }

  imageRepository(image: string): string {
    return `${this.registryHost()}/${image}`;
  }

  secretStoreProvider(): SecretStoreProvider {
    // No auth block: the controller's ServiceAccount assumes its IAM role through IRSA.
    return { aws: { service: 'SecretsManager', region: this.cluster.region } };
  }
}
