import { ContainerRegistry } from '@cdktf/provider-azurerm/lib/container-registry';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { PostgresqlFlexibleServer } from '@cdktf/provider-azurerm/lib/postgresql-flexible-server';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { TerraformResource, Testing } from 'cdktf';
import {
  aksAgentPoolName,
  azureKeyVaultName,
  azureRegistryName,
  azureStorageAccountName,
  backupBucketName,
  dataLakeBucketName,
  logSnapshotBucketName,
  modelBucketName,
  secretName,
  workloadIdentityName,
} from '../../clusters/naming';
import type { AzureClusterSpec } from '../../clusters/types';
import { cloudWorkloadsFor } from '../../clusters/workloads';
import { hasAvailabilityZones, pairedRegion } from '../../infra/azure/regions';
import { SECRET_PLACEHOLDER } from '../../infra/azure/secrets';
import { overlaps, pairedRegionRange } from '../../infra/cidr';
import { planFor } from '../../infra/plan';
import { clusterStack } from '../../infra/render';
import { profileFor } from '../../platform/clouds';
import {
  clusterOf,
  databaseFleet,
  expectedSecretNames,
  fleet,
  only,
  REQUIRED_TAG_KEYS,
  resources,
  stackDifference,
  synthesized,
} from './helpers';

Testing.setupJest();

const cluster = clusterOf<AzureClusterSpec>('azure');
const { text, json } = synthesized(cluster);
// The sample declares no database; this cluster does (the sample's example, aksProdDatabase).
const withDatabase = clusterOf<AzureClusterSpec>('azure', databaseFleet);
const rendered = synthesized(withDatabase, databaseFleet);

describe(`Azure stack ${cluster.name}`, () => {
  it('keeps state in the blob container from the fleet settings, one key per cluster', () => {
    const state = fleet.settings.terraformState.azure;
    expect(json.terraform.backend.azurerm).toEqual({
      subscription_id: state.subscriptionId,
      resource_group_name: state.resourceGroup,
      storage_account_name: state.storageAccount,
      container_name: state.container,
      key: `${cluster.name}.tfstate`,
      use_azuread_auth: true,
    });
  });

  it('tags every resource that takes tags with cluster, environment, cost centre and managed-by', () => {
    const app = Testing.app();
    const stack = clusterStack(app, cluster, fleet);
    Testing.synth(stack); // runs the aspects
    const taggable = stack.node
      .findAll()
      .filter((c): c is TerraformResource => c instanceof TerraformResource && 'tagsInput' in c);
    expect(taggable.length).toBeGreaterThan(10);
    for (const resource of taggable) {
      const tags = (resource as unknown as { tagsInput: Record<string, string> }).tagsInput;
      expect([resource.node.path, Object.keys(tags ?? {})]).toEqual([
        resource.node.path,
        expect.arrayContaining(REQUIRED_TAG_KEYS),
      ]);
    }
  });

  it('creates the resource group the profile names and a VNet with dedicated subnets', () => {
    expect(only(json, 'azurerm_resource_group').name).toBe(cluster.resourceGroup);
    const vnets = resources(json, 'azurerm_virtual_network');
    const own = vnets.find((v) => v.name === cluster.name);
    expect(own?.address_space).toEqual([cluster.network.vpcCidr]);
    const subnets = resources(json, 'azurerm_subnet')
      .filter((s) => String(s.virtual_network_name).startsWith('${azurerm_virtual_network.network_vnet'))
      .map((s) => s.name);
    // The VPN gateway's and the DNS resolver's subnets belong to the cross-cloud network (test/infra/cross-cloud.test.ts).
    expect(subnets.sort()).toEqual([
      'GatewaySubnet',
      'database',
      'dns-resolver-inbound',
      'nodes',
      'private-endpoints',
    ]);
  });

  it('runs AKS with the OIDC issuer, Workload Identity, overlay pods from the fleet range and Log Analytics', () => {
    expect(text).toHaveResourceWithProperties(KubernetesCluster, {
      name: cluster.name,
      kubernetes_version: cluster.kubernetesVersion,
      oidc_issuer_enabled: true,
      workload_identity_enabled: true,
      local_account_disabled: true,
      network_profile: expect.objectContaining({
        network_plugin_mode: 'overlay',
        network_policy: 'cilium',
        pod_cidr: cluster.network.podCidr,
        service_cidr: cluster.network.serviceCidr,
      }),
      oms_agent: expect.objectContaining({
        log_analytics_workspace_id: expect.stringContaining('azurerm_log_analytics_workspace.'),
      }),
      // The snapshot controller serves the snapshot API Velero snapshots the disks through.
      storage_profile: expect.objectContaining({
        blob_driver_enabled: true,
        snapshot_controller_enabled: true,
      }),
    });
  });

  it('lets only the Entra ID groups of the cluster file use the Kubernetes API, with the roles of their scope', () => {
    const aks = only(json, 'azurerm_kubernetes_cluster');
    expect(aks.local_account_disabled).toBe(true);
    expect(aks.azure_active_directory_role_based_access_control).toEqual({
      azure_rbac_enabled: true,
      tenant_id: expect.stringContaining('data.azurerm_client_config.'),
      admin_group_object_ids: cluster.apiAccess
        .filter((a) => a.scope === 'cluster-admin')
        .map((a) => a.groupObjectId),
    });
    const roles = {
      'cluster-admin': ['Azure Kubernetes Service RBAC Cluster Admin'],
      view: ['Azure Kubernetes Service RBAC Reader', 'Azure Kubernetes Service Cluster User Role'],
    };
    const clusterId = `\${azurerm_kubernetes_cluster.${Object.keys(json.resource.azurerm_kubernetes_cluster)[0]}.id}`;
    const grants = resources(json, 'azurerm_role_assignment').filter((a) =>
      String(a.role_definition_name).startsWith('Azure Kubernetes Service'),
    );
    const expected = cluster.apiAccess.flatMap((access) =>
      roles[access.scope].map((role) => ({
        scope: clusterId,
        role_definition_name: role,
        principal_id: access.groupObjectId,
        principal_type: 'Group',
      })),
    );
    expect(grants).toHaveLength(expected.length);
    for (const grant of expected) expect(grants).toContainEqual(grant);
    expect(cluster.apiAccess.some((a) => a.scope === 'cluster-admin')).toBe(true);
  });

  it('keeps every API role assignment at its address when the fleet reorders the groups', () => {
    const reordered = synthesized({ ...cluster, apiAccess: [...cluster.apiAccess].reverse() }).json;
    expect(reordered.resource.azurerm_role_assignment).toEqual(json.resource.azurerm_role_assignment);
  });

  it('has exactly the fleet pools as agent pools, spot with eviction where the fleet says', () => {
    const aks = only(json, 'azurerm_kubernetes_cluster');
    const system = aks.default_node_pool as Record<string, unknown>;
    const userPools = resources(json, 'azurerm_kubernetes_cluster_node_pool');
    const all = [system, ...userPools];
    expect(all.map((p) => p.name).sort()).toEqual(
      cluster.nodePools.map((p) => aksAgentPoolName(p.name)).sort(),
    );
    const profile = profileFor(cluster);
    for (const pool of cluster.nodePools) {
      const declared = all.find((p) => p.name === aksAgentPoolName(pool.name)) as Record<string, unknown>;
      expect(declared).toMatchObject({
        vm_size: pool.instanceType,
        min_count: pool.minSize,
        max_count: pool.maxSize,
      });
      if (declared !== system) {
        expect(declared.priority).toBe(pool.capacityType === 'spot' ? 'Spot' : 'Regular');
        if (pool.capacityType === 'spot') expect(declared.eviction_policy).toBe('Delete');
        expect(declared.node_taints).toEqual(
          profile.nodeTaints(pool).map((t) => `${t.key}=${t.value}:${t.effect}`),
        );
      }
    }
  });

  it('federates one managed identity per workload with exactly its ServiceAccount', () => {
    const identities = resources(json, 'azurerm_user_assigned_identity').map((i) => i.name);
    const credentials = resources(json, 'azurerm_federated_identity_credential');
    for (const workload of cloudWorkloadsFor(cluster.cloud)) {
      expect(identities).toContain(workloadIdentityName(cluster, workload.name));
      expect(credentials).toContainEqual(
        expect.objectContaining({
          subject: `system:serviceaccount:${workload.namespace}:${workload.serviceAccount}`,
          audience: ['api://AzureADTokenExchange'],
          issuer: expect.stringContaining('oidc_issuer_url'),
        }),
      );
    }
    expect(credentials).toHaveLength(cloudWorkloadsFor(cluster.cloud).length);
  });

  it('scopes data roles to single containers and secrets', () => {
    const assignments = resources(json, 'azurerm_role_assignment');
    const blob = assignments.filter((a) => String(a.role_definition_name).startsWith('Storage Blob Data'));
    expect(blob).toHaveLength(cloudWorkloadsFor(cluster.cloud).flatMap((w) => w.buckets).length);
    for (const a of blob) expect(String(a.scope)).toMatch(/\/blobServices\/default\/containers\/[a-z-]+$/);
    const secretReaders = assignments.filter((a) => a.role_definition_name === 'Key Vault Secrets User');
    expect(secretReaders).toHaveLength(planFor(fleet, cluster).identities.flatMap((i) => i.secrets).length);
    for (const a of secretReaders) expect(String(a.scope)).toContain('resource_versionless_id');
  });

  it('creates no PostgreSQL, replica, paired network or database outputs when the cluster file declares no database', () => {
    expect(cluster.database).toBeUndefined();
    for (const type of [
      'azurerm_postgresql_flexible_server',
      'azurerm_postgresql_flexible_server_database',
      'azurerm_postgresql_flexible_server_active_directory_administrator',
      'azurerm_virtual_network_peering',
    ]) {
      expect([type, resources(json, type)]).toEqual([type, []]);
    }
    expect(resources(json, 'azurerm_virtual_network').map((v) => v.location)).not.toContain(
      pairedRegion(cluster.region),
    );
    expect(planFor(fleet, cluster).databaseReplica).toBeUndefined();
    for (const output of [
      'database_host',
      'database_port',
      'database_replica_host',
      'database_replica_port',
    ]) {
      expect(json.output[output]).toBeUndefined();
    }
  });

  describe('PostgreSQL, on a cluster that declares it', () => {
    const { text, json } = rendered;
    const cluster = withDatabase;

    it('makes the Entra principal of the cluster file the administrator, not the identity applying the stack', () => {
      const administrator = only(json, 'azurerm_postgresql_flexible_server_active_directory_administrator');
      const serverAddress = Object.entries(json.resource.azurerm_postgresql_flexible_server).find(
        ([, s]) => s.create_mode === undefined,
      )?.[0];
      expect(administrator).toEqual({
        server_name: `\${azurerm_postgresql_flexible_server.${serverAddress}.name}`,
        resource_group_name: expect.stringContaining('azurerm_resource_group.'),
        tenant_id: expect.stringContaining('data.azurerm_client_config.'),
        object_id: '00000000-0000-0000-0000-000000000003',
        principal_name: 'placeholder-ml-platform-database-admins',
        principal_type: 'Group',
      });
      // Another principal in the cluster file is another administrator in the stack.
      const other = synthesized(
        {
          ...cluster,
          database: {
            usedBy: 'a test',
            administrator: {
              objectId: '5b0c7e0e-2f4a-4c1e-9a8d-3f6b1c2d4e5f',
              principalName: 'ml-platform-ci',
              principalType: 'ServicePrincipal',
            },
          },
        } as AzureClusterSpec,
        databaseFleet,
      ).json;
      expect(only(other, 'azurerm_postgresql_flexible_server_active_directory_administrator')).toMatchObject({
        object_id: '5b0c7e0e-2f4a-4c1e-9a8d-3f6b1c2d4e5f',
        principal_name: 'ml-platform-ci',
        principal_type: 'ServicePrincipal',
      });
      expect(JSON.stringify(json)).not.toContain('"principal_name":"terraform"');
    });

    it("gives the replica no administrator of its own: it has none today, and takes the primary's tenant", () => {
      const servers = resources(json, 'azurerm_postgresql_flexible_server');
      const primary = servers.find((s) => s.create_mode === undefined) as Record<string, any>;
      const replica = servers.find((s) => s.create_mode === 'Replica') as Record<string, any>;
      expect(replica.authentication).toEqual(primary.authentication);
      expect(
        resources(json, 'azurerm_postgresql_flexible_server_active_directory_administrator'),
      ).toHaveLength(1);
    });

    it('runs PostgreSQL zone-redundant with geo-redundant backups, private, password-less, protected from destroy', () => {
      expect(text).toHaveResourceWithProperties(PostgresqlFlexibleServer, {
        high_availability: expect.objectContaining({ mode: 'ZoneRedundant' }),
        geo_redundant_backup_enabled: true,
        public_network_access_enabled: false,
        authentication: expect.objectContaining({ password_auth_enabled: false }),
        lifecycle: expect.objectContaining({ prevent_destroy: true }),
      });
      for (const server of resources(json, 'azurerm_postgresql_flexible_server')) {
        expect(server.administrator_password).toBeUndefined();
      }
    });

    describe('geo-replication of PostgreSQL', () => {
      const servers = resources(json, 'azurerm_postgresql_flexible_server');
      const primary = servers.find((s) => s.create_mode === undefined) as Record<string, any>;
      const replica = servers.find((s) => s.create_mode === 'Replica') as Record<string, any>;
      const entry = (type: string, predicate: (r: Record<string, any>) => boolean) =>
        Object.entries(json.resource[type] ?? {}).find(([, r]) => predicate(r as Record<string, any>));
      const address = (type: string, predicate: (r: Record<string, any>) => boolean) =>
        `${type}.${entry(type, predicate)?.[0]}`;
      const pairedVnet = address(
        'azurerm_virtual_network',
        (v) => v.location === pairedRegion(cluster.region),
      );
      const ownVnet = address('azurerm_virtual_network', (v) => v.name === cluster.name);

      it('keeps a read replica of the primary in the paired region, sized like it', () => {
        expect(servers).toHaveLength(2);
        expect(replica).toMatchObject({
          location: pairedRegion(cluster.region),
          create_mode: 'Replica',
          source_server_id: `\${${address('azurerm_postgresql_flexible_server', (s) => s === primary)}.id}`,
          sku_name: primary.sku_name,
          storage_mb: primary.storage_mb,
          auto_grow_enabled: true,
          version: primary.version,
          public_network_access_enabled: false,
          private_dns_zone_id: primary.private_dns_zone_id,
          authentication: primary.authentication,
          lifecycle: expect.objectContaining({ prevent_destroy: true }),
          tags: expect.objectContaining({ cluster: cluster.name, managed_by: 'terraform' }),
        });
        // Azure gives replicas no high availability and takes no backups of them.
        expect(replica.high_availability).toBeUndefined();
        expect(replica.geo_redundant_backup_enabled).toBeUndefined();
        expect(replica.name).not.toBe(primary.name);
      });

      it('puts the replica in a subnet delegated to Flexible Server in a VNet of the paired region', () => {
        const subnetAddress = /^\$\{(azurerm_subnet\.[^.]+)\.id\}$/.exec(replica.delegated_subnet_id)?.[1];
        const subnet = json.resource.azurerm_subnet[String(subnetAddress).split('.')[1]] as Record<
          string,
          any
        >;
        expect(subnet.virtual_network_name).toBe(`\${${pairedVnet}.name}`);
        expect(subnet.delegation[0].service_delegation.name).toBe(
          'Microsoft.DBforPostgreSQL/flexibleServers',
        );
        const plan = planFor(fleet, cluster).databaseReplica;
        expect(subnet.address_prefixes).toEqual([plan?.subnetCidr]);
        const vnet = entry(
          'azurerm_virtual_network',
          (v) => v.location === pairedRegion(cluster.region),
        )?.[1];
        expect(vnet?.address_space).toEqual([plan?.networkCidr]);
        expect(vnet?.tags).toEqual(expect.objectContaining({ cluster: cluster.name }));
      });

      it('peers the two VNets both ways, and the replica waits for the peerings', () => {
        const peerings = resources(json, 'azurerm_virtual_network_peering');
        expect(
          peerings.map((p) => [
            p.virtual_network_name,
            p.remote_virtual_network_id,
            p.allow_virtual_network_access,
          ]),
        ).toEqual(
          expect.arrayContaining([
            [`\${${ownVnet}.name}`, `\${${pairedVnet}.id}`, true],
            [`\${${pairedVnet}.name}`, `\${${ownVnet}.id}`, true],
          ]),
        );
        expect(peerings).toHaveLength(2);
        const peeringAddresses = Object.keys(json.resource.azurerm_virtual_network_peering).map(
          (id) => `azurerm_virtual_network_peering.${id}`,
        );
        expect(replica.depends_on).toEqual(expect.arrayContaining(peeringAddresses));
      });

      it("exports the replica's endpoint, the one to record as the database after promoting it", () => {
        const replicaAddress = address('azurerm_postgresql_flexible_server', (s) => s === replica);
        expect(json.output.database_replica_host.value).toBe(`\${${replicaAddress}.fqdn}`);
        expect(json.output.database_replica_port.value).toBe(5432);
        expect(json.output.database_host.value).not.toBe(json.output.database_replica_host.value);
      });

      it('links the private DNS zone of the database to both VNets', () => {
        const zone = /^\$\{azurerm_private_dns_zone\.([^.]+)\.id\}$/.exec(primary.private_dns_zone_id)?.[1];
        const links = resources(json, 'azurerm_private_dns_zone_virtual_network_link').filter(
          (l) => l.private_dns_zone_name === `\${azurerm_private_dns_zone.${zone}.name}`,
        );
        expect(links.map((l) => l.virtual_network_id).sort()).toEqual(
          [`\${${ownVnet}.id}`, `\${${pairedVnet}.id}`].sort(),
        );
      });

      it('derives the replica network from the VPC range, disjoint from every range of the fleet', () => {
        const plan = planFor(fleet, cluster).databaseReplica;
        expect(plan?.networkCidr).toBe(pairedRegionRange(cluster.network.vpcCidr));
        for (const other of fleet.clusters) {
          for (const range of [other.network.vpcCidr, other.network.podCidr, other.network.serviceCidr]) {
            expect(overlaps(String(plan?.networkCidr), range)).toBe(false);
          }
        }
        // A fleet range moved into the derived one fails the plan, naming the range to move.
        const crowded = {
          ...fleet,
          clusters: fleet.clusters.map((c) =>
            c.cloud === 'gcp' ? { ...c, network: { ...c.network, podCidr: '10.158.0.0/16' } } : c,
          ),
        };
        expect(() => planFor(crowded, cluster)).toThrow(
          /aks-prod: the database replica network 10\.158\.0\.0\/24, derived from network\.vpcCidr 10\.30\.0\.0\/16 \(infra\/cidr\.ts\), overlaps gke-prod's network\.podCidr 10\.158\.0\.0\/16/,
        );
      });
    });
  });

  it('runs Azure Managed Redis (Azure Cache for Redis takes no new instances), TLS only, private, highly available', () => {
    expect(resources(json, 'azurerm_redis_cache')).toEqual([]);
    const redis = only(json, 'azurerm_managed_redis');
    expect(redis).toMatchObject({
      sku_name: expect.stringMatching(/^(Balanced|MemoryOptimized|ComputeOptimized)_/),
      high_availability_enabled: true,
      public_network_access: 'Disabled',
      default_database: {
        client_protocol: 'Encrypted',
        access_keys_authentication_enabled: true,
        // Clients connect as to one Redis, not a Redis Cluster.
        clustering_policy: 'EnterpriseCluster',
      },
    });
    const address = Object.keys(json.resource.azurerm_managed_redis)[0];
    expect(resources(json, 'azurerm_private_endpoint')).toContainEqual(
      expect.objectContaining({
        private_service_connection: expect.objectContaining({
          private_connection_resource_id: `\${azurerm_managed_redis.${address}.id}`,
          subresource_names: ['redisEnterprise'],
        }),
      }),
    );
    expect(json.output.cache_port.value).toBe(
      `\${azurerm_managed_redis.${address}.default_database[0].port}`,
    );
  });

  it('puts the Redis password clients send into the redis-auth-token secret', () => {
    const address = Object.keys(json.resource.azurerm_managed_redis)[0];
    const secret = resources(json, 'azurerm_key_vault_secret').find(
      (s) => s.name === secretName(cluster, 'redis-auth-token'),
    );
    // Written once through the write-only attribute, so the key never reaches state or a plan.
    expect(secret).toMatchObject({
      value_wo: `\${azurerm_managed_redis.${address}.default_database[0].primary_access_key}`,
    });
    expect(secret?.value).toBeUndefined();
  });

  it('has a hierarchical-namespace storage account with the model and data-lake containers', () => {
    expect(text).toHaveResourceWithProperties(StorageAccount, {
      name: azureStorageAccountName(cluster),
      is_hns_enabled: true,
      allow_nested_items_to_be_public: false,
      public_network_access_enabled: false,
      https_traffic_only_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
    const containers = resources(json, 'azurerm_storage_container');
    expect(containers.map((c) => c.name).sort()).toEqual(
      [
        modelBucketName(cluster),
        dataLakeBucketName(cluster),
        backupBucketName(cluster),
        logSnapshotBucketName(cluster),
      ].sort(),
    );
    for (const c of containers) expect(c).toMatchObject({ container_access_type: 'private' });
  });

  it('tiers the data lake by age and expires snapshots, with no empty lifecycle action', () => {
    const rules = only(json, 'azurerm_storage_management_policy').rule as {
      name: string;
      actions: Record<string, Record<string, number>>;
    }[];
    expect(rules.map((r) => r.name).sort()).toEqual(['backups', 'data-lake', 'log-snapshots', 'models']);
    for (const rule of rules) {
      for (const action of Object.values(rule.actions)) expect(Object.keys(action).length).toBeGreaterThan(0);
    }
    const dataLake = rules.find((r) => r.name === 'data-lake');
    expect(Object.keys(dataLake?.actions.base_blob ?? {})).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tier_to_cool/),
        expect.stringMatching(/^tier_to_cold/),
      ]),
    );
  });

  it('never asks a zone-redundant account for the archive tier, which such accounts do not offer', () => {
    const account = only(json, 'azurerm_storage_account');
    expect(['ZRS', 'GZRS', 'RAGZRS']).toContain(account.account_replication_type);
    const rules = only(json, 'azurerm_storage_management_policy').rule as { actions: object }[];
    expect(JSON.stringify(rules)).not.toContain('archive');
  });

  it('runs Kubernetes 1.35', () => {
    expect(only(json, 'azurerm_kubernetes_cluster').kubernetes_version).toBe('1.35');
  });

  it('tells the provider the storage data plane is unreachable from where Terraform runs', () => {
    const features = (
      json.provider.azurerm[0].features as { storage: { data_plane_available: boolean }[] }[]
    )[0];
    expect(features.storage).toEqual([{ data_plane_available: false }]);
  });

  it('asks zone redundancy of the registry replica only where the paired region has zones', () => {
    const replica = (
      only(json, 'azurerm_container_registry').georeplications as Record<string, unknown>[]
    )[0];
    // eastus pairs with westus, which has no availability zones.
    expect(replica).toMatchObject({ location: pairedRegion(cluster.region) });
    expect(replica.zone_redundancy_enabled).toBe(hasAvailabilityZones(pairedRegion(cluster.region)));
    expect(hasAvailabilityZones('westus')).toBe(false);
  });

  it('gives Container Insights a data collection rule into the workspace, associated with the cluster', () => {
    const rule = only(json, 'azurerm_monitor_data_collection_rule');
    const workspace = Object.keys(json.resource.azurerm_log_analytics_workspace)[0];
    expect(rule).toMatchObject({
      destinations: {
        log_analytics: [{ workspace_resource_id: `\${azurerm_log_analytics_workspace.${workspace}.id}` }],
      },
      data_sources: { extension: [expect.objectContaining({ extension_name: 'ContainerInsights' })] },
    });
    const aks = Object.keys(json.resource.azurerm_kubernetes_cluster)[0];
    expect(only(json, 'azurerm_monitor_data_collection_rule_association')).toMatchObject({
      target_resource_id: `\${azurerm_kubernetes_cluster.${aks}.id}`,
    });
  });

  it('protects the registry from destroy', () => {
    expect(only(json, 'azurerm_container_registry')).toMatchObject({ lifecycle: { prevent_destroy: true } });
  });

  it('geo-replicates the registry and lets the kubelet pull from it', () => {
    expect(text).toHaveResourceWithProperties(ContainerRegistry, {
      name: azureRegistryName(cluster),
      sku: 'Premium',
      admin_enabled: false,
      georeplications: [expect.objectContaining({ location: expect.any(String) })],
    });
    const registry = only(json, 'azurerm_container_registry');
    expect((registry.georeplications as { location: string }[])[0].location).not.toBe(cluster.region);
    expect(resources(json, 'azurerm_role_assignment')).toContainEqual(
      expect.objectContaining({ role_definition_name: 'AcrPull' }),
    );
  });

  it('has a Key Vault with RBAC and purge protection whose secrets hold no value from git', () => {
    expect(text).toHaveResourceWithProperties(KeyVault, {
      name: azureKeyVaultName(cluster),
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
    });
    const setByHand = resources(json, 'azurerm_key_vault_secret').filter(
      (s) => s.name !== secretName(cluster, 'redis-auth-token'),
    );
    expect(setByHand).toHaveLength(expectedSecretNames(cluster).length - 1);
    for (const secret of setByHand) {
      // `value` is stored in state and refreshed from the vault; the write-only attribute never is.
      expect(secret.value).toBeUndefined();
      expect(secret).toMatchObject({ value_wo: SECRET_PLACEHOLDER, value_wo_version: 1 });
    }
  });

  // The stack itself is dist/terraform/<cluster>/cdk.tf.json, guarded byte for byte by the synthesis
  // test; this snapshot holds only what declaring a database adds or changes, which dist/ never shows.
  it('adds exactly its database constructs and outputs when the cluster declares a database', () => {
    expect(stackDifference(json, rendered.json)).toMatchSnapshot();
  });
});
