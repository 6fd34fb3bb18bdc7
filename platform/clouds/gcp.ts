import { gcpRegistryRepository, modelBucketName, workloadIdentityName } from '../../clusters/naming';
import type { GcpClusterSpec, NodePool, Taint } from '../../clusters/types';
import { isSpot, mergeTaints, placement } from './common';
import type {
  CloudProfile,
  LoadBalancerScheme,
  ModelStorage,
  SecretStoreProvider,
  StorageTier,
  WorkloadIdentityBinding,
} from './profile';

/** GKE: PD CSI volumes, GKE L4 load balancers, GKE Workload Identity, node pools, GCS, Artifact Registry. */
export class GcpProfile implements CloudProfile {
  readonly cloud = 'gcp';

  constructor(private readonly cluster: GcpClusterSpec) {}

  storageClass(tier: StorageTier): string {
    return { standard: 'standard-rwo', fast: 'premium-rwo' }[tier];
  }

  loadBalancerAnnotations(scheme: LoadBalancerScheme): Record<string, string> {
    return scheme === 'internal'
      ? { 'networking.gke.io/load-balancer-type': 'Internal' }
      : { 'cloud.google.com/l4-rbs': 'enabled' };
  }

  workloadIdentity(workload: string): WorkloadIdentityBinding {
    const account = workloadIdentityName(this.cluster, workload);
    return {
      serviceAccountAnnotations: {
        'iam.gke.io/gcp-service-account': `${account}@${this.cluster.projectId}.iam.gserviceaccount.com`,
      },
      serviceAccountLabels: {},
      podLabels: {},
    };
  }

  nodeTaints(pool: NodePool): readonly Taint[] {
    // GKE taints GPU nodes itself; spot pools get the spot taint so only pods
    // that accept preemption land there.
    return mergeTaints(
      pool.taints,
      pool.gpu ? [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] : [],
      isSpot(pool) ? [{ key: 'cloud.google.com/gke-spot', value: 'true', effect: 'NoSchedule' }] : [],
    );
  }

  nodePlacement(pool: NodePool) {
    return placement('cloud.google.com/gke-nodepool', pool.name, this.nodeTaints(pool));
  }

  modelStorage(model: string): ModelStorage {
    return { kind: 'object-store', uri: `gs://${modelBucketName(this.cluster)}/${model}` };
  }

  registryHost(): string {
    return `${this.cluster.region}-docker.pkg.dev`;
  }

  imageRepository(image: string): string {
    return `${this.registryHost()}/${this.cluster.projectId}/${gcpRegistryRepository(this.cluster)}/${image}`;
  }

  secretStoreProvider(): SecretStoreProvider {
    // No auth block: the controller's ServiceAccount acts as its Google service account (Workload Identity).
    return { gcpsm: { projectID: this.cluster.projectId } };
  }
}
