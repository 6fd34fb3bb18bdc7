import {
  aksAgentPoolName,
  azureKeyVaultName,
  azureRegistryName,
  azureStorageAccountName,
  modelBucketName,
  workloadIdentityName,
} from '../../clusters/naming';
import { type ClusterOutputs, outputsFile } from '../../clusters/outputs';
import type { AzureClusterSpec, NodePool, Taint } from '../../clusters/types';
import { isSpot, mergeTaints, placement } from './common';
import {
  type CloudProfile,
  type LoadBalancerScheme,
  MissingCloudValueError,
  type ModelStorage,
  type SecretStoreProvider,
  type StorageTier,
  type WorkloadIdentityBinding,
} from './profile';

/** AKS: Azure Disk CSI, Azure load balancers, Azure Workload Identity, agent pools, Blob CSI, ACR. */
export class AzureProfile implements CloudProfile {
  readonly cloud = 'azure';

  constructor(
    private readonly cluster: AzureClusterSpec,
    private readonly outputs: ClusterOutputs,
  ) {}

  storageClass(tier: StorageTier): string {
    return { standard: 'managed-csi', fast: 'managed-csi-premium' }[tier];
  }

  loadBalancerAnnotations(scheme: LoadBalancerScheme): Record<string, string> {
    // An AKS Service load balancer is public unless marked internal.
    return scheme === 'internal' ? { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' } : {};
  }

  workloadIdentity(workload: string): WorkloadIdentityBinding {
    // The client id of a managed identity exists only after terraform apply.
    const clientId = this.outputs.workloadIdentityClientIds[workload];
    if (!clientId) {
      throw new MissingCloudValueError(
        `${outputsFile(this.cluster)}: workloadIdentityClientIds.${workload}: missing; the managed identity ` +
          `"${workloadIdentityName(this.cluster, workload)}" must be applied and its client id recorded before ` +
          'a ServiceAccount can use it',
      );
    }
    return {
      serviceAccountAnnotations: { 'azure.workload.identity/client-id': clientId },
      serviceAccountLabels: { 'azure.workload.identity/use': 'true' },
      podLabels: { 'azure.workload.identity/use': 'true' },
    };
  }

  nodeTaints(pool: NodePool): readonly Taint[] {
    // AKS taints spot pools itself; pods must tolerate it to run there.
    return mergeTaints(
      pool.taints,
      isSpot(pool)
        ? [{ key: 'kubernetes.azure.com/scalesetpriority', value: 'spot', effect: 'NoSchedule' }]
        : [],
    );
  }

  nodePlacement(pool: NodePool) {
    return placement('kubernetes.azure.com/agentpool', aksAgentPoolName(pool.name), this.nodeTaints(pool));
  }

  modelStorage(model: string): ModelStorage {
    return {
      kind: 'blob-csi',
      storageAccount: azureStorageAccountName(this.cluster),
      containerName: modelBucketName(this.cluster),
      resourceGroup: this.cluster.resourceGroup,
      containerPath: model,
    };
  }

  registryHost(): string {
    return `${azureRegistryName(this.cluster)}.azurecr.io`;
  }

  imageRepository(image: string): string {
    return `${this.registryHost()}/${image}`;
  }

  secretStoreProvider(): SecretStoreProvider {
    // The controller's pod carries the workload identity; the webhook injects its client and tenant ids.
    return {
      azurekv: {
        vaultUrl: `https://${azureKeyVaultName(this.cluster)}.vault.azure.net`,
        authType: 'WorkloadIdentity',
      },
    };
  }
}
