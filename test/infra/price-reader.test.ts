import { Testing } from 'cdktf';
import { workloadIdentityName } from '../../clusters/naming';
import type { AwsClusterSpec, AzureClusterSpec, GcpClusterSpec } from '../../clusters/types';
import { cloudWorkloadsFor } from '../../clusters/workloads';
import { PRICE_READER_STATEMENTS } from '../../infra/aws/pricing';
import { PRICE_READER_ROLE } from '../../infra/azure/pricing';
import { OPENCOST_WORKLOAD } from '../../platform/cost/cloud-workloads';
import { clusterOf, resources, synthesized } from './helpers';

/**
 * The workload that reads prices (OpenCost) gets exactly the price reader's grants of its cloud,
 * and no other workload gets them.
 */
Testing.setupJest();

type Json = Record<string, any>;
const readers = (cloud: 'aws' | 'gcp' | 'azure') =>
  cloudWorkloadsFor(cloud).filter((workload) => workload.readsPrices);

describe('the price reader identity', () => {
  it('is OpenCost, on every cloud', () => {
    for (const cloud of ['aws', 'gcp', 'azure'] as const) {
      expect([cloud, readers(cloud).map((w) => w.name)]).toEqual([cloud, [OPENCOST_WORKLOAD.name]]);
    }
  });

  it('AWS: may read the spot price history and nothing else; no other role may', () => {
    const cluster = clusterOf<AwsClusterSpec>('aws');
    const { json } = synthesized(cluster);
    const documents = Object.entries((json.data?.aws_iam_policy_document ?? {}) as Record<string, Json>);
    const permissions = documents.find(([id]) => id.startsWith('identity-opencost_permissions'))?.[1];
    expect(permissions?.statement).toEqual([
      { sid: 'SpotPriceHistory', actions: ['ec2:DescribeSpotPriceHistory'], resources: ['*'] },
    ]);
    expect(PRICE_READER_STATEMENTS.flatMap((s) => s.actions)).toEqual(['ec2:DescribeSpotPriceHistory']);
    const elsewhere = documents
      .filter(([id]) => !id.startsWith('identity-opencost_'))
      .filter(([, doc]) => JSON.stringify(doc).includes('DescribeSpotPriceHistory'))
      .map(([id]) => id);
    expect(elsewhere).toEqual([]);
    // The role only OpenCost's ServiceAccount can assume.
    const trust = documents.find(([id]) => id.startsWith('identity-opencost_trust'))?.[1];
    expect(JSON.stringify(trust)).toContain('system:serviceaccount:opencost:opencost');
  });

  it('Azure: a custom role with the Rate Card actions, assigned at the subscription to OpenCost alone', () => {
    const cluster = clusterOf<AzureClusterSpec>('azure');
    const { json } = synthesized(cluster);
    const [role, ...more] = resources(json, 'azurerm_role_definition') as Json[];
    expect(more).toEqual([]);
    expect(role).toMatchObject({
      name: PRICE_READER_ROLE.name(cluster.name),
      scope: `/subscriptions/${cluster.subscriptionId}`,
      assignable_scopes: [`/subscriptions/${cluster.subscriptionId}`],
    });
    expect(role.permissions).toEqual([
      {
        actions: [
          'Microsoft.Compute/virtualMachines/vmSizes/read',
          'Microsoft.Resources/subscriptions/locations/read',
          'Microsoft.Resources/providers/read',
          'Microsoft.ContainerService/containerServices/read',
          'Microsoft.Commerce/RateCard/read',
        ],
      },
    ]);
    const assignments = (resources(json, 'azurerm_role_assignment') as Json[]).filter((a) =>
      String(a.role_definition_id ?? '').includes('azurerm_role_definition.'),
    );
    expect(assignments).toHaveLength(1);
    expect(assignments[0].scope).toBe(`/subscriptions/${cluster.subscriptionId}`);
    expect(assignments[0].principal_id).toMatch(/identity-opencost_identity/);
  });

  it('GCP: a service account bound to OpenCost with no role: prices come with an API key', () => {
    const cluster = clusterOf<GcpClusterSpec>('gcp');
    const { json } = synthesized(cluster);
    const accounts = resources(json, 'google_service_account') as Json[];
    expect(accounts.map((a) => a.account_id)).toContain(workloadIdentityName(cluster, 'opencost'));
    const grants = Object.entries(json.resource)
      .filter(([type]) => type.endsWith('_iam_member') || type.endsWith('_iam_binding'))
      .flatMap(([type, byId]) => Object.values(byId).map((grant) => ({ type, grant: grant as Json })))
      .filter(({ grant }) => String(grant.member ?? grant.members ?? '').includes('identity-opencost'));
    expect(grants).toEqual([]);
    const impersonation = (resources(json, 'google_service_account_iam_member') as Json[]).filter((m) =>
      String(m.service_account_id).includes('identity-opencost'),
    );
    expect(impersonation).toEqual([
      expect.objectContaining({
        role: 'roles/iam.workloadIdentityUser',
        member: `serviceAccount:${cluster.projectId}.svc.id.goog[opencost/opencost]`,
      }),
    ]);
    expect(resources(json, 'google_project_iam_custom_role')).toEqual([]);
    // The key it reads the price list with is a secret of the stack, filled in by hand.
    const secrets = (resources(json, 'google_secret_manager_secret') as Json[]).map((s) => s.secret_id);
    expect(secrets).toContain(`${cluster.name}-cloud-pricing-api-key`);
  });

  it('the pricing API key is a secret of GCP clusters only', () => {
    for (const cloud of ['aws', 'azure'] as const) {
      const cluster = clusterOf(cloud);
      const { json } = synthesized(cluster);
      expect([cloud, JSON.stringify(json.resource).includes('cloud-pricing-api-key')]).toEqual([
        cloud,
        false,
      ]);
    }
  });
});
