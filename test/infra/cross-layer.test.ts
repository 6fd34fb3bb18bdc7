import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { azureStorageAccountName, secretName, workloadIdentityName } from '../../clusters/naming';
import { loadClusterOutputs } from '../../clusters/outputs';
import type { AzureClusterSpec, ClusterSpec } from '../../clusters/types';
import { type CloudWorkload, cloudWorkloadsFor } from '../../clusters/workloads';
import {
  devicePluginProblems,
  fleetInventory,
  manifestProblems,
  profileProblems,
  reachabilityProblems,
  inventory as stackInventory,
} from '../../infra/contract';
import { renderTerraform } from '../../infra/render';
import { profileFor } from '../../platform/clouds';
import { LOAD_BALANCER_CONTROLLER } from '../../platform/clouds/aws-load-balancer-controller';
import type { CloudProfile } from '../../platform/clouds/profile';
import { readClusterYaml, type TreeFile } from '../../tools/tree/files';
import { DIST_DIR, terraformFile } from '../../tools/tree/layout';
import { fleet } from './helpers';

const terraform = renderTerraform(fleet);
const inventory = fleetInventory(fleet, terraform);
const byName = (name: string) => fleet.clusters.find((c) => c.name === name) as ClusterSpec;

/** The ServiceAccount a chart renders for a workload, built from the profile as the charts do. */
function serviceAccountFromProfile(cluster: ClusterSpec, workload: CloudWorkload): TreeFile {
  const binding = profileFor(cluster).workloadIdentity(workload.name);
  return {
    file: `${cluster.name}/test/ServiceAccount.${workload.namespace}.${workload.serviceAccount}.yaml`,
    text: stringify({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: workload.serviceAccount,
        namespace: workload.namespace,
        labels: binding.serviceAccountLabels,
        annotations: binding.serviceAccountAnnotations,
      },
    }),
  };
}

describe('every cloud name a chart can take from a cloud profile is created by the matching stack', () => {
  it.each(fleet.clusters.map((c) => [c.name, c] as const))(
    '%s: identities, model storage, registries and node pools',
    (_name, cluster) => {
      expect(profileProblems(cluster, profileFor(cluster), loadClusterOutputs(cluster), inventory)).toEqual(
        [],
      );
    },
  );

  it.each(fleet.clusters.map((c) => [c.name, c] as const))(
    '%s: ServiceAccounts rendered from the profile for every cloud workload pass the manifest check',
    (_name, cluster) => {
      const files = cloudWorkloadsFor(cluster.cloud).map((w) => serviceAccountFromProfile(cluster, w));
      expect(manifestProblems(cluster, files, loadClusterOutputs(cluster), inventory)).toEqual([]);
    },
  );

  it('fails, naming the workload and what the stack has, when a chart renames an identity without the stack', () => {
    const cluster = byName('eks-prod');
    const real = profileFor(cluster);
    const renamed: CloudProfile = Object.assign(Object.create(real), {
      workloadIdentity: (workload: string) => {
        const binding = real.workloadIdentity(workload);
        const arn = binding.serviceAccountAnnotations['eks.amazonaws.com/role-arn'].replace(
          'model-serving',
          'model-server',
        );
        return { ...binding, serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': arn } };
      },
    });
    const problems = profileProblems(cluster, renamed, loadClusterOutputs(cluster), inventory);
    expect(problems).toEqual([
      expect.stringMatching(
        /^eks-prod: profile\.workloadIdentity\('model-serving'\): eks\.amazonaws\.com\/role-arn names IAM role "eks-prod-model-server", which stack eks-prod does not create \(it creates: .*eks-prod-model-serving.*\)$/,
      ),
    ]);
  });
});

describe("Elasticsearch's snapshot repository is a bucket the cluster's stack creates", () => {
  it.each(fleet.clusters.map((c) => [c.name, c] as const))(
    "%s: the rendered repository names the profile's bucket, and a bucket the stack lacks is reported",
    (_name, cluster) => {
      const real = profileFor(cluster);
      const storage = real.logSnapshotStorage();
      const setup = readFileSync(
        join(DIST_DIR, cluster.name, 'logging/ConfigMap.logging.elasticsearch-setup.yaml'),
        'utf8',
      );
      expect(setup).toContain(`"${storage.type === 'azure' ? 'container' : 'bucket'}": "${storage.bucket}"`);
      const drifted: CloudProfile = Object.assign(Object.create(real), {
        logSnapshotStorage: () => ({ ...storage, bucket: `${storage.bucket}-old` }),
      });
      expect(profileProblems(cluster, drifted, loadClusterOutputs(cluster), inventory)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^${cluster.name}: profile\\.logSnapshotStorage\\(\\): Elasticsearch \\(${storage.type}\\) (container|bucket) "${storage.bucket}-old" is not`,
          ),
        ),
      ]);
    },
  );
});

describe('every identity annotation and bucket in the rendered tree names something the matching stack creates', () => {
  it.each(fleet.clusters.map((c) => [c.name, c] as const))('%s: dist/ manifests', (_name, cluster) => {
    const files = readClusterYaml(DIST_DIR, cluster.name);
    expect(manifestProblems(cluster, files, loadClusterOutputs(cluster), inventory)).toEqual([]);
  });

  it('covers the IRSA role in the Helm values of the AWS Load Balancer Controller Application', () => {
    const cluster = byName('eks-prod');
    expect(cloudWorkloadsFor('aws').map((w) => w.name)).toContain(LOAD_BALANCER_CONTROLLER);
    const file = `${cluster.name}/argocd/Application.argocd.${LOAD_BALANCER_CONTROLLER}.yaml`;
    const text = readFileSync(join(DIST_DIR, file), 'utf8');
    const role = `role/${workloadIdentityName(cluster, LOAD_BALANCER_CONTROLLER)}`;
    expect(text).toContain(role);
    expect(manifestProblems(cluster, [{ file, text }], loadClusterOutputs(cluster), inventory)).toEqual([]);
    // A role the stack does not create is reported where the Application names it.
    const drifted = { file, text: text.replace(role, `${role}-v2`) };
    expect(manifestProblems(cluster, [drifted], loadClusterOutputs(cluster), inventory)).toEqual([
      expect.stringMatching(
        /^eks-prod\/argocd\/Application\.argocd\.aws-load-balancer-controller\.yaml: spec\.source\.helm\.valuesObject\.serviceAccount\.annotations: eks\.amazonaws\.com\/role-arn names IAM role "eks-prod-aws-load-balancer-controller-v2", which stack eks-prod does not create/,
      ),
    ]);
  });

  it.each(fleet.clusters.map((c) => [c.name, c] as const))(
    "%s: Velero's Application writes to the backups bucket its stack creates, as its identity there",
    (_name, cluster) => {
      const file = `${cluster.name}/argocd/Application.argocd.velero.yaml`;
      const text = readFileSync(join(DIST_DIR, file), 'utf8');
      const bucket = profileFor(cluster).backupStorage().bucket;
      expect(text).toContain(`bucket: ${bucket}`);
      expect(manifestProblems(cluster, [{ file, text }], loadClusterOutputs(cluster), inventory)).toEqual([]);
      // A bucket the stack does not create is reported where the Application names it.
      const drifted = { file, text: text.replace(`bucket: ${bucket}`, `bucket: ${bucket}-old`) };
      expect(manifestProblems(cluster, [drifted], loadClusterOutputs(cluster), inventory)).toEqual([
        expect.stringMatching(new RegExp(`(container|bucket) "${bucket}-old"`)),
      ]);
      expect(manifestProblems(cluster, [drifted], loadClusterOutputs(cluster), inventory)).toEqual([
        expect.stringContaining(
          `${file}: spec.source.helm.valuesObject.configuration.backupStorageLocation[0]: Velero (${profileFor(cluster).backupStorage().provider}) `,
        ),
      ]);
      // And the identity of the chart's ServiceAccount is one the stack creates (the annotation check).
      const identity = Object.entries(
        profileFor(cluster).workloadIdentity('velero').serviceAccountAnnotations,
      )[0];
      expect(text).toContain(identity[1]);
    },
  );

  it.each(fleet.clusters.map((c) => [c.name, c] as const))(
    "%s: OpenCost's Application binds its chart's ServiceAccount to the price reader identity its stack creates",
    (_name, cluster) => {
      const file = `${cluster.name}/argocd/Application.argocd.opencost.yaml`;
      const text = readFileSync(join(DIST_DIR, file), 'utf8');
      const [key, value] = Object.entries(
        profileFor(cluster).workloadIdentity('opencost').serviceAccountAnnotations,
      )[0];
      expect(text).toContain(value);
      expect(text).toContain('name: opencost');
      expect(manifestProblems(cluster, [{ file, text }], loadClusterOutputs(cluster), inventory)).toEqual([]);
      // An identity the stack does not create is reported where the Application names it.
      // (Azure's annotation is a client id: one no identity of the stack has.)
      const other = value.includes('opencost')
        ? value.replace('opencost', 'open-cost')
        : 'ffffffff-ffff-4fff-8fff-ffffffffffff';
      const drifted = { file, text: text.replace(value, other) };
      expect(manifestProblems(cluster, [drifted], loadClusterOutputs(cluster), inventory)).toEqual([
        expect.stringContaining(`${file}: spec.source.helm.valuesObject.serviceAccount.annotations: ${key}`),
      ]);
    },
  );

  it.each(fleet.clusters.map((c) => [c.name, c] as const))(
    "%s: the Redis clients in dist/ send the token and speak TLS, and the stack's Redis asks for both",
    (_name, cluster) => {
      const files = readClusterYaml(DIST_DIR, cluster.name);
      const stack = inventory.byStack.get(cluster.name);
      expect(stack?.redis).toMatchObject({ requiresAuth: true, tls: true });
      const clients = files.filter(({ text }) => text.includes(secretName(cluster, 'redis-auth-token')));
      // The gateway and the feature server.
      expect(clients.length).toBeGreaterThanOrEqual(2);
    },
  );

  it('fails, naming the client and the Redis, when a stack drops the AUTH token its clients send', () => {
    const cluster = byName('eks-prod');
    const json = JSON.parse(renderTerraform(fleet).get(`terraform/${cluster.name}/cdk.tf.json`) ?? '{}');
    for (const group of Object.values(json.resource.aws_elasticache_replication_group) as Record<
      string,
      unknown
    >[]) {
      delete group.auth_token;
    }
    const withoutAuth = { byStack: new Map([[cluster.name, stackInventory(cluster.name, json)]]) };
    const files = readClusterYaml(DIST_DIR, cluster.name);
    const problems = manifestProblems(cluster, files, loadClusterOutputs(cluster), withoutAuth).filter((p) =>
      p.includes('AUTH token'),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^eks-prod\/gateway\/ExternalSecret\.ml-platform\.gateway-redis\.yaml: .*: the client sends the AUTH token from eks-prod-redis-auth-token, but aws_elasticache_replication_group\.cache_replication-group_[0-9A-F]+ of stack eks-prod has no password/,
      ),
    );
  });

  it('fails when an Azure client uses a storage service without a private endpoint, or mounts Blob with the account key', () => {
    const cluster = byName('aks-prod');
    const json = JSON.parse(renderTerraform(fleet).get(`terraform/${cluster.name}/cdk.tf.json`) ?? '{}');
    const endpoints = json.resource.azurerm_private_endpoint as Record<
      string,
      { private_service_connection: { subresource_names: string[] } }
    >;
    for (const [name, endpoint] of Object.entries(endpoints)) {
      if (endpoint.private_service_connection.subresource_names.includes('dfs')) delete endpoints[name];
    }
    const withoutDfs = { byStack: new Map([[cluster.name, stackInventory(cluster.name, json)]]) };
    const account = azureStorageAccountName(cluster as AzureClusterSpec);
    const files = [
      {
        file: 'aks-prod/test/ConfigMap.yaml',
        text: stringify({
          kind: 'ConfigMap',
          data: { path: `abfss://data-lake@${account}.dfs.core.windows.net/x` },
        }),
      },
      {
        file: 'aks-prod/test/PersistentVolume.yaml',
        text: stringify({
          kind: 'PersistentVolume',
          spec: {
            csi: { volumeAttributes: { storageAccount: account, containerName: 'models', clientID: 'x' } },
          },
        }),
      },
    ];
    expect(manifestProblems(cluster, files, loadClusterOutputs(cluster), withoutDfs)).toEqual([
      `aks-prod/test/ConfigMap.yaml: data.path: uses the dfs service of storage account ${account}, which has public ` +
        'network access off and no dfs private endpoint in stack aks-prod (private endpoints: blob)',
      `aks-prod/test/PersistentVolume.yaml: spec.csi.volumeAttributes: storage account ${account} accepts no shared ` +
        'keys, so the volume must mount with the workload identity token (mountWithWorkloadIdentityToken: "true" and a clientID)',
    ]);
    // With the stack as rendered, the dfs client is served by its endpoint.
    expect(manifestProblems(cluster, files.slice(0, 1), loadClusterOutputs(cluster), inventory)).toEqual([]);
  });

  it("gives every Redis client on GKE Memorystore's own CA, and fails naming the client when one is not given it", () => {
    const cluster = byName('gke-prod');
    expect(inventory.byStack.get(cluster.name)?.redis?.privateCa).toBe(true);
    const outputs = loadClusterOutputs(cluster);
    const files = readClusterYaml(DIST_DIR, cluster.name);
    const caMaps = files.filter(({ file }) => /ConfigMap\.[a-z-]+\.[a-z-]+-redis-ca\.yaml$/.test(file));
    expect(caMaps.map((f) => f.file).sort()).toEqual([
      'gke-prod/gateway/ConfigMap.ml-platform.gateway-redis-ca.yaml',
      'gke-prod/model-serving/ConfigMap.ml-serving.feature-server-redis-ca.yaml',
    ]);
    // Without the CA ConfigMaps, both clients are reported.
    const withoutCa = files.filter((f) => !caMaps.includes(f));
    expect(manifestProblems(cluster, withoutCa, outputs, inventory)).toEqual([
      'gke-prod/gateway/Deployment.ml-platform.gateway.yaml: a client of ' +
        `${inventory.byStack.get(cluster.name)?.redis?.address}, whose server CA is the service's own, mounts no ` +
        'ConfigMap holding the CA recorded in clusters/gke-prod.outputs.json (cacheCaCertificate)',
      'gke-prod/model-serving/Deployment.ml-serving.feature-server.yaml: a client of ' +
        `${inventory.byStack.get(cluster.name)?.redis?.address}, whose server CA is the service's own, mounts no ` +
        'ConfigMap holding the CA recorded in clusters/gke-prod.outputs.json (cacheCaCertificate)',
    ]);
    // ElastiCache and Azure Managed Redis use public CAs: nothing to distribute.
    expect(inventory.byStack.get('eks-prod')?.redis?.privateCa).toBe(false);
    expect(inventory.byStack.get('aks-prod')?.redis?.privateCa).toBe(false);
  });

  it.each(fleet.clusters.map((c) => [c.name, c] as const))(
    '%s: every GPU pool has a device plugin, from the cloud or from the rendered tree',
    (_name, cluster) => {
      const files = readClusterYaml(DIST_DIR, cluster.name);
      const stack = inventory.byStack.get(cluster.name);
      if (!stack) throw new Error(`no stack for ${cluster.name}`);
      expect(devicePluginProblems(cluster, profileFor(cluster), files, stack)).toEqual([]);
    },
  );

  it('fails naming the GPU pool when no device plugin serves it', () => {
    const eks = byName('eks-prod');
    const eksFiles = readClusterYaml(DIST_DIR, eks.name);
    const eksStack = inventory.byStack.get(eks.name);
    if (!eksStack) throw new Error('no eks-prod stack');
    const withoutPlugin = eksFiles.filter(
      (f) => !f.file.endsWith('Application.argocd.nvidia-device-plugin.yaml'),
    );
    expect(devicePluginProblems(eks, profileFor(eks), withoutPlugin, eksStack)).toEqual([
      'eks-prod: GPU pool gpu has no device plugin: the cloud installs none there (stack eks-prod) and ' +
        'eks-prod/argocd/Application.argocd.nvidia-device-plugin.yaml is not rendered',
    ]);
    const plugin = eksFiles.find((f) => f.file.endsWith('Application.argocd.nvidia-device-plugin.yaml'));
    const elsewhere = {
      file: plugin?.file ?? '',
      text: (plugin?.text ?? '').replace(/- gpu$/m, '- general'),
    };
    expect(devicePluginProblems(eks, profileFor(eks), [elsewhere], eksStack)).toEqual([
      "eks-prod/argocd/Application.argocd.nvidia-device-plugin.yaml: the device plugin's node affinity does not " +
        'select GPU pool gpu (eks.amazonaws.com/nodegroup=gpu)',
    ]);
    // GKE installs its own: a stack without the driver installation has nothing serving the pool.
    const gke = byName('gke-prod');
    const gkeStack = inventory.byStack.get(gke.name);
    if (!gkeStack) throw new Error('no gke-prod stack');
    const withoutDriver = { ...gkeStack, poolsWithCloudGpuPlugin: new Set<string>() };
    expect(devicePluginProblems(gke, profileFor(gke), [], withoutDriver)).toEqual([
      'gke-prod: GPU pool gpu has no device plugin: the cloud installs none there (stack gke-prod) and ' +
        'gke-prod/argocd/Application.argocd.nvidia-device-plugin.yaml is not rendered',
    ]);
  });

  it('fails with a clear message for each drifted name in the fixture tree', () => {
    const root = join(__dirname, 'fixtures', 'drifted-dist');
    const problems = fleet.clusters.flatMap((cluster) =>
      manifestProblems(cluster, readClusterYaml(root, cluster.name), loadClusterOutputs(cluster), inventory),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^eks-prod\/model-serving\/Deployment\.ml-serving\.fraud-detector\.yaml: spec\.template\.spec\.containers\[0\]\.args\[0\]: s3:\/\/mlp-eks-prod-models-v2\/fraud-detector names bucket "mlp-eks-prod-models-v2", which no stack creates \(s3 buckets: .+\)$/,
      ),
      expect.stringMatching(
        /^eks-prod\/model-serving\/ServiceAccount\.ml-serving\.model-serving\.yaml: metadata\.annotations: eks\.amazonaws\.com\/role-arn names IAM role "eks-prod-model-server", which stack eks-prod does not create/,
      ),
      'gke-prod/data-sync/CronJob.ml-serving.model-sync.yaml: spec.jobTemplate.spec.template.spec.containers[0].env[0].value: ' +
        'IAM role "eks-prod-model-replica-gke-prod" in account 111122223333 is created by no stack (eks-prod)',
      'gke-prod/model-serving/ServiceAccount.ml-serving.model-serving.yaml: metadata.annotations: ' +
        'iam.gke.io/gcp-service-account names project ml-platform-staging, but stack gke-prod deploys to ml-platform-prod',
      expect.stringMatching(
        /^aks-prod\/model-serving\/PersistentVolume\.models-fraud-detector\.yaml: spec\.csi\.volumeAttributes: container "model" is not created in storage account mlpaksprod6f1c by stack aks-prod \(it creates: backups, data-lake, log-snapshots, models\)$/,
      ),
      'aks-prod/model-serving/ServiceAccount.ml-serving.model-serving.yaml: metadata.annotations: ' +
        'azure.workload.identity/client-id "00000000-0000-4000-8000-000000000000" is not a client id recorded in ' +
        'clusters/aks-prod.outputs.json',
    ]);
  });
});

describe('every cluster reaches every peer API server and east-west gateway over the cross-cloud network', () => {
  type Json = Record<string, unknown> & { resource: Record<string, Record<string, Record<string, unknown>>> };
  const stackJson = (cluster: ClusterSpec): Json =>
    JSON.parse(terraform.get(terraformFile(cluster.name)) as string) as Json;
  /** The rendered stacks, with one stack changed by `edit`. */
  const withEdit = (name: string, edit: (json: Json) => void) => (cluster: ClusterSpec) => {
    const json = stackJson(cluster);
    if (cluster.name === name) edit(json);
    return json;
  };
  const first = (json: Json, type: string) => Object.values(json.resource[type])[0];

  it('holds for the rendered stacks', () => {
    expect(reachabilityProblems(fleet, stackJson)).toEqual([]);
  });

  it('names a firewall that keeps a peer from the GKE east-west gateway', () => {
    const problems = reachabilityProblems(
      fleet,
      withEdit('gke-prod', (json) => {
        first(json, 'google_compute_firewall').source_ranges = ['10.10.0.0/16', '10.11.0.0/16'];
      }),
    );
    expect(problems).toEqual([
      "aks-prod -> gke-prod: gke-prod's east-west gateway does not admit 10.30.0.0/16, 10.31.0.0/16 on port 15443 " +
        '(it admits 10.10.0.0/16, 10.11.0.0/16)',
    ]);
  });

  it('names a peer missing from the GKE master authorized networks and from the EKS cluster security group', () => {
    const gke = reachabilityProblems(
      fleet,
      withEdit('gke-prod', (json) => {
        const cluster = first(json, 'google_container_cluster') as {
          master_authorized_networks_config: { cidr_blocks: { display_name: string }[] };
        };
        const config = cluster.master_authorized_networks_config;
        config.cidr_blocks = config.cidr_blocks.filter((b) => !b.display_name.startsWith('eks-prod'));
      }),
    );
    expect(gke).toEqual([
      expect.stringMatching(
        /^eks-prod -> gke-prod: gke-prod's API server does not admit 10\.10\.0\.0\/16, 10\.11\.0\.0\/16 on port 443/,
      ),
    ]);
    const eks = reachabilityProblems(
      fleet,
      withEdit('eks-prod', (json) => {
        const rules = json.resource.aws_vpc_security_group_ingress_rule;
        for (const key of Object.keys(rules)) if (rules[key].cidr_ipv4 === '10.30.0.0/16') delete rules[key];
      }),
    );
    expect(eks).toEqual([
      expect.stringMatching(
        /^aks-prod -> eks-prod: eks-prod's API server does not admit 10\.30\.0\.0\/16 on port 443/,
      ),
    ]);
  });

  it('names a link built on one end only, tunnels that disagree and a wrong ASN', () => {
    const oneEnded = reachabilityProblems(
      fleet,
      withEdit('eks-prod', (json) => {
        for (const type of ['aws_vpn_connection']) {
          const all = json.resource[type];
          for (const key of Object.keys(all)) {
            if ((all[key].tags as Record<string, string>).vpn_peer === 'gke-prod') delete all[key];
          }
        }
      }),
    );
    expect(oneEnded).toEqual([
      'eks-prod -> gke-prod: eks-prod has no VPN tunnel to gke-prod',
      'gke-prod -> eks-prod: eks-prod has no VPN tunnel to gke-prod',
    ]);
    const disagreeing = reachabilityProblems(
      fleet,
      withEdit('aks-prod', (json) => {
        const gateway = first(json, 'azurerm_virtual_network_gateway') as { bgp_settings: { asn: number } };
        gateway.bgp_settings.asn = 65000;
        const local = Object.values(json.resource.azurerm_local_network_gateway).find((g) =>
          String(g.name).startsWith('aks-prod-gke-prod-0'),
        ) as { bgp_settings: { bgp_peering_address: string } };
        local.bgp_settings.bgp_peering_address = '169.254.22.201';
      }),
    );
    expect(disagreeing).toEqual(
      expect.arrayContaining([
        'eks-prod -> aks-prod: eks-prod expects BGP ASN 64514 of aks-prod, which speaks 65000',
        expect.stringMatching(
          /^aks-prod -> gke-prod: the ends disagree on the tunnels' inside ranges \(aks-prod: .*169\.254\.22\.200\/30/,
        ),
      ]),
    );
  });

  it('names a client that does not forward the AKS private zone to the AKS resolver', () => {
    const problems = reachabilityProblems(
      fleet,
      withEdit('gke-prod', (json) => {
        delete json.resource.google_dns_managed_zone;
      }),
    );
    expect(problems).toEqual([
      "gke-prod -> aks-prod: aks-prod's API server name is in the private zone privatelink.eastus.azmk8s.io; gke-prod does not forward it",
    ]);
  });

  it('names a GKE control plane whose peering does not export the routes learned over the VPN', () => {
    const problems = reachabilityProblems(
      fleet,
      withEdit('gke-prod', (json) => {
        delete json.resource.google_compute_network_peering_routes_config;
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^eks-prod -> gke-prod: gke-prod's API server \(\(not exported to the VPN\)\) is in no range it advertises/,
      ),
      expect.stringMatching(/^aks-prod -> gke-prod: gke-prod's API server/),
    ]);
  });
});
