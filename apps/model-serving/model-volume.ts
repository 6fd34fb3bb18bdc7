import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ModelStorage } from '../../platform/clouds/profile';
import { MODEL_SERVING } from '../../platform/mesh/workloads';

type BlobStorage = Extract<ModelStorage, { kind: 'blob-csi' }>;

/**
 * The model container of an Azure storage account, mounted read-only with
 * the Blob CSI driver (TF Serving cannot read Azure Blob itself). Statically
 * provisioned: the container exists through Terraform, the volume only
 * points at it, and deleting the claim never deletes the models.
 */
export class BlobModelVolume extends Construct {
  /** Name of the claim pods mount. */
  readonly claimName = 'model-store';

  constructor(scope: Construct, id: string, storage: BlobStorage) {
    super(scope, id);
    const volumeName = `${MODEL_SERVING.namespace}-model-store`;
    new k8s.KubePersistentVolume(this, 'volume', {
      metadata: { name: volumeName },
      spec: {
        capacity: { storage: k8s.Quantity.fromString('1Ti') },
        accessModes: ['ReadOnlyMany'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: '',
        mountOptions: ['-o allow_other', '--file-cache-timeout-in-seconds=120'],
        csi: {
          driver: 'blob.csi.azure.com',
          // Unique per volume in the cluster, as the driver requires.
          volumeHandle: `${storage.resourceGroup}#${storage.storageAccount}#${storage.containerName}`,
          readOnly: true,
          volumeAttributes: {
            resourceGroup: storage.resourceGroup,
            storageAccount: storage.storageAccount,
            containerName: storage.containerName,
            protocol: 'fuse2',
            // Mount as the model-serving identity with its workload identity token: the account has no
            // shared keys, and without this the driver would use the identity to fetch the account key
            // (blob-csi-driver 1.27+, docs/workload-identity-static-pv-mount.md).
            clientID: storage.clientId,
            mountWithWorkloadIdentityToken: 'true',
          },
        },
      },
    });
    new k8s.KubePersistentVolumeClaim(this, 'claim', {
      metadata: { name: this.claimName, namespace: MODEL_SERVING.namespace },
      spec: {
        accessModes: ['ReadOnlyMany'],
        storageClassName: '',
        volumeName,
        resources: { requests: { storage: k8s.Quantity.fromString('1Ti') } },
      },
    });
  }
}
