/**
 * The two documents that decide what happens to the volumes' data, typed from what their readers
 * accept: the CSI snapshot API's VolumeSnapshotClass (snapshot.storage.k8s.io/v1, the
 * kubernetes-csi/external-snapshotter CRD every cloud installs: `driver` and `deletionPolicy`
 * required, `parameters` strings) and Velero 1.17's resource policies (the ConfigMap a backup names
 * in `resourcePolicy`; site/content/docs/v1.17/resource-filtering.md, "Resource policies"), of which
 * the platform uses the volume policies only.
 */

export interface IVolumeSnapshotClass {
  apiVersion: 'snapshot.storage.k8s.io/v1';
  kind: 'VolumeSnapshotClass';
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  /** The CSI driver that cuts the snapshots. */
  driver: string;
  /** Whether deleting the VolumeSnapshot deletes the cloud's snapshot too. */
  deletionPolicy: 'Delete' | 'Retain';
  /** The driver's snapshot parameters, opaque to Kubernetes. */
  parameters?: Record<string, string>;
}

/** What a volume policy does with a matching volume's data. */
export type VolumePolicyAction = 'skip' | 'snapshot' | 'fs-backup';

/** The conditions of one volume policy; a volume matches when it meets all of them. */
export interface VolumePolicyConditions {
  /** Labels the volume's PersistentVolumeClaim carries (all of them). */
  readonly pvcLabels?: Readonly<Record<string, string>>;
  /** A CSI volume, of this driver when `driver` is given (`{}` matches any CSI volume). */
  readonly csi?: { readonly driver?: string };
  /** One of these StorageClasses. */
  readonly storageClass?: readonly string[];
}

export interface VolumePolicy {
  readonly conditions: VolumePolicyConditions;
  readonly action: { readonly type: VolumePolicyAction };
}

/** The resource policies document; the first policy a volume matches decides. */
export interface VeleroResourcePolicies {
  readonly version: 'v1';
  readonly volumePolicies: readonly VolumePolicy[];
}
