/** The CIDR arithmetic every layer shares: the fleet checks (clusters/validate.ts), the network plan and the reachability checks. */
import { contains, overlaps } from '../../infra/cidr';

test.each([
  ['10.10.0.0/16', '10.10.0.0/16', true],
  ['10.10.0.0/16', '10.10.128.0/17', true],
  ['10.10.128.0/17', '10.10.0.0/16', true],
  ['10.0.0.0/8', '10.255.255.255/32', true],
  ['10.10.0.0/17', '10.10.128.0/17', false],
  ['10.10.0.0/16', '10.11.0.0/16', false],
  ['192.168.0.0/24', '10.0.0.0/8', false],
])('%s and %s overlap: %s', (a, b, expected) => {
  expect(overlaps(a, b)).toBe(expected);
});

test.each([
  ['10.10.0.0/16', '10.10.4.0/24', true],
  ['10.10.0.0/16', '10.10.0.0/16', true],
  ['10.10.4.0/24', '10.10.0.0/16', false],
  ['10.10.0.0/16', '10.11.0.0/24', false],
])('%s contains %s: %s', (outer, inner, expected) => {
  expect(contains(outer, inner)).toBe(expected);
});
