import type { NodePool } from '../../clusters/types';
import type { ChartObjects } from '../kernel/contribution';
import type { HelmRelease } from '../kernel/helm';
import { NVIDIA_DEVICE_PLUGIN_VALUE_PATHS } from './chart-value-paths';
import type { NodePlacement, Toleration } from './profile';

/**
 * NVIDIA's device plugin: the DaemonSet that advertises a node's GPUs as the `nvidia.com/gpu`
 * resource. Without it a GPU node reports none and every pod requesting a GPU stays Pending. EKS
 * (the AL2023 NVIDIA AMI has the driver, not the plugin) and AKS need it installed; GKE installs its
 * own with the driver, so the GCP profile asks for none.
 */

/** Release name; the Argo CD Application is named after it. */
export const NVIDIA_DEVICE_PLUGIN = 'nvidia-device-plugin';

/**
 * Pinned upstream chart (NVIDIA/k8s-device-plugin, deployments/helm/nvidia-device-plugin at tag
 * v0.20.0, the newest release on 2026-11-29); it installs plugin image v0.20.0.
 */
export const NVIDIA_DEVICE_PLUGIN_CHART = {
  repoURL: 'https://nvidia.github.io/k8s-device-plugin',
  chart: 'nvidia-device-plugin',
  version: '0.20.0',
} as const;

/** Namespace of the release: node agents of the platform's clouds live in kube-system. */
const NAMESPACE = 'kube-system';

/** One alternative of a required node affinity: a node matching every expression. */
export interface NodeSelectorTerm {
  readonly matchExpressions: readonly {
    readonly key: string;
    readonly operator: 'In';
    readonly values: readonly string[];
  }[];
}

/** The chart values the platform sets (values.yaml at v0.20.0); everything else keeps the chart's default. */
export interface NvidiaDevicePluginValues {
  /**
   * Replaces the chart's default affinity, which selects nodes by Node Feature Discovery labels
   * (`feature.node.kubernetes.io/pci-10de.present`, `nvidia.com/gpu.present`) that nothing sets
   * here: NFD runs only with GPU Feature Discovery (`gfd.enabled`), which stays off. One term per
   * GPU pool of the fleet, by the pool label the cloud profile places on.
   */
  readonly affinity: {
    readonly nodeAffinity: {
      readonly requiredDuringSchedulingIgnoredDuringExecution: {
        readonly nodeSelectorTerms: readonly NodeSelectorTerm[];
      };
    };
  };
  /** Every taint of every GPU pool (the chart's default list is replaced, not merged). */
  readonly tolerations: readonly Toleration[];
  /** The chart's default, kept explicit: evicted last, like the node agents it stands beside. */
  readonly priorityClassName: 'system-node-critical';
  /** Off: GPU Feature Discovery and its NFD subchart label nodes the platform does not read. */
  readonly gfd: { readonly enabled: false };
  /** Off with GFD (the subchart's condition is `nfd.enabled,gfd.enabled`). */
  readonly nfd: { readonly enabled: false };
  /** Requests and limits of the plugin container (the chart sets none). */
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
}

/** A GPU pool with the placement the cloud profile gives pods on it. */
export interface GpuPoolPlacement {
  readonly pool: NodePool;
  readonly placement: NodePlacement;
}

/** The plugin as an upstream Helm release on every GPU pool; undefined when the cluster has none. */
export function nvidiaDevicePluginRelease(gpuPools: readonly GpuPoolPlacement[]): HelmRelease | undefined {
  if (gpuPools.length === 0) return undefined;
  const tolerations = new Map<string, Toleration>();
  for (const { placement } of gpuPools) {
    for (const t of placement.tolerations) tolerations.set(`${t.key}=${t.value ?? ''}:${t.effect}`, t);
  }
  const values: NvidiaDevicePluginValues = {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: gpuPools.map(({ placement }) => ({
            matchExpressions: Object.entries(placement.nodeSelector).map(([key, value]) => ({
              key,
              operator: 'In' as const,
              values: [value],
            })),
          })),
        },
      },
    },
    tolerations: [...tolerations.values()],
    priorityClassName: 'system-node-critical',
    gfd: { enabled: false },
    nfd: { enabled: false },
    resources: {
      requests: { cpu: '10m', memory: '32Mi' },
      limits: { cpu: '100m', memory: '128Mi' },
    },
  };
  return {
    name: NVIDIA_DEVICE_PLUGIN,
    ...NVIDIA_DEVICE_PLUGIN_CHART,
    namespace: NAMESPACE,
    values: { ...values },
    providesCrds: [],
  };
}

/**
 * What the chart creates (NVIDIA/k8s-device-plugin deployments/helm/nvidia-device-plugin at
 * v0.20.0): a DaemonSet on the GPU nodes, which mounts the kubelet's device-plugin socket directory
 * from the host. Nothing else refers to it but the `nvidia.com/gpu` resource it advertises.
 */
export function nvidiaDevicePluginChartObjects(release: HelmRelease): ChartObjects {
  return {
    releases: [release.name],
    // No value of the chart at v0.20.0 labels its pods alone: the template labels are the
    // selector's, and `selectorLabelsOverride` would change the DaemonSet's immutable selector.
    podLabelValues: [
      {
        release: release.name,
        paths: [],
        unlabelled:
          'the chart (v0.20.0) has no pod label value: its pod labels are its selector (selectorLabelsOverride), which a DaemonSet cannot change',
      },
    ],
    values: [NVIDIA_DEVICE_PLUGIN_VALUE_PATHS],
    pods: [
      {
        namespace: release.namespace,
        labels: {
          'app.kubernetes.io/name': NVIDIA_DEVICE_PLUGIN,
          'app.kubernetes.io/instance': release.name,
        },
        podSecurity: 'privileged',
      },
    ],
  };
}
