import * as ipaddr from 'ipaddr.js';
import type { ClusterSpec } from '../../clusters/types';
import { overlaps as cidrOverlaps, hostAddress, pairedRegionRange, subnet } from '../../infra/cidr';
import { planFor } from '../../infra/plan';
import { fleet } from './helpers';

const parse = (cidr: string) => ipaddr.IPv4.parseCIDR(cidr);
const overlaps = (a: string, b: string) => parse(a)[0].match(parse(b)) || parse(b)[0].match(parse(a));

describe('subnet', () => {
  it('counts blocks of the asked size from the start of the parent range', () => {
    expect(subnet('10.10.0.0/16', 19, 0)).toBe('10.10.0.0/19');
    expect(subnet('10.10.0.0/16', 19, 7)).toBe('10.10.224.0/19');
    expect(subnet('10.20.0.0/16', 28, 4095)).toBe('10.20.255.240/28');
    expect(subnet('172.20.0.0/12', 16, 1)).toBe('172.17.0.0/16');
  });

  it('refuses a block that does not fit, saying how many there are', () => {
    expect(() => subnet('10.10.0.0/16', 19, 8)).toThrow(
      '10.10.0.0/16 has no /19 block number 8 (it holds 8)',
    );
    expect(() => subnet('10.10.0.0/16', 15, 0)).toThrow(
      '10.10.0.0/16 has no /15 block number 0 (it holds 0)',
    );
  });

  it('finds the n-th host address of a range', () => {
    expect(hostAddress('172.20.0.0/16', 10)).toBe('172.20.0.10');
    expect(() => hostAddress('10.0.0.0/30', 4)).toThrow(/no address number 4/);
  });
});

describe('planFor', () => {
  it.each(fleet.clusters.map((c) => [c.name, c] as const))(
    '%s: carves disjoint subnets, all inside the VPC range',
    (_name, cluster: ClusterSpec) => {
      const { network } = planFor(fleet, cluster);
      const ranges = [
        ...network.zones.flatMap((z) => [z.privateCidr, z.publicCidr]),
        network.managedServicesCidr,
        network.controlPlaneCidr,
      ];
      for (const range of ranges) expect(parse(range)[0].match(parse(cluster.network.vpcCidr))).toBe(true);
      ranges.forEach((a, i) => {
        for (const b of ranges.slice(i + 1)) expect([a, b, overlaps(a, b)]).toEqual([a, b, false]);
      });
      expect(network.zones.map((z) => z.zone)).toEqual(cluster.zones);
    },
  );

  it('fails synthesis with the range when a VPC is too small for the layout', () => {
    const small = {
      ...fleet.clusters[0],
      network: { ...fleet.clusters[0].network, vpcCidr: '10.10.0.0/27' },
    };
    expect(() => planFor(fleet, small)).toThrow(
      '10.10.0.0/27 is too small for this layout: it would need /33 blocks',
    );
  });

  it('gives each cloud workload its identity, token subject and only its own buckets and secrets', () => {
    for (const cluster of fleet.clusters) {
      const plan = planFor(fleet, cluster);
      for (const identity of plan.identities) {
        expect(identity.subject).toBe(
          `system:serviceaccount:${identity.workload.namespace}:${identity.workload.serviceAccount}`,
        );
        expect(identity.buckets.map((b) => b.role)).toEqual(identity.workload.buckets.map((b) => b.bucket));
        expect(identity.secrets.every((s) => plan.secrets.some((p) => p.name === s))).toBe(true);
      }
    }
  });
});

describe('pairedRegionRange', () => {
  it('flips the top bit of the second octet and keeps a /24', () => {
    expect(pairedRegionRange('10.30.0.0/16')).toBe('10.158.0.0/24');
    expect(pairedRegionRange('10.158.0.0/16')).toBe('10.30.0.0/24');
    expect(pairedRegionRange('10.3.16.0/20')).toBe('10.131.16.0/24');
  });

  it('gives disjoint VPC ranges disjoint paired ranges', () => {
    const vpcs = ['10.10.0.0/16', '10.20.0.0/16', '10.30.0.0/16', '10.0.0.0/20', '10.0.16.0/20'];
    const paired = vpcs.map(pairedRegionRange);
    paired.forEach((a, i) => {
      for (const b of paired.slice(i + 1)) expect(cidrOverlaps(a, b)).toBe(false);
    });
  });

  it('refuses ranges it cannot mirror', () => {
    expect(() => pairedRegionRange('172.20.0.0/16')).toThrow(/inside 10\.0\.0\.0\/8/);
    expect(() => pairedRegionRange('10.0.0.0/8')).toThrow(/between \/9 and \/24/);
  });
});
