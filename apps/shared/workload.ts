import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ClusterSpec, NodePool, NodePoolRole } from '../../clusters/types';
import { cloudWorkload } from '../../clusters/workloads';
import type { CloudProfile } from '../../platform/clouds/profile';

/**
 * What every platform pod runs with: the Pod Security "restricted" profile,
 * no Kubernetes API token, and a read-only root filesystem (writable scratch
 * space comes from an emptyDir at /tmp).
 */
export const RESTRICTED_POD: k8s.PodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  fsGroup: 10001,
  seccompProfile: { type: 'RuntimeDefault' },
};

export const RESTRICTED_CONTAINER: k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

/** The writable scratch directory every container gets, since its root filesystem is read-only. */
export const TMP_VOLUME: k8s.Volume = {
  name: 'tmp',
  emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') },
};
export const TMP_MOUNT: k8s.VolumeMount = { name: 'tmp', mountPath: '/tmp' };

/** Requests and limits from plain strings; GPUs are requested and limited alike, as Kubernetes requires. */
export function resources(spec: {
  cpuRequest: string;
  cpuLimit: string;
  memoryRequest: string;
  memoryLimit: string;
  gpus?: number;
}): k8s.ResourceRequirements {
  const gpu: Record<string, k8s.Quantity> = spec.gpus
    ? { 'nvidia.com/gpu': k8s.Quantity.fromNumber(spec.gpus) }
    : {};
  return {
    requests: {
      cpu: k8s.Quantity.fromString(spec.cpuRequest),
      memory: k8s.Quantity.fromString(spec.memoryRequest),
      ...gpu,
    },
    limits: {
      cpu: k8s.Quantity.fromString(spec.cpuLimit),
      memory: k8s.Quantity.fromString(spec.memoryLimit),
      ...gpu,
    },
  };
}

/** The cluster's pool of a role; the fleet guarantees the pools the charts ask for exist. */
export function poolFor(cluster: ClusterSpec, role: NodePoolRole): NodePool {
  const pool = cluster.nodePools.find((p) => p.role === role);
  if (!pool) throw new Error(`${cluster.name} has no node pool with role "${role}"`);
  return pool;
}

/** Node selector and tolerations for a pool, in the shape a pod spec takes. */
export function scheduleOn(
  profile: CloudProfile,
  pool: NodePool,
): Pick<k8s.PodSpec, 'nodeSelector' | 'tolerations'> {
  const placement = profile.nodePlacement(pool);
  return {
    nodeSelector: { ...placement.nodeSelector },
    tolerations: placement.tolerations.map((t) => ({ ...t })),
  };
}

/** Replicas spread across zones, then across nodes; preferred, so a lost zone never blocks scaling. */
export function spreadAcrossZones(selector: Record<string, string>): k8s.TopologySpreadConstraint[] {
  return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: selector },
  }));
}

export interface WorkloadServiceAccountProps {
  readonly profile: CloudProfile;
  /** Entry of clusters/workloads.ts: names the ServiceAccount and the cloud identity it assumes. */
  readonly workload: string;
}

/**
 * The ServiceAccount of a workload with a cloud identity, annotated through
 * the profile (IRSA, GKE Workload Identity, Azure Workload Identity). The pods
 * get no API token: the identity webhooks mount their own projected token.
 */
export class WorkloadServiceAccount extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** Labels the workload's pods must carry for the identity to apply. */
  readonly podLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: WorkloadServiceAccountProps) {
    super(scope, id);
    const workload = cloudWorkload(props.workload);
    const identity = props.profile.workloadIdentity(props.workload);
    this.name = workload.serviceAccount;
    this.namespace = workload.namespace;
    this.podLabels = { ...identity.podLabels };
    new k8s.KubeServiceAccount(this, 'account', {
      metadata: {
        name: workload.serviceAccount,
        namespace: workload.namespace,
        annotations: { ...identity.serviceAccountAnnotations },
        labels: { ...identity.serviceAccountLabels },
      },
      automountServiceAccountToken: false,
    });
  }
}

/** A PodDisruptionBudget that lets drains proceed one pod at a time, also past unhealthy pods. */
export function disruptionBudget(
  scope: Construct,
  id: string,
  meta: { name: string; namespace: string },
  selector: Record<string, string>,
): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, id, {
    metadata: meta,
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: selector },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}

/**
 * A CronJob as the platform runs them: UTC schedule, never two runs at once,
 * a short history, and pods that finish with their job (Istio native sidecar).
 * The history limits decide how long runs are kept, so `job` sets no
 * ttlSecondsAfterFinished (policy JOB-TTL).
 */
export function scheduledJob(
  scope: Construct,
  id: string,
  props: {
    metadata: { name: string; namespace: string; labels: Record<string, string> };
    schedule: string;
    job: k8s.JobSpec;
  },
): k8s.KubeCronJob {
  return new k8s.KubeCronJob(scope, id, {
    metadata: props.metadata,
    spec: {
      schedule: props.schedule,
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: { metadata: { labels: props.metadata.labels }, spec: props.job },
    },
  });
}

/** Pod metadata for a job's pods: Istio's native sidecar exits with the job instead of keeping the pod alive. */
export function jobPodMetadata(labels: Record<string, string>): k8s.ObjectMeta {
  return { labels, annotations: { 'sidecar.istio.io/nativeSidecar': 'true' } };
}
