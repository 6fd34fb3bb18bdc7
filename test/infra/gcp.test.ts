import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository';
import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { RedisInstance } from '@cdktf/provider-google/lib/redis-instance';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance';
import { Testing } from 'cdktf';
import * as ipaddr from 'ipaddr.js';
import {
  analyticsDatasetName,
  backupBucketName,
  dataLakeBucketName,
  gcpRegistryRepository,
  logSnapshotBucketName,
  modelBucketName,
  workloadIdentityName,
} from '../../clusters/naming';
import type { GcpClusterSpec } from '../../clusters/types';
import { cloudWorkloadsFor } from '../../clusters/workloads';
import { planFor } from '../../infra/plan';
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

const cluster = clusterOf<GcpClusterSpec>('gcp');
const { text, json } = synthesized(cluster);
// The sample declares no database and no dataset; this cluster declares both.
const withDatabases = clusterOf<GcpClusterSpec>('gcp', databaseFleet);
const rendered = synthesized(withDatabases, databaseFleet);

describe(`GCP stack ${cluster.name}`, () => {
  it('keeps state in the GCS bucket from the fleet settings, one prefix per cluster', () => {
    expect(json.terraform.backend.gcs).toEqual({
      bucket: fleet.settings.terraformState.gcp.bucket,
      prefix: cluster.name,
    });
  });

  it('labels everything with cluster, environment, cost centre and managed-by', () => {
    expect(text).toHaveProviderWithProperties(GoogleProvider, {
      project: cluster.projectId,
      region: cluster.region,
      default_labels: expect.objectContaining({
        cluster: cluster.name,
        environment: cluster.environment,
        cost_centre: fleet.settings.costCentre,
        managed_by: 'terraform',
      }),
    });
  });

  it('gives resources the same label keys as the provider defaults, so no resource gets two spellings', () => {
    const defaults = Object.keys(json.provider.google[0].default_labels as object).sort();
    expect(defaults).toEqual(expect.arrayContaining(REQUIRED_TAG_KEYS));
    for (const bucket of resources(json, 'google_storage_bucket')) {
      expect(Object.keys(bucket.labels as object).sort()).toEqual(defaults);
    }
  });

  it('has a custom-mode VPC whose node subnet carries the fleet pod and service ranges', () => {
    expect(only(json, 'google_compute_network').auto_create_subnetworks).toBe(false);
    const subnet = only(json, 'google_compute_subnetwork');
    const nodes = ipaddr.IPv4.parseCIDR(String(subnet.ip_cidr_range));
    expect(nodes[0].match(ipaddr.IPv4.parseCIDR(cluster.network.vpcCidr))).toBe(true);
    expect(subnet.private_ip_google_access).toBe(true);
    expect((subnet.secondary_ip_range as { ip_cidr_range: string }[]).map((r) => r.ip_cidr_range)).toEqual([
      cluster.network.podCidr,
      cluster.network.serviceCidr,
    ]);
  });

  it('sends egress of private nodes through Cloud Router and Cloud NAT', () => {
    // The other router speaks BGP for the cross-cloud VPN (test/infra/cross-cloud.test.ts).
    expect(resources(json, 'google_compute_router').filter((r) => !r.bgp)).toHaveLength(1);
    expect(only(json, 'google_compute_router_nat').source_subnetwork_ip_ranges_to_nat).toBe(
      'ALL_SUBNETWORKS_ALL_IP_RANGES',
    );
  });

  it('runs a regional, private GKE cluster with Workload Identity and NetworkPolicy enforcement', () => {
    expect(text).toHaveResourceWithProperties(ContainerCluster, {
      name: cluster.name,
      location: cluster.region,
      node_locations: [...cluster.zones],
      workload_identity_config: { workload_pool: `${cluster.projectId}.svc.id.goog` },
      private_cluster_config: expect.objectContaining({ enable_private_nodes: true }),
      datapath_provider: 'ADVANCED_DATAPATH',
      remove_default_node_pool: true,
      deletion_protection: true,
    });
  });

  it('lets the members of the cluster file use the Kubernetes API through project IAM, one role per scope', () => {
    const role = { 'cluster-admin': 'roles/container.admin', view: 'roles/container.clusterViewer' };
    const grants = resources(json, 'google_project_iam_member').filter((m) =>
      String(m.role).startsWith('roles/container.'),
    );
    expect(grants).toHaveLength(cluster.apiAccess.length);
    for (const access of cluster.apiAccess) {
      expect(grants).toContainEqual({
        depends_on: expect.any(Array),
        project: cluster.projectId,
        role: role[access.scope],
        member: access.member,
      });
    }
    expect(cluster.apiAccess.some((a) => a.scope === 'cluster-admin')).toBe(true);
    // Google Groups for RBAC, so the base component's bindings of `view` groups by email apply.
    expect(only(json, 'google_container_cluster').authenticator_groups_config).toEqual({
      security_group: cluster.rbacSecurityGroup,
    });
  });

  it('keeps every API grant at its address when the fleet reorders the members', () => {
    const reordered = synthesized({ ...cluster, apiAccess: [...cluster.apiAccess].reverse() }).json;
    expect(reordered.resource.google_project_iam_member).toEqual(json.resource.google_project_iam_member);
  });

  it('has exactly the fleet node pools, spot where the fleet says, with the taints the profile tolerates', () => {
    const pools = resources(json, 'google_container_node_pool');
    expect(pools.map((p) => p.name).sort()).toEqual(cluster.nodePools.map((p) => p.name).sort());
    const profile = profileFor(cluster);
    for (const pool of cluster.nodePools) {
      const declared = pools.find((p) => p.name === pool.name) as Record<string, unknown>;
      const config = declared.node_config as Record<string, unknown>;
      expect(config.machine_type).toBe(pool.instanceType);
      expect(config.spot).toBe(pool.capacityType === 'spot');
      expect(declared.autoscaling).toMatchObject({
        total_min_node_count: pool.minSize,
        total_max_node_count: pool.maxSize,
      });
      expect(config.workload_metadata_config).toEqual({ mode: 'GKE_METADATA' });
      expect(Boolean(config.guest_accelerator)).toBe(pool.gpu !== undefined);
      // What GKE adds itself (the GPU taint) plus what the pool declares is what pods must tolerate.
      const declaredTaints = (config.taint as { key: string }[]).map((t) => t.key);
      const applied = new Set([...declaredTaints, ...(pool.gpu ? ['nvidia.com/gpu'] : [])]);
      expect([...applied].sort()).toEqual(
        profile
          .nodeTaints(pool)
          .map((t) => t.key)
          .sort(),
      );
    }
  });

  it('creates no Cloud SQL, BigQuery dataset, their APIs or database outputs when the cluster file declares neither', () => {
    expect([cluster.database, cluster.analyticsDataset]).toEqual([undefined, undefined]);
    for (const type of ['google_sql_database_instance', 'google_sql_database', 'google_bigquery_dataset']) {
      expect([type, resources(json, type)]).toEqual([type, []]);
    }
    const services = resources(json, 'google_project_service').map((s) => s.service);
    expect(services).not.toContain('sqladmin.googleapis.com');
    expect(services).not.toContain('bigquery.googleapis.com');
    expect(json.output.database_host).toBeUndefined();
    expect(json.output.database_port).toBeUndefined();
  });

  it('runs Cloud SQL PostgreSQL highly available, private, TLS only, backed up and protected from destroy, where declared', () => {
    expect(rendered.text).toHaveResourceWithProperties(SqlDatabaseInstance, {
      database_version: expect.stringMatching(/^POSTGRES_/),
      deletion_protection: true,
      lifecycle: { prevent_destroy: true },
      settings: expect.objectContaining({
        availability_type: 'REGIONAL',
        ip_configuration: expect.objectContaining({ ipv4_enabled: false, ssl_mode: 'ENCRYPTED_ONLY' }),
        backup_configuration: expect.objectContaining({
          enabled: true,
          point_in_time_recovery_enabled: true,
        }),
      }),
    });
    const services = resources(rendered.json, 'google_project_service').map((s) => s.service);
    expect(services).toEqual(expect.arrayContaining(['sqladmin.googleapis.com', 'bigquery.googleapis.com']));
    expect(rendered.json.output.database_host.value).toEqual(
      expect.stringContaining('google_sql_database_instance.'),
    );
  });

  it('runs Memorystore Redis with failover, AUTH and TLS', () => {
    expect(text).toHaveResourceWithProperties(RedisInstance, {
      tier: 'STANDARD_HA',
      auth_enabled: true,
      transit_encryption_mode: 'SERVER_AUTHENTICATION',
      connect_mode: 'PRIVATE_SERVICE_ACCESS',
    });
  });

  it('reserves the private services range inside the VPC range, where network policies allow Redis', () => {
    const range = only(json, 'google_compute_global_address');
    const cidr = ipaddr.IPv4.parseCIDR(`${range.address}/${range.prefix_length}`);
    expect(cidr[0].match(ipaddr.IPv4.parseCIDR(cluster.network.vpcCidr))).toBe(true);
  });

  it('creates versioned, non-public buckets with lifecycle rules, protected from destroy', () => {
    const buckets = resources(json, 'google_storage_bucket');
    expect(buckets.map((b) => b.name).sort()).toEqual(
      [
        modelBucketName(cluster),
        dataLakeBucketName(cluster),
        backupBucketName(cluster),
        logSnapshotBucketName(cluster),
      ].sort(),
    );
    for (const bucket of buckets) {
      expect(bucket).toMatchObject({
        public_access_prevention: 'enforced',
        uniform_bucket_level_access: true,
        versioning: { enabled: true },
        lifecycle: { prevent_destroy: true },
      });
      expect((bucket.lifecycle_rule as unknown[]).length).toBeGreaterThan(0);
    }
  });

  it('has the analytics dataset where declared, and an immutable Docker repository', () => {
    expect(only(rendered.json, 'google_bigquery_dataset')).toMatchObject({
      dataset_id: analyticsDatasetName(withDatabases),
      lifecycle: { prevent_destroy: true },
    });
    expect(text).toHaveResourceWithProperties(ArtifactRegistryRepository, {
      repository_id: gcpRegistryRepository(cluster),
      format: 'DOCKER',
      docker_config: { immutable_tags: true },
    });
  });

  it('binds one Google service account per workload to exactly its Kubernetes ServiceAccount', () => {
    const accounts = resources(json, 'google_service_account').map((a) => a.account_id);
    const bindings = resources(json, 'google_service_account_iam_member');
    for (const workload of cloudWorkloadsFor(cluster.cloud)) {
      expect(accounts).toContain(workloadIdentityName(cluster, workload.name));
      expect(bindings).toContainEqual(
        expect.objectContaining({
          role: 'roles/iam.workloadIdentityUser',
          member: `serviceAccount:${cluster.projectId}.svc.id.goog[${workload.namespace}/${workload.serviceAccount}]`,
        }),
      );
    }
  });

  it('grants bucket and secret roles on the resources themselves, never on the project', () => {
    const projectMembers = resources(json, 'google_project_iam_member').map((m) => String(m.member));
    expect(projectMembers.some((m) => m.includes('identity-'))).toBe(false);
    const bucketGrants = resources(json, 'google_storage_bucket_iam_member');
    const expected = cloudWorkloadsFor(cluster.cloud).flatMap((w) => w.buckets).length;
    expect(bucketGrants).toHaveLength(expected);
    const readers = bucketGrants.filter((g) => g.role === 'roles/storage.objectViewer');
    expect(readers.length).toBe(
      cloudWorkloadsFor(cluster.cloud)
        .flatMap((w) => w.buckets)
        .filter((b) => b.access === 'read').length,
    );
    const secretGrants = resources(json, 'google_secret_manager_secret_iam_member');
    expect(secretGrants).toHaveLength(planFor(fleet, cluster).identities.flatMap((i) => i.secrets).length);
  });

  it('exports every CA certificate Memorystore signs with, for clients that verify TLS', () => {
    const redis = Object.keys(json.resource.google_redis_instance)[0];
    expect(json.output.cache_ca_certificate.value).toBe(
      `\${join("\\n", google_redis_instance.${redis}.server_ca_certs[*].cert)}`,
    );
  });

  it('runs Kubernetes 1.35', () => {
    expect(only(json, 'google_container_cluster').min_master_version).toBe('1.35');
  });

  it('keeps the persistent disk CSI driver on, with which GKE serves the snapshot API Velero uses', () => {
    expect(only(json, 'google_container_cluster').addons_config).toEqual({
      gce_persistent_disk_csi_driver_config: { enabled: true },
    });
  });

  it('gives GKE at least 48 maintenance hours in any 32 days, in windows of 4 hours or more', () => {
    const window = (
      only(json, 'google_container_cluster').maintenance_policy as {
        recurring_window: { start_time: string; end_time: string; recurrence: string };
      }
    ).recurring_window;
    const hours = (Date.parse(window.end_time) - Date.parse(window.start_time)) / 3_600_000;
    expect(hours).toBeGreaterThanOrEqual(4);
    const rule = Object.fromEntries(window.recurrence.split(';').map((part) => part.split('=')));
    expect(rule.FREQ).toBe('WEEKLY');
    // The worst 32 days hold four full weeks and four more days, which may miss every window day.
    const worstCaseWindows = 4 * rule.BYDAY.split(',').length;
    expect(worstCaseWindows * hours).toBeGreaterThanOrEqual(48);
  });

  it('starts no regional pool with more nodes than the fleet asks for (the initial count is per zone)', () => {
    const pools = resources(json, 'google_container_node_pool');
    expect(pools).toHaveLength(cluster.nodePools.length);
    for (const pool of cluster.nodePools) {
      const rendered = pools.find((p) => p.name === pool.name);
      expect(Number(rendered?.initial_node_count) * cluster.zones.length).toBeLessThanOrEqual(
        pool.desiredSize,
      );
    }
  });

  it('creates every resource only after the Google APIs it may call are enabled, Workload Identity credentials included', () => {
    const services = Object.keys(json.resource.google_project_service).map(
      (name) => `google_project_service.${name}`,
    );
    expect(resources(json, 'google_project_service').map((s) => s.service)).toContain(
      'iamcredentials.googleapis.com',
    );
    for (const [type, byName] of [...Object.entries(json.resource), ...Object.entries(json.data ?? {})]) {
      if (type === 'google_project_service') continue;
      for (const [name, resource] of Object.entries(byName)) {
        expect({ address: `${type}.${name}`, depends_on: resource.depends_on }).toEqual({
          address: `${type}.${name}`,
          depends_on: expect.arrayContaining(services),
        });
        // Each once: a construct given the services too must not list them a second time.
        const dependsOn = resource.depends_on as string[];
        expect({
          address: `${type}.${name}`,
          repeated: dependsOn.filter((d, i) => dependsOn.indexOf(d) !== i),
        }).toEqual({
          address: `${type}.${name}`,
          repeated: [],
        });
      }
    }
  });

  it('binds Workload Identity only once the cluster, and with it the identity pool, exists', () => {
    const gke = `google_container_cluster.${Object.keys(json.resource.google_container_cluster)[0]}`;
    for (const binding of resources(json, 'google_service_account_iam_member')) {
      expect(binding.depends_on).toContain(gke);
    }
  });

  it('grants the analytics dataset only to workloads clusters/workloads.ts says write it', () => {
    const writers = cloudWorkloadsFor(cluster.cloud).filter((w) => w.writesAnalytics);
    expect(resources(rendered.json, 'google_bigquery_dataset_iam_member')).toHaveLength(writers.length);
    expect(resources(json, 'google_bigquery_dataset_iam_member')).toEqual([]);
  });

  it('protects the registry and the secrets from destroy', () => {
    for (const type of ['google_artifact_registry_repository', 'google_secret_manager_secret']) {
      for (const resource of resources(json, type)) {
        expect(resource).toMatchObject({ lifecycle: { prevent_destroy: true } });
      }
    }
  });

  it('declares the platform secrets without versions', () => {
    expect(
      resources(json, 'google_secret_manager_secret')
        .map((s) => s.secret_id)
        .sort(),
    ).toEqual(expectedSecretNames(cluster));
    expect(json.resource.google_secret_manager_secret_version).toBeUndefined();
  });

  // The stack itself is dist/terraform/<cluster>/cdk.tf.json, guarded byte for byte by the synthesis
  // test; this snapshot holds only what declaring a database adds or changes, which dist/ never shows.
  it('adds exactly its database constructs and outputs when the cluster declares a database', () => {
    expect(stackDifference(json, rendered.json)).toMatchSnapshot();
  });
});
