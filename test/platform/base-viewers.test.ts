import { fleetInput } from '../../clusters';
import type { AwsClusterSpec, AzureClusterSpec, ClusterSpec, GcpClusterSpec } from '../../clusters/types';
import { profileFor } from '../../platform/clouds';

const spec = <T>(cloud: string) => fleetInput.clusters.find((c) => c.spec.cloud === cloud)?.spec as T;
const apiGroup = 'rbac.authorization.k8s.io';
const viewersOf = (cluster: ClusterSpec) =>
  profileFor(cluster, { workloadIdentityClientIds: {} }).apiViewers();

describe('viewers of the read-only role', () => {
  it('binds GKE view groups as groups and users or service accounts as users, by email; never admins', () => {
    const gke = spec<GcpClusterSpec>('gcp');
    const cluster: GcpClusterSpec = {
      ...gke,
      apiAccess: [
        { member: 'group:admins@example.com', scope: 'cluster-admin' },
        { member: 'group:readers@example.com', scope: 'view' },
        { member: 'user:alice@example.com', scope: 'view' },
        { member: 'serviceAccount:dash@ml-platform-prod.iam.gserviceaccount.com', scope: 'view' },
      ],
    };
    expect(viewersOf(cluster)).toEqual([
      { kind: 'Group', name: 'readers@example.com', apiGroup },
      { kind: 'User', name: 'alice@example.com', apiGroup },
      { kind: 'User', name: 'dash@ml-platform-prod.iam.gserviceaccount.com', apiGroup },
    ]);
  });

  it('binds AKS view groups by object id, and nothing on EKS, whose view roles join the developers group', () => {
    const aks = spec<AzureClusterSpec>('azure');
    expect(viewersOf(aks)).toEqual(
      aks.apiAccess
        .filter((a) => a.scope === 'view')
        .map((a) => ({ kind: 'Group', name: a.groupObjectId, apiGroup })),
    );
    expect(viewersOf(spec<AwsClusterSpec>('aws'))).toEqual([]);
  });
});
