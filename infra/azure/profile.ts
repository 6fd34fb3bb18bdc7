import { PLACEHOLDER_NAME } from '../placeholder-values';
import type { InfraProfile, PlaceholderValue } from '../profile';
import { azureNetworkView } from './network-view';

/** The shape of the sample's Entra object ids: all zeros but the last digits. */
const SAMPLE_OBJECT_ID = /^00000000-0000-0000-0000-0000000000[0-9a-f]{2}$/i;

/** What the generic infrastructure modules ask of Azure (infra/profile.ts). */
export const AZURE_INFRA: InfraProfile<'azure'> = {
  cloud: 'azure',
  // Flexible Server keeps a read replica in the paired region (infra/azure/database.ts).
  geoReplicatedDatabase: true,
  operatorBastion: false,
  vpn: {
    // Last: an Azure end always takes each /30's second address.
    order: 2,
    // Active-active VPN gateway: two instances, each with its own public address. Never the first
    // end of a link (two clusters of one cloud are not linked); one to one, like HA VPN.
    tunnelsAsFirstEnd: [0, 1].map((r) => ({ first: r, second: r })),
  },
  // The AKS OIDC issuer's URL carries an id Azure assigns at creation: recorded after apply.
  derivedTokenIssuer: () => undefined,
  analyticsDatasetId: () => undefined,
  // AKS private clusters register their API server under this zone of the cluster's region.
  privateApiZone: (cluster) => `privatelink.${cluster.region}.azmk8s.io`,
  placeholderPrincipals(cluster) {
    const found: PlaceholderValue[] = cluster.apiAccess.flatMap((access, i) =>
      SAMPLE_OBJECT_ID.test(access.groupObjectId)
        ? [
            {
              path: `apiAccess[${i}].groupObjectId`,
              value: access.groupObjectId,
              why: "the sample's made-up object id",
            },
          ]
        : [],
    );
    // Applied only with the database it administers.
    const administrator = cluster.database?.administrator;
    if (administrator && SAMPLE_OBJECT_ID.test(administrator.objectId)) {
      found.push({
        path: 'database.administrator.objectId',
        value: administrator.objectId,
        why: "the sample's made-up object id",
      });
    }
    if (administrator && PLACEHOLDER_NAME.test(administrator.principalName)) {
      found.push({
        path: 'database.administrator.principalName',
        value: administrator.principalName,
        why: 'a placeholder name',
      });
    }
    return found;
  },
  networkView: (cluster, json) => azureNetworkView(cluster.name, json, cluster),
};
