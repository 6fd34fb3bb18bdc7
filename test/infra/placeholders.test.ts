import { Testing } from 'cdktf';
import { loadClusterOutputs } from '../../clusters/outputs';
import type { AksApiAccess, ClusterSpec, EksApiAccess, Fleet, GkeApiAccess } from '../../clusters/types';
import { placeholderProblems } from '../../infra/placeholders';
import { type OutputsOf, planFor } from '../../infra/plan';
import { clusterStack } from '../../infra/render';
import { clusterOf, databaseFleet, fleet, type TerraformJson } from './helpers';

/** The sample fleet with every principal replaced by a plausible real one. */
function realFleet(): Fleet {
  const clusters = fleet.clusters.map((cluster): ClusterSpec => {
    switch (cluster.cloud) {
      case 'aws':
        return {
          ...cluster,
          accountId: '210987654321',
          apiAccess: cluster.apiAccess.map(
            (a, i): EksApiAccess => ({
              ...a,
              principalArn: `arn:aws:iam::210987654321:role/ml-platform-${i}`,
            }),
          ),
        };
      case 'gcp':
        return {
          ...cluster,
          rbacSecurityGroup: 'gke-security-groups@corp.acme.io',
          apiAccess: cluster.apiAccess.map(
            (a, i): GkeApiAccess => ({ ...a, member: `group:ml-platform-${i}@corp.acme.io` }),
          ),
        };
      case 'azure':
        return {
          ...cluster,
          apiAccess: cluster.apiAccess.map(
            (a, i): AksApiAccess => ({ ...a, groupObjectId: `5b8f0d2e-7c41-4a9e-b3d6-1e2f3a4b5c6${i}` }),
          ),
        };
    }
    throw new Error('unknown cloud');
  });
  return { ...fleet, clusters };
}

/** Outputs as recorded after a real apply: the sample's values without the placeholder mark. */
const recordedOutputs: OutputsOf = (cluster) => ({ ...loadClusterOutputs(cluster), placeholder: false });

function guardOf(json: TerraformJson & { locals?: Record<string, unknown> }) {
  return {
    placeholders: json.locals?.placeholders,
    precondition: (
      json.resource.terraform_data['refuse-placeholders'].lifecycle as { precondition: unknown[] }
    ).precondition[0],
  };
}

describe('stacks refuse placeholders at plan time, and still render', () => {
  it('lists every made-up principal of the sample fleet, naming the file and field', () => {
    const problems = fleet.clusters.map((c) => placeholderProblems(planFor(fleet, c)));
    expect(problems.flat()).toEqual(
      expect.arrayContaining([
        `clusters/eks-prod.ts: accountId "111122223333" is AWS's documentation example account; put the real one there`,
        `clusters/eks-prod.ts: apiAccess[0].principalArn "arn:aws:iam::111122223333:role/placeholder-ml-platform-operators" is a placeholder role; put the real one there`,
        `clusters/gke-prod.ts: rbacSecurityGroup "gke-security-groups@example.com" is an example address; put the real one there`,
        `clusters/aks-prod.ts: apiAccess[1].groupObjectId "00000000-0000-0000-0000-000000000002" is the sample's made-up object id; put the real one there`,
      ]),
    );
    for (const list of problems) expect(list.length).toBeGreaterThan(0);
  });

  it('refuses a stack that trusts another cluster whose outputs are still placeholders, and says which to apply first', () => {
    const real = realFleet();
    const eks = real.clusters.find((c) => c.name === clusterOf('aws').name) as ClusterSpec;
    const problems = placeholderProblems(planFor(real, eks));
    expect(problems).toEqual([
      'clusters/aks-prod.outputs.json: the token issuer of aks-prod, which this stack trusts, is a placeholder; ' +
        'apply aks-prod first, then npm run infra:outputs -- --stack aks-prod',
    ]);
  });

  it("lists the sample's example database administrator, only where a database is declared and applied with it", () => {
    const declared = clusterOf('azure');
    expect(placeholderProblems(planFor(fleet, declared)).join('\n')).not.toContain('database.administrator');
    const withDatabase = clusterOf('azure', databaseFleet);
    const problems = placeholderProblems(planFor(databaseFleet, withDatabase));
    expect(problems).toEqual(
      expect.arrayContaining([
        `clusters/aks-prod.ts: database.administrator.objectId "00000000-0000-0000-0000-000000000003" is the sample's made-up object id; put the real one there`,
        `clusters/aks-prod.ts: database.administrator.principalName "placeholder-ml-platform-database-admins" is a placeholder name; put the real one there`,
      ]),
    );
    const json = JSON.parse(
      Testing.synth(clusterStack(Testing.app(), withDatabase, databaseFleet)),
    ) as TerraformJson;
    expect(guardOf(json).placeholders).toEqual(problems);
  });

  it('finds nothing once principals are real and outputs recorded', () => {
    const real = realFleet();
    for (const cluster of real.clusters)
      expect(placeholderProblems(planFor(real, cluster, recordedOutputs))).toEqual([]);
  });

  it('renders the list into each stack with a guard whose precondition fails plan while the list is not empty', () => {
    for (const cluster of fleet.clusters) {
      const json = JSON.parse(Testing.synth(clusterStack(Testing.app(), cluster, fleet))) as TerraformJson;
      const guard = guardOf(json);
      expect(guard.placeholders).toEqual(placeholderProblems(planFor(fleet, cluster)));
      // biome-ignore-start lint/suspicious/noTemplateCurlyInString: Terraform's interpolation, not a template
      expect(guard.precondition).toEqual({
        condition: '${length(local.placeholders) == 0}',
        error_message: expect.stringContaining('${join("; ", local.placeholders)}'),
      });
      // biome-ignore-end lint/suspicious/noTemplateCurlyInString: Terraform's interpolation, not a template
    }
    const real = realFleet();
    const json = JSON.parse(
      Testing.synth(clusterStack(Testing.app(), real.clusters[0], real, recordedOutputs)),
    ) as TerraformJson;
    expect(guardOf(json).placeholders).toEqual([]);
  });
});
