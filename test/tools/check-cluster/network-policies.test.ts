import { ANYWHERE, NetworkPolicies } from '../../../tools/check-cluster/network-policies';
import { type ClusterObject, readClusterTree } from '../../../tools/check-cluster/tree';
import { DIST_DIR } from '../../../tools/tree/layout';

const PROMETHEUS = {
  namespace: 'monitoring',
  labels: { 'app.kubernetes.io/name': 'prometheus', prometheus: 'kube-prometheus-stack-prometheus' },
};

describe('the NetworkPolicy evaluator on the rendered eks-prod tree', () => {
  const policies = new NetworkPolicies(readClusterTree(DIST_DIR, 'eks-prod').objects);

  it('lets through what the policies list', () => {
    expect(policies.connection(PROMETHEUS, { namespace: 'ml-serving', port: 8501 })).toEqual({
      allowed: true,
    });
    expect(
      policies.connection(
        { namespace: 'ml-serving' },
        { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, port: 53, protocol: 'UDP' },
      ),
    ).toEqual({ allowed: true });
  });

  it('refuses what they do not, naming the policies of the end that decides', () => {
    // Jobs may push to the Pushgateway, not talk to Prometheus' API.
    expect(policies.connection({ namespace: 'ml-serving' }, { namespace: 'monitoring', port: 9090 })).toEqual(
      {
        allowed: false,
        side: 'egress',
        policies: expect.arrayContaining([
          'NetworkPolicy ml-serving/allow-egress',
          'NetworkPolicy ml-serving/default-deny',
        ]),
      },
    );
    // Nothing outside the cluster reaches a model server directly.
    expect(policies.connection(ANYWHERE, { namespace: 'ml-serving', port: 8501 })).toMatchObject({
      allowed: false,
      side: 'ingress',
    });
  });

  it('leaves a namespace without policies open', () => {
    expect(policies.connection(ANYWHERE, { namespace: 'kube-system', port: 10250 })).toEqual({
      allowed: true,
    });
  });
});

describe('NetworkPolicy semantics', () => {
  const policy = (spec: Record<string, unknown>): ClusterObject => ({
    file: 'x.yaml',
    component: 'base',
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    name: 'p',
    namespace: 'a',
    body: { metadata: { name: 'p', namespace: 'a' }, spec },
  });

  it('admits an address only from an ipBlock covering its whole range, outside every exception', () => {
    const policies = new NetworkPolicies([
      policy({
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }],
      }),
    ]);
    expect(policies.ingress({ cidr: '10.2.0.0/16', what: 'VPC' }, { namespace: 'a' }).allowed).toBe(true);
    expect(policies.ingress({ cidr: '10.1.2.0/24', what: 'excepted' }, { namespace: 'a' }).allowed).toBe(
      false,
    );
    expect(policies.ingress(ANYWHERE, { namespace: 'a' }).allowed).toBe(false);
  });

  it('matches named ports, port ranges and protocols', () => {
    const policies = new NetworkPolicies([
      policy({
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          { ports: [{ port: 'metrics' }, { port: 8000, endPort: 8100 }, { port: 53, protocol: 'UDP' }] },
        ],
      }),
    ]);
    const from = { namespace: 'b' };
    expect(policies.ingress(from, { namespace: 'a', portName: 'metrics' }).allowed).toBe(true);
    expect(policies.ingress(from, { namespace: 'a', port: 8050 }).allowed).toBe(true);
    expect(policies.ingress(from, { namespace: 'a', port: 8101 }).allowed).toBe(false);
    expect(policies.ingress(from, { namespace: 'a', port: 53 }).allowed).toBe(false);
    expect(policies.ingress(from, { namespace: 'a', port: 53, protocol: 'UDP' }).allowed).toBe(true);
  });
});
