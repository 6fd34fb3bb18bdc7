import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import {
  Aspects,
  GcsBackend,
  type IAspect,
  TerraformDataSource,
  TerraformResource,
  TerraformStack,
} from 'cdktf';
import type { Construct, IConstruct } from 'constructs';
import { gcpRegistryRepository, gkeIssuerUrl } from '../../clusters/naming';
import type { FleetSettings, GcpClusterSpec } from '../../clusters/types';
import { type InfrastructurePlan, refuseModelReaders } from '../plan';
import { declareStackOutputs } from '../stack-outputs';
import { GcpAnalytics } from './analytics';
import { GcpCache } from './cache';
import { GcpKubernetesCluster } from './cluster';
import { GcpDatabase } from './database';
import { GcpWorkloadIdentity } from './identity';
import { GcpNetwork } from './network';
import { GcpRegistry } from './registry';
import { GcpSecrets } from './secrets';
import { GcpBucket } from './storage';
import { GcpCrossCloudVpn, peerAuthorizedNetworks } from './vpn';

/** Google APIs the stack's resources need: Cloud SQL's and BigQuery's only where the cluster declares them. */
function servicesFor(plan: InfrastructurePlan<GcpClusterSpec>): string[] {
  return [
    'compute.googleapis.com',
    'container.googleapis.com',
    'containerscanning.googleapis.com',
    'artifactregistry.googleapis.com',
    ...(plan.database ? ['sqladmin.googleapis.com'] : []),
    'redis.googleapis.com',
    'servicenetworking.googleapis.com',
    'secretmanager.googleapis.com',
    ...(plan.analyticsDataset ? ['bigquery.googleapis.com'] : []),
    'iam.googleapis.com',
    'dns.googleapis.com',
    // Workload Identity exchanges a Kubernetes token for a service account's access token through it.
    'iamcredentials.googleapis.com',
  ];
}

/** Makes every resource and data source of the stack but the API enablements depend on all of them. */
class AfterServices implements IAspect {
  constructor(private readonly services: readonly ProjectService[]) {}

  visit(node: IConstruct): void {
    if (node instanceof ProjectService) return;
    if (node instanceof TerraformResource || node instanceof TerraformDataSource) {
      const existing = node.dependsOn ?? [];
      // Plain addresses, as cdktf writes the dependsOn given to a constructor.
      const wanted = this.services
        .map((s) => `${s.terraformResourceType}.${s.friendlyUniqueId}`)
        .filter((address) => !existing.includes(address));
      node.dependsOn = [...existing, ...wanted];
    }
  }
}

/** Everything one GCP cluster needs, in its project and region, with state in GCS. */
export class GcpClusterStack extends TerraformStack {
  constructor(scope: Construct, plan: InfrastructurePlan<GcpClusterSpec>, settings: FleetSettings) {
    super(scope, plan.cluster.name);
    refuseModelReaders(plan);
    const { cluster } = plan;
    const labels = plan.tags;
    new GcsBackend(this, { bucket: settings.terraformState.gcp.bucket, prefix: cluster.name });
    new GoogleProvider(this, 'google', {
      project: cluster.projectId,
      region: cluster.region,
      defaultLabels: { ...labels },
    });
    const services = servicesFor(plan).map(
      (service) =>
        new ProjectService(this, `service-${service.split('.')[0]}`, {
          service,
          disableOnDestroy: false,
        }),
    );
    // Every other resource and data source waits for the APIs: created in parallel, the first calls
    // to a just-enabled API fail. One aspect rather than a dependsOn per construct, so nothing added
    // later can forget it.
    Aspects.of(this).add(new AfterServices(services));

    const network = new GcpNetwork(this, 'network', {
      clusterName: cluster.name,
      region: cluster.region,
      network: plan.network,
    });
    const kubernetes = new GcpKubernetesCluster(this, 'kubernetes', {
      projectId: cluster.projectId,
      region: cluster.region,
      zones: cluster.zones,
      kubernetes: plan.kubernetes,
      controlPlaneCidr: plan.network.controlPlaneCidr,
      authorizedCidr: plan.network.cidr,
      peerAuthorizedNetworks: peerAuthorizedNetworks(plan.crossCloud),
      network,
      labels,
      apiAccess: cluster.apiAccess,
      rbacSecurityGroup: cluster.rbacSecurityGroup,
    });
    // Only a database and a dataset the cluster file declares, i.e. ones something uses.
    const database =
      plan.database &&
      new GcpDatabase(this, 'database', {
        database: plan.database,
        region: cluster.region,
        networkId: network.network.id,
        privateServices: network.privateServices,
        labels,
      });
    const cache = new GcpCache(this, 'cache', {
      cache: plan.cache,
      region: cluster.region,
      networkId: network.network.id,
      privateServices: network.privateServices,
      labels,
    });
    const buckets = plan.buckets.map(
      (bucket) => new GcpBucket(this, `bucket-${bucket.role}`, { bucket, region: cluster.region, labels }),
    );
    const analytics =
      plan.analyticsDataset &&
      new GcpAnalytics(this, 'analytics', {
        datasetId: plan.analyticsDataset.datasetId,
        region: cluster.region,
        labels,
      });
    new GcpRegistry(this, 'registry', {
      repositoryId: gcpRegistryRepository(cluster),
      registry: plan.registry,
      region: cluster.region,
      labels,
    });
    const secrets = new GcpSecrets(this, 'secrets', {
      secrets: plan.secrets,
      region: cluster.region,
      labels,
    });

    const bucketNames = new Map(plan.buckets.map((b, i) => [b.name, buckets[i].bucket.name]));
    const secretIds = new Map([...secrets.byName].map(([name, secret]) => [name, secret.id]));
    for (const identity of plan.identities) {
      new GcpWorkloadIdentity(this, `identity-${identity.workload.name}`, {
        identity,
        projectId: cluster.projectId,
        bucketNames,
        secretIds,
        // Only a workload clusters/workloads.ts says writes analytics gets the dataset.
        analyticsDatasetId: identity.workload.writesAnalytics ? analytics?.dataset.datasetId : undefined,
        cluster: kubernetes.cluster,
      });
    }

    const vpn = new GcpCrossCloudVpn(this, 'cross-cloud', {
      clusterName: cluster.name,
      region: cluster.region,
      plan: plan.crossCloud,
      network: network.network,
      cluster: kubernetes.cluster,
    });

    declareStackOutputs(this, {
      vpnEndpoints: vpn.endpoints(plan.crossCloud),
      kubernetesApiEndpoint: `https://${kubernetes.cluster.endpoint}`,
      oidcIssuerUrl: gkeIssuerUrl(plan.cluster),
      database: database && { host: database.instance.privateIpAddress, port: 5432 },
      cacheHost: cache.instance.host,
      cachePort: cache.instance.port,
      cacheCaCertificate: cache.serverCaCertificates,
    });
  }
}
