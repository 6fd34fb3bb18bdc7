import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { aksAgentPoolName } from '../../clusters/naming';
import type { AksApiAccess, ApiAccessScope, NodePool, Taint } from '../../clusters/types';
import { hostAddress } from '../cidr';
import type { KubernetesPlan } from '../plan';

export interface AzureKubernetesClusterProps {
  /** Resource group and location of the cluster. */
  readonly resourceGroupName: string;
  readonly location: string;
  /** Entra tenant whose identities sign in (Azure RBAC for Kubernetes). */
  readonly tenantId: string;
  /** Availability zones the pools span. */
  readonly zones: readonly string[];
  /** Version, node pools and API exposure. */
  readonly kubernetes: KubernetesPlan;
  /** Pod overlay range. */
  readonly podCidr: string;
  /** Service (ClusterIP) range; the cluster DNS gets its 10th address. */
  readonly serviceCidr: string;
  /** Id of the node subnet. */
  readonly nodeSubnetId: string;
  /** Id of the VNet the control plane identity manages (load balancers, NAT). */
  readonly vnetId: string;
  /** Log Analytics workspace container insights write to. */
  readonly logAnalyticsWorkspaceId: string;
  /** What must exist before the cluster (the node subnet's NAT association). */
  readonly dependsOn: ITerraformDependable[];
  /** The Entra ID groups that may use the Kubernetes API and their scope: the cluster file's `apiAccess`. */
  readonly apiAccess: readonly AksApiAccess[];
}

/**
 * Built-in Azure roles each scope is assigned on the cluster. The RBAC Cluster Admin role includes
 * fetching a user kubeconfig; the RBAC Reader does not, hence the Cluster User Role next to it.
 * What `view` may read beyond the Reader (the platform's custom resources) is the platform's
 * read-only ClusterRole, which the base component binds to the group's object id.
 */
const ACCESS_ROLES: Record<ApiAccessScope, readonly string[]> = {
  'cluster-admin': ['Azure Kubernetes Service RBAC Cluster Admin'],
  view: ['Azure Kubernetes Service RBAC Reader', 'Azure Kubernetes Service Cluster User Role'],
};

const SPOT_TAINT: Taint = {
  key: 'kubernetes.azure.com/scalesetpriority',
  value: 'spot',
  effect: 'NoSchedule',
};

/**
 * Taints an agent pool declares: the fleet's, plus the one AKS puts on spot
 * pools (declared so Terraform does not see drift, and the same set
 * `AzureProfile.nodeTaints` tolerates).
 */
export function aksDeclaredTaints(pool: NodePool): Taint[] {
  return [...pool.taints, ...(pool.capacityType === 'spot' ? [SPOT_TAINT] : [])];
}

const taintString = (t: Taint) => `${t.key}=${t.value}:${t.effect}`;

/**
 * AKS requires a system pool inside the cluster resource: the fleet's first
 * on-demand `general` pool without taints becomes it.
 */
export function systemPool(kubernetes: KubernetesPlan): NodePool {
  const pool = kubernetes.nodePools.find(
    (p) => p.role === 'general' && p.capacityType === 'on-demand' && p.taints.length === 0,
  );
  if (!pool) {
    throw new Error(
      `${kubernetes.name}: AKS needs an on-demand node pool with role "general" and no taints for its system pool`,
    );
  }
  return pool;
}

/**
 * AKS with the OIDC issuer and Workload Identity, Azure CNI overlay with Cilium
 * (enforces NetworkPolicies), Entra ID sign-in with Azure RBAC and no local
 * accounts (role assignments for the groups of the cluster file's
 * `apiAccess`), the Blob CSI driver (models are mounted from Blob), the Key
 * Vault secrets provider, Container Insights to Log Analytics, and one agent
 * pool per fleet pool named `aksAgentPoolName(pool)`, spot with eviction where
 * the fleet says.
 */
export class AzureKubernetesCluster extends Construct {
  readonly cluster: KubernetesCluster;
  readonly nodePools: KubernetesClusterNodePool[] = [];

  constructor(scope: Construct, id: string, props: AzureKubernetesClusterProps) {
    super(scope, id);
    const { kubernetes, resourceGroupName, location } = props;
    const zones = [...props.zones];
    const controlPlane = new UserAssignedIdentity(this, 'control-plane-identity', {
      name: `${kubernetes.name}-control-plane`,
      resourceGroupName,
      location,
    });
    // Given before the cluster exists, so AKS can attach load balancers and NAT on create.
    const networkRole = new RoleAssignment(this, 'control-plane-network', {
      scope: props.vnetId,
      roleDefinitionName: 'Network Contributor',
      principalId: controlPlane.principalId,
      principalType: 'ServicePrincipal',
    });

    const system = systemPool(kubernetes);
    this.cluster = new KubernetesCluster(this, 'cluster', {
      name: kubernetes.name,
      resourceGroupName,
      location,
      dnsPrefix: kubernetes.name,
      kubernetesVersion: kubernetes.version,
      skuTier: 'Standard',
      automaticUpgradeChannel: 'patch',
      nodeOsUpgradeChannel: 'NodeImage',
      privateClusterEnabled: !kubernetes.publicApiEndpoint,
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      localAccountDisabled: true,
      azurePolicyEnabled: true,
      identity: { type: 'UserAssigned', identityIds: [controlPlane.id] },
      // Entra ID sign-in, authorized by the Azure RBAC role assignments below. The cluster-admin
      // groups are also the cluster's admin groups, which AKS binds to the cluster-admin ClusterRole.
      azureActiveDirectoryRoleBasedAccessControl: {
        azureRbacEnabled: true,
        tenantId: props.tenantId,
        adminGroupObjectIds: props.apiAccess
          .filter((access) => access.scope === 'cluster-admin')
          .map((access) => access.groupObjectId),
      },
      // The managed autoscaler grows spot pools before their on-demand fallbacks: it reads the
      // priorities from the cluster-autoscaler-priority-expander ConfigMap (platform/clouds/spot-fallback.ts).
      autoScalerProfile: { expander: 'priority' },
      defaultNodePool: {
        name: aksAgentPoolName(system.name),
        temporaryNameForRotation: 'rotating',
        vmSize: system.instanceType,
        autoScalingEnabled: true,
        minCount: system.minSize,
        maxCount: system.maxSize,
        nodeCount: system.desiredSize,
        osDiskSizeGb: system.diskSizeGb,
        osDiskType: 'Managed',
        vnetSubnetId: props.nodeSubnetId,
        zones,
        nodeLabels: { 'platform.ml/pool-role': system.role },
        upgradeSettings: { maxSurge: '33%' },
      },
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkPolicy: 'cilium',
        networkDataPlane: 'cilium',
        podCidr: props.podCidr,
        serviceCidr: props.serviceCidr,
        dnsServiceIp: hostAddress(props.serviceCidr, 10),
        outboundType: 'userAssignedNATGateway',
        loadBalancerSku: 'standard',
      },
      omsAgent: { logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId, msiAuthForMonitoringEnabled: true },
      // The snapshot controller serves the CSI snapshot API Velero snapshots the disks through.
      storageProfile: { blobDriverEnabled: true, diskDriverEnabled: true, snapshotControllerEnabled: true },
      keyVaultSecretsProvider: { secretRotationEnabled: true },
      lifecycle: { ignoreChanges: ['default_node_pool[0].node_count'] },
      dependsOn: [networkRole, ...props.dependsOn],
    });

    // Addressed by group and role, so reordering the fleet's list moves no assignment.
    for (const access of props.apiAccess) {
      for (const role of ACCESS_ROLES[access.scope]) {
        new RoleAssignment(this, `access-${access.groupObjectId}-${role.replace(/[^a-zA-Z]/g, '-')}`, {
          scope: this.cluster.id,
          roleDefinitionName: role,
          principalId: access.groupObjectId,
          principalType: 'Group',
        });
      }
    }

    for (const pool of kubernetes.nodePools) {
      if (pool === system) continue;
      const spot = pool.capacityType === 'spot';
      this.nodePools.push(
        new KubernetesClusterNodePool(this, `node-pool-${pool.name}`, {
          name: aksAgentPoolName(pool.name),
          kubernetesClusterId: this.cluster.id,
          mode: 'User',
          vmSize: pool.instanceType,
          autoScalingEnabled: true,
          minCount: pool.minSize,
          maxCount: pool.maxSize,
          nodeCount: pool.desiredSize,
          osDiskSizeGb: pool.diskSizeGb,
          vnetSubnetId: props.nodeSubnetId,
          zones,
          priority: spot ? 'Spot' : 'Regular',
          evictionPolicy: spot ? 'Delete' : undefined,
          spotMaxPrice: spot ? -1 : undefined,
          nodeLabels: { 'platform.ml/pool-role': pool.role },
          nodeTaints: aksDeclaredTaints(pool).map(taintString),
          upgradeSettings: spot ? undefined : { maxSurge: '33%' },
          lifecycle: { ignoreChanges: ['node_count'] },
        }),
      );
    }
  }
}
