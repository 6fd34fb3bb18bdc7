import { loadDeclaredFleet } from '../../clusters';
import type { Cloud } from '../../clusters/types';
import { CROSS_CLOUD_NETWORK } from '../../infra/defaults';
import { infraProfileOf } from '../../infra/profiles';

const CLOUDS: readonly Cloud[] = ['aws', 'gcp', 'azure'];

describe('infrastructure profiles', () => {
  it('answer for the cloud asked about', () => {
    for (const cloud of CLOUDS) expect(infraProfileOf({ cloud }).cloud).toBe(cloud);
  });

  it('give every cloud its own VPN order, so both ends of a link agree which one is first', () => {
    const orders = CLOUDS.map((cloud) => infraProfileOf({ cloud }).vpn.order);
    expect(new Set(orders).size).toBe(CLOUDS.length);
  });

  it('fit a link’s tunnels in the inside addresses reserved per link', () => {
    for (const cloud of CLOUDS) {
      const tunnels = infraProfileOf({ cloud }).vpn.tunnelsAsFirstEnd;
      expect(tunnels.length).toBeGreaterThan(0);
      expect(tunnels.length).toBeLessThanOrEqual(CROSS_CLOUD_NETWORK.tunnelsPerLink);
    }
  });

  it('derive the token issuer only where the cloud fixes it before apply (GKE)', () => {
    for (const cluster of loadDeclaredFleet().clusters) {
      const issuer = infraProfileOf(cluster).derivedTokenIssuer(cluster);
      if (cluster.cloud === 'gcp')
        expect(issuer).toMatch(/^https:\/\/container\.googleapis\.com\/v1\/projects\//);
      else expect(issuer).toBeUndefined();
    }
  });
});
