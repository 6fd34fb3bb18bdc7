import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { NamespacePolicy, PolicyRule, RulePeer } from '../kernel/flows';

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function peerOf(peer: RulePeer): k8s.NetworkPolicyPeer {
  if ('namespace' in peer) {
    return {
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace } },
      ...(peer.pods ? { podSelector: { matchLabels: { ...peer.pods } } } : {}),
    };
  }
  if ('anyNamespace' in peer) return { namespaceSelector: {} };
  return { ipBlock: { cidr: peer.cidr } };
}

function portsOf(rule: PolicyRule): k8s.NetworkPolicyPort[] | undefined {
  return rule.ports?.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }));
}

/** Reasons for each rule, in rule order, so reviewers see why a path is open. */
function reasons(rules: readonly PolicyRule[]): Record<string, string> {
  return { 'ml-platform.io/rule-reasons': rules.map((rule, i) => `${i + 1}. ${rule.reason}`).join('\n') };
}

/**
 * A namespace's network posture: deny everything, then allow DNS, traffic
 * within the namespace, and exactly the paths the components' flows give it
 * (platform/kernel/flows.ts).
 */
export class NamespaceNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, plan: NamespacePolicy) {
    super(scope, id);
    const namespace = plan.namespace.name;

    new k8s.KubeNetworkPolicy(this, 'default-deny', {
      metadata: { name: 'default-deny', namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });

    new k8s.KubeNetworkPolicy(this, 'allow-dns', {
      metadata: { name: 'allow-dns', namespace },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
              { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
            ],
          },
        ],
      },
    });

    new k8s.KubeNetworkPolicy(this, 'allow-same-namespace', {
      metadata: { name: 'allow-same-namespace', namespace },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
      },
    });

    if (plan.ingress.length > 0) {
      new k8s.KubeNetworkPolicy(this, 'allow-ingress', {
        metadata: { name: 'allow-ingress', namespace, annotations: reasons(plan.ingress) },
        spec: {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: plan.ingress.map((rule) => ({ from: rule.peers.map(peerOf), ports: portsOf(rule) })),
        },
      });
    }

    if (plan.egress.length > 0) {
      new k8s.KubeNetworkPolicy(this, 'allow-egress', {
        metadata: { name: 'allow-egress', namespace, annotations: reasons(plan.egress) },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: plan.egress.map((rule) => ({ to: rule.peers.map(peerOf), ports: portsOf(rule) })),
        },
      });
    }
  }
}
