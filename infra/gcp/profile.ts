import { analyticsDatasetName, gkeIssuerUrl } from '../../clusters/naming';
import { domainOf, PLACEHOLDER_NAME, RESERVED_DOMAIN } from '../placeholder-values';
import type { InfraProfile, PlaceholderValue } from '../profile';
import { gcpNetworkView } from './network-view';

/** What the generic infrastructure modules ask of GCP (infra/profile.ts). */
export const GCP_INFRA: InfraProfile<'gcp'> = {
  cloud: 'gcp',
  geoReplicatedDatabase: false,
  operatorBastion: false,
  vpn: {
    order: 1,
    // HA VPN: two interfaces, each with its own address; interface r to the peer's instance r.
    tunnelsAsFirstEnd: [0, 1].map((r) => ({ first: r, second: r })),
  },
  derivedTokenIssuer: (cluster) => gkeIssuerUrl(cluster),
  analyticsDatasetId: (cluster) => (cluster.analyticsDataset ? analyticsDatasetName(cluster) : undefined),
  // Only AKS puts its API server's name in a private zone that peers must forward to.
  privateApiZone: () => undefined,
  placeholderPrincipals(cluster) {
    const found: PlaceholderValue[] = [];
    cluster.apiAccess.forEach((access, i) => {
      const email = access.member.slice(access.member.indexOf(':') + 1);
      if (RESERVED_DOMAIN.test(domainOf(email)) || PLACEHOLDER_NAME.test(email)) {
        found.push({ path: `apiAccess[${i}].member`, value: access.member, why: 'an example address' });
      }
    });
    if (RESERVED_DOMAIN.test(domainOf(cluster.rbacSecurityGroup))) {
      found.push({ path: 'rbacSecurityGroup', value: cluster.rbacSecurityGroup, why: 'an example address' });
    }
    return found;
  },
  networkView: (cluster, json) => gcpNetworkView(cluster.name, json),
};
