import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import { Aspects, AzurermBackend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import {
  azureKeyVaultName,
  azureRegistryName,
  azureStorageAccountName,
  secretName,
} from '../../clusters/naming';
import type { AzureClusterSpec, AzureDatabaseSpec, FleetSettings } from '../../clusters/types';
import { type DatabasePlan, type InfrastructurePlan, refuseModelReaders } from '../plan';
import { declareStackOutputs } from '../stack-outputs';
import { StandardTags } from '../tags';
import { AzureCache } from './cache';
import { AzureKubernetesCluster } from './cluster';
import { AzureDatabase, AzureDatabaseReplica } from './database';
import { AzureWorkloadIdentity } from './identity';
import { AzureContainerInsights, AzureMonitoring } from './monitoring';
import { AzureNetwork } from './network';
import { AzurePairedNetwork } from './paired-network';
import { PRICE_READER_ROLE } from './pricing';
import { hasAvailabilityZones, pairedRegion } from './regions';
import { AzureRegistry } from './registry';
import { AzureSecrets } from './secrets';
import { AzureStorage } from './storage';
import { AzureCrossCloudVpn } from './vpn';

/**
 * Everything one Azure cluster needs, in its subscription and resource group,
 * with state in a blob container (leases lock it). azurerm has no default
 * tags, so an aspect tags every resource that takes tags.
 */
export class AzureClusterStack extends TerraformStack {
  constructor(scope: Construct, plan: InfrastructurePlan<AzureClusterSpec>, settings: FleetSettings) {
    super(scope, plan.cluster.name);
    refuseModelReaders(plan);
    const { cluster } = plan;
    const state = settings.terraformState.azure;
    new AzurermBackend(this, {
      subscriptionId: state.subscriptionId,
      resourceGroupName: state.resourceGroup,
      storageAccountName: state.storageAccount,
      containerName: state.container,
      key: `${cluster.name}.tfstate`,
      useAzureadAuth: true,
    });
    new AzurermProvider(this, 'azurerm', {
      subscriptionId: cluster.subscriptionId,
      storageUseAzuread: true,
      features: [
        {
          keyVault: [{ purgeSoftDeleteOnDestroy: false, recoverSoftDeletedKeyVaults: true }],
          resourceGroup: [{ preventDeletionIfContainsResources: true }],
          // The storage account has public network access and shared keys off: its data-plane
          // endpoints answer only inside the VNet, so a provider that polls them (queue and static
          // website properties) from the machine applying the stack fails to create or refresh it.
          storage: [{ dataPlaneAvailable: false }],
        },
      ],
    });
    Aspects.of(this).add(new StandardTags(plan.tags));
    const client = new DataAzurermClientConfig(this, 'client', {});

    const group = new ResourceGroup(this, 'resource-group', {
      name: cluster.resourceGroup,
      location: cluster.region,
    });
    const where = { resourceGroupName: group.name, location: group.location };

    const monitoring = new AzureMonitoring(this, 'monitoring', {
      ...where,
      name: `${cluster.name}-logs`,
      retentionDays: plan.kubernetes.logRetentionDays,
    });
    const network = new AzureNetwork(this, 'network', {
      ...where,
      clusterName: cluster.name,
      zones: cluster.zones,
      network: plan.network,
    });
    const kubernetes = new AzureKubernetesCluster(this, 'kubernetes', {
      ...where,
      tenantId: client.tenantId,
      zones: cluster.zones,
      kubernetes: plan.kubernetes,
      podCidr: plan.network.podCidr,
      serviceCidr: plan.network.serviceCidr,
      nodeSubnetId: network.nodes.id,
      vnetId: network.vnet.id,
      logAnalyticsWorkspaceId: monitoring.workspace.id,
      dependsOn: [network.natAssociation],
      apiAccess: cluster.apiAccess,
    });
    new AzureContainerInsights(this, 'container-insights', {
      ...where,
      clusterName: cluster.name,
      clusterId: kubernetes.cluster.id,
      workspaceId: monitoring.workspace.id,
    });
    // Only a database the cluster file declares, i.e. one something connects to; with it, its
    // read replica in the paired region, in a VNet of its own peered with the cluster's.
    const pairedLocation = pairedRegion(cluster.region);
    const databases =
      cluster.database &&
      plan.database &&
      databaseWithReplica(this, plan, cluster.database, plan.database, network, {
        ...where,
        tenantId: client.tenantId,
        pairedLocation,
      });
    const cache = new AzureCache(this, 'cache', {
      ...where,
      cache: plan.cache,
      endpointSubnetId: network.endpoints.id,
      virtualNetworkId: network.vnet.id,
    });
    const storage = new AzureStorage(this, 'storage', {
      ...where,
      accountName: azureStorageAccountName(cluster),
      buckets: plan.buckets,
      endpointSubnetId: network.endpoints.id,
      virtualNetworkId: network.vnet.id,
    });
    const registry = new AzureRegistry(this, 'registry', {
      ...where,
      name: azureRegistryName(cluster),
      replicaLocation: pairedLocation,
      replicaZoneRedundant: hasAvailabilityZones(pairedLocation),
    });
    new RoleAssignment(this, 'kubelet-acr-pull', {
      scope: registry.registry.id,
      roleDefinitionName: 'AcrPull',
      principalId: kubernetes.cluster.kubeletIdentity.objectId,
      principalType: 'ServicePrincipal',
    });
    const secrets = new AzureSecrets(this, 'secrets', {
      ...where,
      vaultName: azureKeyVaultName(cluster),
      secrets: plan.secrets,
      tenantId: client.tenantId,
      deployerObjectId: client.objectId,
      // Clients read the Redis password from here: the stack knows it, so nobody copies it by hand.
      values: { [secretName(cluster, 'redis-auth-token')]: cache.authToken },
    });

    // The price reader's custom role, created once where a workload reads prices (OpenCost).
    const subscriptionScope = `/subscriptions/${cluster.subscriptionId}`;
    const priceReaderRole = plan.identities.some((identity) => identity.workload.readsPrices)
      ? new RoleDefinition(this, 'price-reader-role', {
          name: PRICE_READER_ROLE.name(cluster.name),
          description: PRICE_READER_ROLE.description,
          scope: subscriptionScope,
          permissions: [{ actions: [...PRICE_READER_ROLE.actions] }],
          assignableScopes: [subscriptionScope],
        })
      : undefined;
    const clientIds: Record<string, string> = {};
    for (const identity of plan.identities) {
      const workload = new AzureWorkloadIdentity(this, `identity-${identity.workload.name}`, {
        ...where,
        identity,
        oidcIssuerUrl: kubernetes.cluster.oidcIssuerUrl,
        containerScope: (name) => storage.containerScope(name),
        secretScope: (name) => {
          const secret = secrets.byName.get(name);
          if (!secret)
            throw new Error(`${cluster.name}: identity ${identity.name} reads unknown secret ${name}`);
          return secret.resourceVersionlessId;
        },
        priceReader:
          identity.workload.readsPrices && priceReaderRole
            ? { roleDefinitionId: priceReaderRole.roleDefinitionResourceId, subscriptionScope }
            : undefined,
      });
      clientIds[identity.workload.name] = workload.identity.clientId;
    }

    const vpn = new AzureCrossCloudVpn(this, 'cross-cloud', {
      ...where,
      clusterName: cluster.name,
      zones: cluster.zones,
      plan: plan.crossCloud,
      vnet: network.vnet,
    });

    declareStackOutputs(this, {
      vpnEndpoints: vpn.endpoints(plan.crossCloud),
      kubernetesApiEndpoint: `https://${kubernetes.cluster.privateFqdn}`,
      oidcIssuerUrl: kubernetes.cluster.oidcIssuerUrl,
      database: databases && { host: databases.primary.server.fqdn, port: 5432 },
      databaseReplica: databases && { host: databases.replica.server.fqdn, port: 5432 },
      cacheHost: cache.cache.hostname,
      cachePort: cache.port,
      workloadIdentityClientIds: clientIds,
    });
  }
}

/**
 * PostgreSQL Flexible Server administered by the cluster file's Entra principal, and its read
 * replica in the paired region, in a VNet of its own peered with the cluster's.
 */
function databaseWithReplica(
  scope: Construct,
  plan: InfrastructurePlan<AzureClusterSpec>,
  declared: AzureDatabaseSpec,
  database: DatabasePlan,
  network: AzureNetwork,
  where: { resourceGroupName: string; location: string; tenantId: string; pairedLocation: string },
): { primary: AzureDatabase; replica: AzureDatabaseReplica } {
  const { cluster } = plan;
  if (!plan.databaseReplica)
    throw new Error(`${cluster.name}: the plan has no network for the database replica`);
  const primary = new AzureDatabase(scope, 'database', {
    resourceGroupName: where.resourceGroupName,
    location: where.location,
    database,
    zones: cluster.zones,
    subnetId: network.database.id,
    virtualNetworkId: network.vnet.id,
    tenantId: where.tenantId,
    administrator: declared.administrator,
  });
  const pairedNetwork = new AzurePairedNetwork(scope, 'paired-network', {
    clusterName: cluster.name,
    resourceGroupName: where.resourceGroupName,
    location: where.pairedLocation,
    addresses: plan.databaseReplica,
    clusterVnet: network.vnet,
  });
  const replica = new AzureDatabaseReplica(scope, 'database-replica', {
    database,
    primary,
    resourceGroupName: where.resourceGroupName,
    location: where.pairedLocation,
    subnetId: pairedNetwork.database.id,
    virtualNetworkId: pairedNetwork.vnet.id,
    tenantId: where.tenantId,
    dependsOn: pairedNetwork.peerings,
  });
  return { primary, replica };
}
