import { fleetInput, loadDeclaredFleet } from '../../clusters';
import { aksProdDatabase } from '../../clusters/aks-prod';
import type {
  AwsClusterSpec,
  AzureClusterSpec,
  ClusterSpec,
  GcpClusterSpec,
  NodePool,
} from '../../clusters/types';
import { FleetValidationError, loadFleet } from '../../clusters/validate';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
type Input = Mutable<typeof fleetInput>;

/** A deep copy of the declared fleet, changed by `edit`, then loaded; returns the error lines. */
function errorsAfter(edit: (input: Input) => void): string[] {
  // A JSON copy: clusters sharing a default (the same models array) become independent, as files are.
  const input = JSON.parse(JSON.stringify(fleetInput)) as Input;
  edit(input);
  try {
    loadFleet(input as typeof fleetInput);
  } catch (error) {
    expect(error).toBeInstanceOf(FleetValidationError);
    return (error as FleetValidationError).issues.map((i) => `${i.file}: ${i.path}: ${i.message}`);
  }
  throw new Error('expected the fleet to be rejected');
}

function pool(input: Input, cluster: number, name: string): Mutable<NodePool> {
  const found = input.clusters[cluster].spec.nodePools.find((p) => p.name === name);
  if (!found) throw new Error(`no pool ${name}`);
  return found;
}

describe('the declared fleet', () => {
  const fleet = loadDeclaredFleet();

  it('has the three production clusters in their regions', () => {
    expect(fleet.clusters.map((c) => [c.name, c.cloud, c.region])).toEqual([
      ['eks-prod', 'aws', 'us-east-1'],
      ['gke-prod', 'gcp', 'us-central1'],
      ['aks-prod', 'azure', 'eastus'],
    ]);
  });

  it('gives every cluster the general, ml-workloads and gpu pools, and an on-demand fallback for spot', () => {
    for (const cluster of fleet.clusters) {
      expect(cluster.nodePools.map((p) => p.name)).toEqual(['general', 'ml-workloads', 'gpu', 'ml-fallback']);
    }
  });

  it('serves a CPU and a GPU model', () => {
    expect(fleet.models.map((m) => m.needsGpu).sort()).toEqual([false, true]);
  });
});

describe('fleet validation', () => {
  it('rejects a pool whose minimum exceeds its maximum', () => {
    const errors = errorsAfter((input) => {
      pool(input, 0, 'general').minSize = 9;
    });
    expect(errors).toContain('clusters/eks-prod.ts: nodePools[0].minSize: must be ≤ maxSize (6), got 9');
  });

  it('rejects model replicas whose minimum exceeds the maximum', () => {
    const errors = errorsAfter((input) => {
      input.clusters[1].spec.models[0].minReplicas = 20;
    });
    expect(errors).toContain(
      'clusters/gke-prod.ts: models[0].minReplicas: must be ≤ maxReplicas (10), got 20',
    );
  });

  it('rejects an unknown cloud and lists the allowed ones', () => {
    const errors = errorsAfter((input) => {
      (input.clusters[1].spec as { cloud: string }).cloud = 'ibm';
    });
    expect(errors).toEqual(['clusters/gke-prod.ts: cloud: unknown value "ibm"; allowed: aws, gcp, azure']);
  });

  it('rejects duplicate cluster names, naming the first use', () => {
    const errors = errorsAfter((input) => {
      input.clusters[2].spec.name = 'eks-prod';
    });
    expect(errors).toContain(
      'clusters/aks-prod.ts: name: duplicate "eks-prod", already used at clusters/eks-prod.ts: name; names must be unique',
    );
  });

  it('rejects duplicate pool names within a cluster', () => {
    const errors = errorsAfter((input) => {
      pool(input, 1, 'ml-workloads').name = 'general';
    });
    expect(errors).toContain(
      'clusters/gke-prod.ts: nodePools[1].name: duplicate "general", already used at clusters/gke-prod.ts: nodePools[0].name; names must be unique',
    );
  });

  it('rejects CIDRs that overlap another cluster', () => {
    const errors = errorsAfter((input) => {
      input.clusters[2].spec.network.podCidr = '10.10.128.0/17';
    });
    expect(errors).toEqual([
      'clusters/aks-prod.ts: network.podCidr: 10.10.128.0/17 overlaps 10.10.0.0/16 (clusters/eks-prod.ts: network.vpcCidr); ranges of peered clusters must be disjoint',
    ]);
  });

  it('rejects a GPU model on a cluster without a GPU pool', () => {
    const errors = errorsAfter((input) => {
      const spec = input.clusters[2].spec;
      spec.nodePools = spec.nodePools.filter((p) => p.role !== 'gpu');
    });
    expect(errors).toEqual([
      'clusters/aks-prod.ts: models[1].model: model "image-classifier" needs a GPU but the cluster has no node pool with role "gpu"',
    ]);
  });

  it('rejects an unsupported Kubernetes version, listing the supported ones', () => {
    const errors = errorsAfter((input) => {
      input.clusters[0].spec.kubernetesVersion = '1.25';
    });
    expect(errors).toEqual([
      'clusters/eks-prod.ts: kubernetesVersion: 1.25 is not supported; allowed: 1.33, 1.34, 1.35 (clusters/defaults.ts)',
    ]);
  });

  it('rejects an unknown field with its path', () => {
    const errors = errorsAfter((input) => {
      (pool(input, 0, 'gpu') as Record<string, unknown>).minimumSize = 1;
    });
    expect(errors).toEqual([
      'clusters/eks-prod.ts: nodePools[2].minimumSize: unknown field; check the spelling against clusters/types.ts',
    ]);
  });

  it('rejects a model that is not in the catalog', () => {
    const errors = errorsAfter((input) => {
      input.clusters[0].spec.models[1].model = 'imageclassifier';
    });
    expect(errors).toEqual([
      'clusters/eks-prod.ts: models[1].model: unknown model "imageclassifier"; known: fraud-detector, image-classifier (clusters/models.ts)',
    ]);
  });

  it('rejects an A/B split whose weights do not add up to 100', () => {
    const errors = errorsAfter((input) => {
      (input.models[0].split as unknown as { weight: number }[])[1].weight = 20;
    });
    expect(errors).toEqual(['clusters/models.ts: [0].split: weights must add up to 100, got 110']);
  });

  it('rejects a split naming a version the model does not have', () => {
    const errors = errorsAfter((input) => {
      (input.models[0].split as unknown as { version: number }[])[1].version = 5;
    });
    expect(errors).toEqual([
      "clusters/models.ts: [0].split[1].version: version 5 is not one of the model's versions (3, 4)",
    ]);
  });

  it('rejects a version stored outside the layout TF Serving reads', () => {
    const errors = errorsAfter((input) => {
      (input.models[1].versions as { path: string }[])[0].path = 'image-classifier/latest';
    });
    expect(errors).toEqual([
      'clusters/models.ts: [1].versions[0].path: must be "image-classifier/7": TF Serving reads <model>/<version> under the model bucket',
    ]);
  });

  it('rejects a batch job for a model the cluster does not serve', () => {
    const errors = errorsAfter((input) => {
      const spec = input.clusters[1].spec;
      spec.models = spec.models.filter((m) => m.model !== 'fraud-detector');
    });
    expect(errors).toEqual([
      'clusters/gke-prod.ts: batchJobs[0].model: model "fraud-detector" is not served in this cluster; served: image-classifier',
    ]);
  });

  it('rejects a mutable runtime tag', () => {
    const errors = errorsAfter((input) => {
      (input.models[0].runtime as { tag: string }).tag = 'latest';
    });
    expect(errors).toEqual([
      'clusters/models.ts: [0].runtime.tag: must be an exact version tag such as 2.18.0 or 2.18.0-gpu',
    ]);
  });

  it('rejects a pool name AKS cannot represent', () => {
    const errors = errorsAfter((input) => {
      pool(input, 2, 'ml-workloads').name = 'ml-workloads-large';
    });
    expect(errors).toEqual([
      'clusters/aks-prod.ts: nodePools[1].name: becomes AKS agent pool "mlworkloadslarge", which must be 1-12 lowercase letters or digits starting with a letter',
    ]);
  });

  it('rejects an EKS API role whose ARN is not an IAM role ARN, saying what is expected', () => {
    const errors = errorsAfter((input) => {
      const spec = input.clusters[0].spec as Mutable<AwsClusterSpec>;
      spec.apiAccess[0].principalArn = 'arn:aws:iam::1111222233:role/ml-platform-operators';
    });
    expect(errors).toEqual([
      'clusters/eks-prod.ts: apiAccess[0].principalArn: must be an IAM role ARN, arn:aws:iam::<12-digit account>:role/<name>, optionally with a path before the name',
    ]);
  });

  it('rejects a role session or a user in place of a role, with the reason', () => {
    const errors = errorsAfter((input) => {
      const spec = input.clusters[0].spec as Mutable<AwsClusterSpec>;
      spec.apiAccess[0].principalArn = 'arn:aws:sts::111122223333:assumed-role/ml-platform-operators/alice';
      spec.apiAccess[1].principalArn = 'arn:aws:iam::111122223333:user/alice';
    });
    expect(errors).toEqual([
      'clusters/eks-prod.ts: apiAccess[0].principalArn: is the ARN of one session of a role, which changes with every session; give the role itself, arn:aws:iam::<account>:role/<name>',
      'clusters/eks-prod.ts: apiAccess[1].principalArn: is an IAM user, which holds long-lived keys; give a role its people assume, arn:aws:iam::<account>:role/<name>',
    ]);
  });

  it('accepts a role ARN with a path', () => {
    const input = JSON.parse(JSON.stringify(fleetInput)) as Input;
    const spec = input.clusters[0].spec as Mutable<AwsClusterSpec>;
    spec.apiAccess[1].principalArn = 'arn:aws:iam::444455556666:role/teams/ml/read-only';
    expect(() => loadFleet(input as typeof fleetInput)).not.toThrow();
  });

  it('rejects an EKS cluster without a cluster-admin role, and a role listed twice', () => {
    const errors = errorsAfter((input) => {
      const spec = input.clusters[0].spec as Mutable<AwsClusterSpec>;
      spec.apiAccess = [
        { principalArn: 'arn:aws:iam::111122223333:role/viewers', scope: 'view' },
        { principalArn: 'arn:aws:iam::111122223333:role/viewers', scope: 'view' },
      ];
    });
    expect(errors).toEqual([
      'clusters/eks-prod.ts: apiAccess: must give at least one role the scope "cluster-admin": the stack does not make its creator an administrator, so without one the Kubernetes API would have none',
    ]);
    const duplicate = errorsAfter((input) => {
      const spec = input.clusters[0].spec as Mutable<AwsClusterSpec>;
      spec.apiAccess[1].principalArn = spec.apiAccess[0].principalArn;
    });
    expect(duplicate).toEqual([
      'clusters/eks-prod.ts: apiAccess[1].principalArn: duplicate "arn:aws:iam::111122223333:role/placeholder-ml-platform-operators", already used at clusters/eks-prod.ts: apiAccess[0].principalArn; EKS allows one access entry per principal; give it the wider scope only',
    ]);
  });

  it('rejects a GKE API member that is not one Google identity, and a domain with its reason', () => {
    const errors = errorsAfter((input) => {
      const spec = input.clusters[1].spec as Mutable<GcpClusterSpec>;
      spec.apiAccess[0].member = 'ml-platform-operators@example.com';
      spec.apiAccess[1].member = 'domain:example.com';
    });
    expect(errors).toEqual([
      'clusters/gke-prod.ts: apiAccess[0].member: must be an IAM member naming one Google identity: group:<email>, serviceAccount:<email> or user:<email>, in lower case',
      'clusters/gke-prod.ts: apiAccess[1].member: names everyone in a domain or on the internet; give a group, group:<email>',
    ]);
  });

  it('accepts GKE service account and user members, and rejects a wrong security group', () => {
    const input = JSON.parse(JSON.stringify(fleetInput)) as Input;
    const spec = input.clusters[1].spec as Mutable<GcpClusterSpec>;
    spec.apiAccess[0].member = 'serviceAccount:ci-admin@ml-platform-prod.iam.gserviceaccount.com';
    spec.apiAccess[1].member = 'user:alice@example.com';
    expect(() => loadFleet(input as typeof fleetInput)).not.toThrow();
    const errors = errorsAfter((edited) => {
      (edited.clusters[1].spec as Mutable<GcpClusterSpec>).rbacSecurityGroup =
        'ml-platform-developers@example.com';
    });
    expect(errors).toEqual([
      'clusters/gke-prod.ts: rbacSecurityGroup: must be gke-security-groups@<domain>, the group GKE reads member groups from (Google Groups for RBAC)',
    ]);
  });

  it('rejects a GKE cluster without a cluster-admin member, and a member listed twice', () => {
    const errors = errorsAfter((input) => {
      const spec = input.clusters[1].spec as Mutable<GcpClusterSpec>;
      spec.apiAccess[0].scope = 'view';
    });
    expect(errors).toEqual([
      'clusters/gke-prod.ts: apiAccess: must give at least one member the scope "cluster-admin", so that someone reviewed administers the cluster',
    ]);
    const duplicate = errorsAfter((input) => {
      const spec = input.clusters[1].spec as Mutable<GcpClusterSpec>;
      spec.apiAccess[1].member = spec.apiAccess[0].member;
    });
    expect(duplicate).toEqual([
      'clusters/gke-prod.ts: apiAccess[1].member: duplicate "group:placeholder-ml-platform-operators@example.com", already used at clusters/gke-prod.ts: apiAccess[0].member; give each member one scope, the wider one',
    ]);
  });

  it('rejects an AKS API group given by name instead of its object id', () => {
    const errors = errorsAfter((input) => {
      const spec = input.clusters[2].spec as Mutable<AzureClusterSpec>;
      spec.apiAccess[0].groupObjectId = 'ml-platform-operators';
      spec.apiAccess[1].groupObjectId = '00000000-0000-0000-0000-00000000000G';
    });
    expect(errors).toEqual([
      'clusters/aks-prod.ts: apiAccess[0].groupObjectId: must be the object id of an Entra ID group, a lower-case UUID (not its name or email)',
      'clusters/aks-prod.ts: apiAccess[1].groupObjectId: must be the object id of an Entra ID group, a lower-case UUID (not its name or email)',
    ]);
  });

  it('rejects an AKS cluster without a cluster-admin group, and a group listed twice', () => {
    const errors = errorsAfter((input) => {
      const spec = input.clusters[2].spec as Mutable<AzureClusterSpec>;
      spec.apiAccess = [spec.apiAccess[1]];
    });
    expect(errors).toEqual([
      'clusters/aks-prod.ts: apiAccess: must give at least one group the scope "cluster-admin": local accounts are disabled, so without one the Kubernetes API would have no administrator',
    ]);
    const duplicate = errorsAfter((input) => {
      const spec = input.clusters[2].spec as Mutable<AzureClusterSpec>;
      spec.apiAccess[1].groupObjectId = spec.apiAccess[0].groupObjectId;
    });
    expect(duplicate).toEqual([
      'clusters/aks-prod.ts: apiAccess[1].groupObjectId: duplicate "00000000-0000-0000-0000-000000000001", already used at clusters/aks-prod.ts: apiAccess[0].groupObjectId; give each group one scope, the wider one',
    ]);
  });

  it('declares no database and no analytics dataset in the sample fleet: nothing in dist/ uses one', () => {
    const fleet = loadDeclaredFleet();
    for (const cluster of fleet.clusters)
      expect([cluster.name, cluster.database]).toEqual([cluster.name, undefined]);
    const gke = fleet.clusters.find((c) => c.cloud === 'gcp') as GcpClusterSpec;
    expect(gke.analyticsDataset).toBeUndefined();
  });

  it("accepts the sample's example Azure database, and a database or dataset that says what uses it", () => {
    const input = JSON.parse(JSON.stringify(fleetInput)) as Input;
    (input.clusters[0].spec as Mutable<AwsClusterSpec>).database = { usedBy: 'the feature registry' };
    const gke = input.clusters[1].spec as Mutable<GcpClusterSpec>;
    gke.database = { usedBy: 'the feature registry' };
    gke.analyticsDataset = { usedBy: 'the prediction log export' };
    (input.clusters[2].spec as Mutable<AzureClusterSpec>).database = JSON.parse(
      JSON.stringify(aksProdDatabase),
    );
    const fleet = loadFleet(input as typeof fleetInput);
    expect(fleet.clusters.map((c) => c.database?.usedBy)).toEqual([
      'the feature registry',
      'the feature registry',
      aksProdDatabase.usedBy,
    ]);
  });

  it('rejects an Azure database administrator that is not an Entra principal azurerm can set', () => {
    const errors = errorsAfter((input) => {
      const spec = input.clusters[2].spec as Mutable<AzureClusterSpec>;
      spec.database = {
        usedBy: 'the feature registry',
        administrator: {
          objectId: 'ml-platform-database-admins',
          principalName: ' ',
          principalType: 'Application' as 'Group',
        },
      };
    });
    expect(errors).toEqual([
      'clusters/aks-prod.ts: database.administrator.objectId: must be the object id of the Entra ID principal, a lower-case UUID (not its name)',
      "clusters/aks-prod.ts: database.administrator.principalName: must be the principal's display name in Entra ID, which Azure stores with the object id",
      'clusters/aks-prod.ts: database.administrator.principalType: unknown principal type "Application"; allowed: Group, ServicePrincipal, User',
    ]);
  });

  it('rejects an Azure database without an administrator, and a database or dataset that does not say what uses it', () => {
    const errors = errorsAfter((input) => {
      (input.clusters[0].spec as Mutable<AwsClusterSpec>).database = { usedBy: '' };
      (input.clusters[1].spec as Mutable<GcpClusterSpec>).analyticsDataset = {} as { usedBy: string };
      (input.clusters[2].spec as Mutable<AzureClusterSpec>).database = {
        usedBy: 'the feature registry',
      } as never;
    });
    expect(errors).toEqual([
      'clusters/eks-prod.ts: database.usedBy: must say what connects to it (a workload or team); without a consumer, leave the field out',
      'clusters/gke-prod.ts: analyticsDataset.usedBy: must say what connects to it (a workload or team); without a consumer, leave the field out',
      'clusters/aks-prod.ts: database.administrator: must name the Entra ID principal that administers the server: objectId, principalName, principalType (password sign-in is off, so without one nobody can sign in)',
    ]);
    // The dataset is BigQuery's, so GCP's only.
    expect(
      errorsAfter((input) => {
        (
          input.clusters[0].spec as Mutable<AwsClusterSpec> & { analyticsDataset?: unknown }
        ).analyticsDataset = {
          usedBy: 'the prediction log export',
        };
      }),
    ).toEqual([
      'clusters/eks-prod.ts: analyticsDataset: unknown field; check the spelling against clusters/types.ts',
    ]);
  });

  it('reports every problem at once, not only the first', () => {
    const errors = errorsAfter((input) => {
      pool(input, 0, 'general').minSize = 9;
      input.clusters[1].spec.kubernetesVersion = '1.20';
      (input.clusters[2].spec as ClusterSpec & { zones: string[] }).zones = ['1'];
    });
    expect(errors).toHaveLength(4);
    expect(errors.map((e) => e.split(':')[0])).toEqual([
      'clusters/eks-prod.ts',
      'clusters/eks-prod.ts',
      'clusters/aks-prod.ts',
      'clusters/gke-prod.ts',
    ]);
  });
});
