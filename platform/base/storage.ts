import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { StorageClassSource } from '../clouds/profile';

/**
 * The StorageClasses the cloud does not create itself (the EBS CSI classes on
 * EKS). Volumes are bound where the pod lands (a zonal disk in another zone
 * could never attach) and may grow in place.
 */
export class PlatformStorageClasses extends Construct {
  constructor(scope: Construct, id: string, sources: readonly StorageClassSource[]) {
    super(scope, id);
    const seen = new Set<string>();
    for (const source of sources) {
      if (source.providedByCloud || seen.has(source.name)) continue;
      seen.add(source.name);
      new k8s.KubeStorageClass(this, source.name, {
        metadata: { name: source.name },
        provisioner: source.provisioner,
        parameters: { ...source.parameters },
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
        reclaimPolicy: 'Delete',
      });
    }
  }
}
