import { PLACEHOLDER_NAME } from '../placeholder-values';
import type { InfraProfile, PlaceholderValue } from '../profile';
import { awsNetworkView } from './network-view';

/** AWS's documentation example accounts: no real principal lives in them. */
const EXAMPLE_AWS_ACCOUNTS: ReadonlySet<string> = new Set(['111122223333', '123456789012', '444455556666']);

/** What the generic infrastructure modules ask of AWS (infra/profile.ts). */
export const AWS_INFRA: InfraProfile<'aws'> = {
  cloud: 'aws',
  // RDS is Multi-AZ in the cluster's region (infra/aws/database.ts).
  geoReplicatedDatabase: false,
  operatorBastion: true,
  vpn: {
    // AWS takes the first address of each inside /30 (its convention).
    order: 0,
    // An AWS VPN connection has two tunnels to one remote address: two connections (one per remote
    // address) give four endpoints. Connection r goes to the other end's address r; its tunnels are 2r, 2r+1.
    tunnelsAsFirstEnd: [0, 1, 2, 3].map((endpoint) => ({ first: endpoint, second: endpoint >> 1 })),
  },
  // The EKS OIDC issuer's URL carries an id AWS assigns at creation: recorded after apply.
  derivedTokenIssuer: () => undefined,
  analyticsDatasetId: () => undefined,
  // Only AKS puts its API server's name in a private zone that peers must forward to.
  privateApiZone: () => undefined,
  placeholderPrincipals(cluster) {
    const found: PlaceholderValue[] = [];
    if (EXAMPLE_AWS_ACCOUNTS.has(cluster.accountId)) {
      found.push({ path: 'accountId', value: cluster.accountId, why: "AWS's documentation example account" });
    }
    cluster.apiAccess.forEach((access, i) => {
      const [, , , , account, resource = ''] = access.principalArn.split(':');
      const role = resource.split('/').pop() ?? '';
      if (EXAMPLE_AWS_ACCOUNTS.has(account) || PLACEHOLDER_NAME.test(role)) {
        found.push({
          path: `apiAccess[${i}].principalArn`,
          value: access.principalArn,
          why: 'a placeholder role',
        });
      }
    });
    return found;
  },
  networkView: (cluster, json) => awsNetworkView(cluster.name, json),
};
