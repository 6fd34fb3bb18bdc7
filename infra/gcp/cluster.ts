import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { Construct } from 'constructs';
import type { ApiAccessScope, GkeApiAccess, NodePool, Taint } from '../../clusters/types';
import type { KubernetesPlan } from '../plan';
import type { GcpNetwork } from './network';
import { SECONDARY_RANGES } from './network';

export interface GcpKubernetesClusterProps {
  /** Project the cluster runs in. */
  readonly projectId: string;
  /** Region: the cluster is regional, its control plane replicated across zones. */
  readonly region: string;
  /** Zones the node pools span. */
  readonly zones: readonly string[];
  /** Version, node pools and API exposure. */
  readonly kubernetes: KubernetesPlan;
  /** The /28 the control plane peers into. */
  readonly controlPlaneCidr: string;
  /** The only range allowed to reach the API server (the VPC). */
  readonly authorizedCidr: string;
  /** Further ranges allowed to reach it: the peers' across the cross-cloud VPN (infra/gcp/vpn.ts). */
  readonly peerAuthorizedNetworks: readonly { readonly cidrBlock: string; readonly displayName: string }[];
  /** The VPC and node subnet. */
  readonly network: GcpNetwork;
  /** Labels every GCP resource carries. */
  readonly labels: Readonly<Record<string, string>>;
  /** The Google identities that may use the Kubernetes API and their scope: the cluster file's `apiAccess`. */
  readonly apiAccess: readonly GkeApiAccess[];
  /** `gke-security-groups@<domain>`, whose member groups GKE reports to Kubernetes RBAC. */
  readonly rbacSecurityGroup: string;
}

/**
 * The project IAM role each scope is granted. `view` gets only the right to fetch the cluster's
 * credentials: what it may read inside is the platform's read-only ClusterRole, which the base
 * component binds to the member (never Secrets, which `roles/container.viewer` would list).
 */
const ACCESS_ROLE: Record<ApiAccessScope, string> = {
  'cluster-admin': 'roles/container.admin',
  view: 'roles/container.clusterViewer',
};

/**
 * Construct id of a member's grant, from the member itself: the Terraform address stays put when
 * the fleet reorders the list, so a reorder never removes and re-adds a grant.
 */
function accessId(member: string): string {
  return `access-${member.replace(/[^a-zA-Z0-9]/g, '-')}`;
}

const TAINT_EFFECT: Record<Taint['effect'], string> = {
  NoSchedule: 'NO_SCHEDULE',
  NoExecute: 'NO_EXECUTE',
  PreferNoSchedule: 'PREFER_NO_SCHEDULE',
};

/** GKE adds this taint to GPU nodes itself; declaring it too would make Terraform fight GKE. */
const GKE_GPU_TAINT_KEY = 'nvidia.com/gpu';

/**
 * Taints the node pool declares: the fleet's, minus the GPU taint GKE adds on
 * its own, plus the spot taint so that only pods accepting preemption land on
 * spot nodes (the same set `GcpProfile.nodeTaints` tolerates).
 */
export function gkeDeclaredTaints(pool: NodePool): Taint[] {
  const taints = pool.taints.filter((t) => !(pool.gpu && t.key === GKE_GPU_TAINT_KEY));
  if (pool.capacityType === 'spot') {
    taints.push({ key: 'cloud.google.com/gke-spot', value: 'true', effect: 'NoSchedule' });
  }
  return taints;
}

/** Nodes a regional node pool starts with in each zone: never more in total than the pool's `desiredSize`. */
export function gkeInitialNodesPerZone(pool: NodePool, zones: number): number {
  return Math.floor(pool.desiredSize / zones);
}

/** Node roles the node service account needs to write logs and metrics and pull images. */
const NODE_ROLES = [
  'roles/logging.logWriter',
  'roles/monitoring.metricWriter',
  'roles/monitoring.viewer',
  'roles/stackdriver.resourceMetadata.writer',
  'roles/artifactregistry.reader',
];

/**
 * A regional, private GKE cluster with Workload Identity, Dataplane V2
 * (enforces NetworkPolicies), Shielded nodes, and one node pool per fleet pool
 * (named as the pool, the `cloud.google.com/gke-nodepool` label charts select
 * on), spot where the fleet says, run by a minimal node service account, and
 * the project IAM roles of the cluster file's `apiAccess` (Google Groups for
 * RBAC on, so the base component's bindings of `view` groups apply).
 */
export class GcpKubernetesCluster extends Construct {
  readonly cluster: ContainerCluster;
  readonly nodePools: ContainerNodePool[] = [];

  constructor(scope: Construct, id: string, props: GcpKubernetesClusterProps) {
    super(scope, id);
    const { kubernetes, projectId } = props;
    const nodeAccount = new ServiceAccount(this, 'node-service-account', {
      accountId: `${kubernetes.name}-nodes`.slice(0, 30),
      displayName: `Nodes of ${kubernetes.name}`,
    });
    for (const role of NODE_ROLES) {
      new ProjectIamMember(this, `node-${role.replace(/[^a-zA-Z]/g, '-')}`, {
        project: projectId,
        role,
        member: nodeAccount.member,
      });
    }

    this.cluster = new ContainerCluster(this, 'cluster', {
      name: kubernetes.name,
      location: props.region,
      nodeLocations: [...props.zones],
      network: props.network.network.id,
      subnetwork: props.network.subnetwork.id,
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: {
        clusterSecondaryRangeName: SECONDARY_RANGES.pods,
        servicesSecondaryRangeName: SECONDARY_RANGES.services,
      },
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: !kubernetes.publicApiEndpoint,
        masterIpv4CidrBlock: props.controlPlaneCidr,
      },
      masterAuthorizedNetworksConfig: {
        cidrBlocks: [
          { cidrBlock: props.authorizedCidr, displayName: 'cluster VPC' },
          ...props.peerAuthorizedNetworks,
        ],
      },
      minMasterVersion: kubernetes.version,
      releaseChannel: { channel: 'REGULAR' },
      workloadIdentityConfig: { workloadPool: `${projectId}.svc.id.goog` },
      // The persistent disk CSI driver provisions the volumes and, with it, GKE serves the CSI
      // snapshot API Velero snapshots them through (on by default; kept on here knowingly).
      addonsConfig: { gcePersistentDiskCsiDriverConfig: { enabled: true } },
      datapathProvider: 'ADVANCED_DATAPATH',
      // Google Groups for RBAC: GKE reports the groups (members of this one) a caller belongs to,
      // so the RBAC bindings of `view` groups by email take effect.
      authenticatorGroupsConfig: { securityGroup: props.rbacSecurityGroup },
      enableShieldedNodes: true,
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      deletionProtection: true,
      resourceLabels: { ...props.labels },
      loggingConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'WORKLOADS'] },
      monitoringConfig: {
        enableComponents: ['SYSTEM_COMPONENTS'],
        managedPrometheus: { enabled: false },
      },
      // GKE requires at least 48 hours of maintenance in any 32 days, in windows of 4 hours or more:
      // two weekend windows of 4 hours give 36 at best and are rejected; 8 hours each give 72.
      maintenancePolicy: {
        recurringWindow: {
          startTime: '2025-01-04T03:00:00Z',
          endTime: '2025-01-04T11:00:00Z',
          recurrence: 'FREQ=WEEKLY;BYDAY=SA,SU',
        },
      },
    });

    // Project IAM: GKE has no per-cluster IAM binding, so each role holds for every cluster in the project.
    for (const access of props.apiAccess) {
      new ProjectIamMember(this, accessId(access.member), {
        project: projectId,
        role: ACCESS_ROLE[access.scope],
        member: access.member,
      });
    }

    for (const pool of kubernetes.nodePools) {
      this.nodePools.push(
        new ContainerNodePool(this, `node-pool-${pool.name}`, {
          name: pool.name,
          cluster: this.cluster.id,
          location: props.region,
          nodeLocations: [...props.zones],
          // Regional pools create this many nodes in EVERY zone: rounding up would start a 1-node GPU
          // pool with one GPU node per zone and an empty fallback pool with one node per zone. Rounding
          // down never creates more than the fleet asks; the autoscaler adds what pending pods need.
          initialNodeCount: gkeInitialNodesPerZone(pool, props.zones.length),
          autoscaling: {
            totalMinNodeCount: pool.minSize,
            totalMaxNodeCount: pool.maxSize,
            locationPolicy: pool.capacityType === 'spot' ? 'ANY' : 'BALANCED',
          },
          management: { autoRepair: true, autoUpgrade: true },
          upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
          nodeConfig: {
            machineType: pool.instanceType,
            diskSizeGb: pool.diskSizeGb,
            diskType: 'pd-balanced',
            spot: pool.capacityType === 'spot',
            serviceAccount: nodeAccount.email,
            oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
            workloadMetadataConfig: { mode: 'GKE_METADATA' },
            shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
            labels: { 'platform.ml/pool-role': pool.role },
            resourceLabels: { ...props.labels },
            taint: gkeDeclaredTaints(pool).map((t) => ({
              key: t.key,
              value: t.value,
              effect: TAINT_EFFECT[t.effect],
            })),
            guestAccelerator: pool.gpu
              ? [
                  {
                    type: pool.gpu.type,
                    count: pool.gpu.count,
                    gpuDriverInstallationConfig: { gpuDriverVersion: 'LATEST' },
                  },
                ]
              : undefined,
          },
          lifecycle: { ignoreChanges: ['initial_node_count'] },
        }),
      );
    }
  }
}
