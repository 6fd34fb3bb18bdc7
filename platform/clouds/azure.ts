import {
  aksAgentPoolName,
  azureKeyVaultName,
  azureRegistryName,
  azureStorageAccountName,
  bucketName,
  workloadIdentityName,
} from '../../clusters/naming';
import { type ClusterOutputs, outputsFile } from '../../clusters/outputs';
import type { AzureClusterSpec, ClusterSpec, NodePool, Taint } from '../../clusters/types';
import type { BucketRole } from '../../clusters/workloads';
import { VELERO } from '../backup/versions';
import type { HelmRelease } from '../kernel/helm';
import { isSpot, mergeTaints, poolPlacement, storageDrivers } from './common';
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
  type RbacSubject,
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

/** AKS: Azure Disk CSI, Azure load balancers, Azure Workload Identity, agent pools, Blob CSI, ACR. */
export class AzureProfile implements CloudProfile {
  readonly cloud = 'azure';

  constructor(
    private readonly cluster: AzureClusterSpec,
    private readonly outputs: ClusterOutputs,
  ) {}

  storageClass(tier: StorageTier): string {
    return this.storageClasses()[tier].name;
  }

  storageClasses(): Record<StorageTier, StorageClassSource> {
    // AKS creates both built-in classes of the Azure Disk CSI driver in every cluster.
    const disk = (name: string): StorageClassSource => ({
      name,
      providedByCloud: true,
      provisioner: 'disk.csi.azure.com',
    });
    return { standard: disk('managed-csi'), fast: disk('managed-csi-premium') };
  }

  loadBalancerController(): undefined {
    // The cloud controller manager provisions load balancers for annotated Services itself.
    return undefined;
  }

  resourceMetricsServer(): undefined {
    // AKS runs metrics-server in kube-system of every cluster (it serves metrics.k8s.io).
    return undefined;
  }

  loadBalancerAnnotations(scheme: LoadBalancerScheme): Record<string, string> {
    // An AKS Service load balancer is public unless marked internal.
    return scheme === 'internal' ? { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' } : {};
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
    return {
      serviceAccountAnnotations: { 'azure.workload.identity/client-id': this.clientId(workload) },
      serviceAccountLabels: { 'azure.workload.identity/use': 'true' },
      podLabels: { 'azure.workload.identity/use': 'true' },
    };
  }

  workloadIdentityEndpoint(): undefined {
    // Microsoft Entra Workload ID: the SDK trades the projected ServiceAccount token for a token at
    // Entra ID (login.microsoftonline.com) on 443, which the workloads' egress to the cloud allows.
    return undefined;
  }

  /** The client id of a workload's managed identity; it exists only after terraform apply. */
  private clientId(workload: string): string {
    const clientId = this.outputs.workloadIdentityClientIds[workload];
    if (!clientId) {
      throw new MissingCloudValueError(
        `${outputsFile(this.cluster)}: workloadIdentityClientIds.${workload}: missing; the managed identity ` +
          `"${workloadIdentityName(this.cluster, workload)}" must be applied and its client id recorded before ` +
          'a ServiceAccount can use it',
      );
    }
    return clientId;
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
    return poolPlacement(
      this.cluster,
      pool,
      'kubernetes.azure.com/agentpool',
      (p) => aksAgentPoolName(p.name),
      (p) => this.nodeTaints(p),
    );
  }

  spotFallback({ spot, fallback }: SpotPair): SpotFallback {
    // The managed autoscaler (expander "priority", infra/azure/cluster.ts) sees each agent pool as its
    // scale set, aks-<agent pool>-<id>-vmss. AKS evicts spot nodes itself; no handler is needed.
    return {
      priorityPatterns: {
        spot: `^aks-${aksAgentPoolName(spot.name)}-.*`,
        fallback: `^aks-${aksAgentPoolName(fallback.name)}-.*`,
      },
    };
  }

  addOns(): CloudAddOn[] {
    // AKS runs the autoscaler; the platform gives it the priority expander's list only.
    return spotFallbackAddOns({ cluster: this.cluster, fallbackOf: (pair) => this.spotFallback(pair) });
  }

  apiViewers(): RbacSubject[] {
    // AKS binds Entra ID groups by object id.
    return this.cluster.apiAccess
      .filter((access) => access.scope === 'view')
      .map((access) => ({
        kind: 'Group',
        name: access.groupObjectId,
        apiGroup: 'rbac.authorization.k8s.io',
      }));
  }

  modelStorage(model: string): ModelStorage {
    return {
      kind: 'blob-csi',
      storageAccount: azureStorageAccountName(this.cluster),
      containerName: bucketName(this.cluster, 'models'),
      resourceGroup: this.cluster.resourceGroup,
      containerPath: model,
      clientId: this.clientId('model-serving'),
    };
  }

  objectUri(bucket: BucketRole, path: string): string {
    // The storage account has a hierarchical namespace: ABFS is the URI its SDKs and Spark read.
    return `abfss://${bucketName(this.cluster, bucket)}@${azureStorageAccountName(this.cluster)}.dfs.core.windows.net/${path}`;
  }

  crossCloudModelReader(reader: ClusterSpec): CrossCloudReadAccess {
    // Not built yet: it needs workload identity federation trusting the reader's issuer.
    throw new MissingCloudValueError(
      `${reader.name} cannot read Azure Blob in ${this.cluster.name}: cross-cloud reads are implemented for an ` +
        'AWS source only; make an AWS cluster modelReplication.sourceCluster (clusters/defaults.ts)',
    );
  }

  rcloneRemote(bucket: BucketRole): RcloneRemote {
    return {
      // env_auth picks up the federated token Azure Workload Identity injects.
      settings: { TYPE: 'azureblob', ACCOUNT: azureStorageAccountName(this.cluster), ENV_AUTH: 'true' },
      bucket: bucketName(this.cluster, bucket),
    };
  }

  costPricing(): CostPricing {
    // The Rate Card API is read as the workload identity (its custom role, infra/azure/pricing.ts).
    return { env: {} };
  }

  backupStorage(): BackupStorage {
    // useAAD: Entra ID tokens (the workload identity), never the account key, which the account refuses.
    return {
      provider: 'azure',
      pluginImage: `docker.io/velero/velero-plugin-for-microsoft-azure:${VELERO.pluginTag}`,
      bucket: bucketName(this.cluster, 'backups'),
      config: {
        resourceGroup: this.cluster.resourceGroup,
        storageAccount: azureStorageAccountName(this.cluster),
        subscriptionId: this.cluster.subscriptionId,
        useAAD: 'true',
      },
    };
  }

  volumeSnapshots(): VolumeSnapshotSupport {
    // AKS runs the snapshot controller beside its Azure Disk CSI driver (storage profile, infra/azure/cluster.ts).
    return {
      drivers: storageDrivers(this.storageClasses()),
      apiInstalledBy: "AKS's snapshot controller (the cluster's storage profile, infra/azure/cluster.ts)",
    };
  }

  logSnapshotStorage(): LogSnapshotStorage {
    // Azure Workload Identity (Elasticsearch 8.16+): the webhook injects the client and tenant ids;
    // the token must be under the config directory, so it is projected there under the webhook's
    // own volume name (which makes the webhook add none). No key and no SAS: the account refuses
    // shared keys. The account name is a keystore-only setting, but no secret.
    const container = bucketName(this.cluster, 'log-snapshots');
    const account = azureStorageAccountName(this.cluster);
    return {
      type: 'azure',
      bucket: container,
      storageAccount: account,
      settings: { container },
      nodeConfig: {},
      keystoreSettings: { 'azure.client.default.account': account },
      env: {},
      token: {
        volume: 'azure-identity-token',
        configSubdirectory: 'azure/tokens',
        file: 'azure-identity-token',
        audience: 'api://AzureADTokenExchange',
        fileEnv: 'AZURE_FEDERATED_TOKEN_FILE',
      },
    };
  }

  registryHost(): string {
    return `${azureRegistryName(this.cluster)}.azurecr.io`;
  }

  imageRepository(image: string): string {
    return `${this.registryHost()}/${image}`;
  }

  istioCni(): IstioCniPlatform {
    // Azure CNI (overlay, Cilium data plane: infra/azure) keeps its configuration and binaries where
    // the chart looks by default (/etc/cni/net.d, /opt/cni/bin); Istio has no AKS platform profile.
    // Istio chains its plugin after Cilium's, which needs Cilium not to claim the CNI configuration
    // exclusively; AKS manages that setting and it was not verified here (docs/architecture.md, Mesh).
    return {};
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

  redisServerCa(): undefined {
    // Azure Managed Redis presents certificates from a public CA (DigiCert), in every system trust store.
    return undefined;
  }
}
