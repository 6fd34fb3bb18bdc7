import { bucketName, gcpRegistryRepository, workloadIdentityName } from '../../clusters/naming';
import { type ClusterOutputs, outputsFile } from '../../clusters/outputs';
import type { ClusterSpec, GcpClusterSpec, NodePool, Taint } from '../../clusters/types';
import type { BucketRole } from '../../clusters/workloads';
import { VELERO } from '../backup/versions';
import { isSpot, mergeTaints, poolPlacement, storageDrivers } from './common';
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
  type WorkloadIdentityEndpoint,
} from './profile';

/** GKE: PD CSI volumes, GKE L4 load balancers, GKE Workload Identity, node pools, GCS, Artifact Registry. */
export class GcpProfile implements CloudProfile {
  readonly cloud = 'gcp';

  constructor(
    private readonly cluster: GcpClusterSpec,
    private readonly outputs: ClusterOutputs,
  ) {}

  storageClass(tier: StorageTier): string {
    return this.storageClasses()[tier].name;
  }

  storageClasses(): Record<StorageTier, StorageClassSource> {
    // The Compute Engine persistent disk CSI driver (on by default in GKE) creates both classes.
    const pd = (name: string): StorageClassSource => ({
      name,
      providedByCloud: true,
      provisioner: 'pd.csi.storage.gke.io',
    });
    return { standard: pd('standard-rwo'), fast: pd('premium-rwo') };
  }

  gpuDevicePlugin(): undefined {
    // GKE installs the NVIDIA driver and device plugin on GPU nodes itself (gpu_driver_installation_config).
    return undefined;
  }

  loadBalancerController(): undefined {
    // The cloud controller manager provisions load balancers for annotated Services itself.
    return undefined;
  }

  resourceMetricsServer(): undefined {
    // GKE runs metrics-server in kube-system of every cluster (it serves metrics.k8s.io).
    return undefined;
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

  workloadIdentityEndpoint(): WorkloadIdentityEndpoint {
    // A pod acting as its Google service account asks the GKE metadata server on its node for
    // tokens (application default credentials), a link-local address no 443 rule reaches. GKE's
    // network policy page (https://cloud.google.com/kubernetes-engine/docs/how-to/network-policy,
    // the Workload Identity Federation for GKE requirements) gives the egress to allow: with GKE
    // Dataplane V2, which infra/gcp/cluster.ts turns on (ADVANCED_DATAPATH) and which evaluates
    // policy before the node redirects the request, 169.254.169.254/32 on port 80; without it,
    // 169.254.169.252/32 on port 988 (127.0.0.1/32:988 before GKE 1.21).
    return {
      serviceAccountAnnotation: 'iam.gke.io/gcp-service-account',
      cidr: '169.254.169.254/32',
      ports: [80],
      what: 'the GKE metadata server',
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
    return poolPlacement(
      this.cluster,
      pool,
      'cloud.google.com/gke-nodepool',
      (p) => p.name,
      (p) => this.nodeTaints(p),
    );
  }

  spotFallback(_pair: SpotPair): SpotFallback {
    // GKE runs the autoscaler and takes no priority list. The pair is the fallback: when the spot
    // pool cannot grow (no capacity, preempted), scale-up of it fails and the on-demand pool, which
    // fits the same pods, grows instead. GKE drains preempted nodes itself (graceful node shutdown).
    return {};
  }

  addOns(): CloudAddOn[] {
    // GKE's autoscaler needs nothing from the platform for spot fallback (see spotFallback).
    return [];
  }

  apiViewers(): RbacSubject[] {
    // Google Groups for RBAC: a group by its email; a user or service account as a user, by email.
    return this.cluster.apiAccess
      .filter((access) => access.scope === 'view')
      .map((access) => {
        const [kind, email] = access.member.split(':');
        return {
          kind: kind === 'group' ? 'Group' : 'User',
          name: email,
          apiGroup: 'rbac.authorization.k8s.io',
        };
      });
  }

  modelStorage(model: string): ModelStorage {
    // TF Serving's GCS filesystem authenticates through the metadata server (Workload Identity).
    return { kind: 'object-store', uri: this.objectUri('models', model), env: {} };
  }

  objectUri(bucket: BucketRole, path: string): string {
    return `gs://${bucketName(this.cluster, bucket)}/${path}`;
  }

  crossCloudModelReader(reader: ClusterSpec): CrossCloudReadAccess {
    // Not built yet: it needs workload identity federation trusting the reader's issuer.
    throw new MissingCloudValueError(
      `${reader.name} cannot read Google Cloud Storage in ${this.cluster.name}: cross-cloud reads are implemented for an ` +
        'AWS source only; make an AWS cluster modelReplication.sourceCluster (clusters/defaults.ts)',
    );
  }

  rcloneRemote(bucket: BucketRole): RcloneRemote {
    return {
      // Uniform bucket-level access: rclone must not try to set object ACLs.
      settings: { TYPE: 'google cloud storage', ENV_AUTH: 'true', BUCKET_POLICY_ONLY: 'true' },
      bucket: bucketName(this.cluster, bucket),
    };
  }

  costPricing(): CostPricing {
    // The Cloud Billing Catalog API takes an API key, not an identity: OpenCost refuses to price a
    // GKE cluster without one (CLOUD_PROVIDER_API_KEY).
    return { apiKeySecret: 'cloud-pricing-api-key', env: {} };
  }

  backupStorage(): BackupStorage {
    // GKE Workload Identity gives the pod the Google service account; the plugin signs download URLs as it.
    const identity =
      this.workloadIdentity('velero').serviceAccountAnnotations['iam.gke.io/gcp-service-account'];
    return {
      provider: 'gcp',
      pluginImage: `docker.io/velero/velero-plugin-for-gcp:${VELERO.pluginTag}`,
      bucket: bucketName(this.cluster, 'backups'),
      config: { serviceAccount: identity },
    };
  }

  volumeSnapshots(): VolumeSnapshotSupport {
    // GKE serves the snapshot API with the Compute Engine PD CSI driver, which the stack keeps on.
    return {
      drivers: storageDrivers(this.storageClasses()),
      apiInstalledBy:
        'GKE with the Compute Engine persistent disk CSI driver (infra/gcp/cluster.ts keeps it on)',
    };
  }

  logSnapshotStorage(): LogSnapshotStorage {
    // The GCS client takes application default credentials from the GKE metadata server, which
    // answers as the Google service account the ServiceAccount is annotated with: no token, no key.
    const bucket = bucketName(this.cluster, 'log-snapshots');
    return { type: 'gcs', bucket, settings: { bucket }, nodeConfig: {}, keystoreSettings: {}, env: {} };
  }

  registryHost(): string {
    return `${this.cluster.region}-docker.pkg.dev`;
  }

  imageRepository(image: string): string {
    return `${this.registryHost()}/${this.cluster.projectId}/${gcpRegistryRepository(this.cluster)}/${image}`;
  }

  istioCni(): IstioCniPlatform {
    // GKE keeps CNI binaries in /home/kubernetes/bin. The chart's gke profile leaves cniBinDir unset
    // and guesses it from a "-gke" API server version, which depends on the version Argo CD passes
    // to Helm; the path is set explicitly so it never falls back to /opt/cni/bin. The profile also
    // adds the ResourceQuota GKE requires before it admits system-node-critical pods outside kube-system.
    return { platform: 'gke', cniBinDir: '/home/kubernetes/bin' };
  }

  secretStoreProvider(): SecretStoreProvider {
    // No auth block: the controller's ServiceAccount acts as its Google service account (Workload Identity).
    return { gcpsm: { projectID: this.cluster.projectId } };
  }

  redisServerCa(): string {
    // Memorystore with in-transit encryption signs with a CA of its own, per instance.
    const ca = this.outputs.cacheCaCertificate;
    if (!ca) {
      throw new MissingCloudValueError(
        `${outputsFile(this.cluster)}: cacheCaCertificate: missing; Memorystore's server CA exists only after ` +
          'terraform apply, and Redis clients that verify TLS need it',
      );
    }
    return ca;
  }
}
