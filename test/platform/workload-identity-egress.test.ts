/**
 * GKE hands Workload Identity tokens out at its metadata server, a link-local address the
 * namespaces' egress to the cloud on 443 does not reach: every namespace holding a workload with a
 * cloud identity gets a flow to the endpoint the cloud profile declares, and no other namespace does.
 */
import { loadDeclaredFleet } from '../../clusters';
import { profileFor } from '../../platform/clouds';
import type {
  CloudWorkloadDeclaration,
  ClusterDeclarations,
  Contribution,
} from '../../platform/kernel/contribution';
import { declarationProblems, namespacePolicies } from '../../platform/kernel/flows';
import { declaredFor } from './declared';

const fleet = loadDeclaredFleet();

/** The namespaces whose egress policy opens a rule to `cidr` on `ports`. */
function namespacesReaching(
  declarations: ClusterDeclarations,
  cidr: string,
  ports: readonly number[],
): string[] {
  return namespacePolicies(declarations)
    .filter((plan) =>
      plan.egress.some(
        (rule) =>
          rule.peers.some((peer) => 'cidr' in peer && peer.cidr === cidr) &&
          JSON.stringify(rule.ports) === JSON.stringify(ports),
      ),
    )
    .map((plan) => plan.namespace.name)
    .sort();
}

describe('egress to where workload identities fetch their credentials', () => {
  it.each(fleet.clusters.map((c) => [c.name, c] as const))('%s', (_name, cluster) => {
    const endpoint = profileFor(cluster).workloadIdentityEndpoint();
    const declarations = declaredFor(fleet, cluster);
    const workloadNamespaces = [
      ...new Set(
        [...declarations.values()]
          .flatMap((c) => c.cloudWorkloads ?? [])
          .map((w) => w.namespace)
          .filter((ns) => namespacePolicies(declarations).some((plan) => plan.namespace.name === ns)),
      ),
    ].sort();
    if (cluster.cloud === 'gcp') {
      // GKE with Dataplane V2: the metadata server on 169.254.169.254:80.
      expect(endpoint).toMatchObject({ cidr: '169.254.169.254/32', ports: [80] });
      expect(workloadNamespaces).toEqual(
        expect.arrayContaining([
          'external-secrets',
          'logging',
          'ml-platform',
          'ml-serving',
          'opencost',
          'velero',
        ]),
      );
    } else {
      // IRSA and Entra Workload ID fetch tokens from the cloud's token service on 443.
      expect(endpoint).toBeUndefined();
    }
    const metadata = { cidr: endpoint?.cidr ?? '169.254.169.254/32', ports: endpoint?.ports ?? [80] };
    expect(namespacesReaching(declarations, metadata.cidr, metadata.ports)).toEqual(
      endpoint ? workloadNamespaces : [],
    );
  });

  const workload = (name: string, namespace: string): CloudWorkloadDeclaration => ({
    name,
    namespace,
    serviceAccount: name,
    purpose: 'test',
    buckets: [],
    secrets: [],
  });
  const endpoint = { cidr: '169.254.169.254/32', ports: [80], what: 'the metadata server' };
  const declarations = (withEndpoint: boolean): ClusterDeclarations =>
    new Map<string, Contribution>([
      ['cloud', withEndpoint ? { credentialEndpoint: endpoint } : {}],
      [
        'app',
        {
          namespaces: [
            { name: 'app', podSecurity: 'restricted', mesh: false },
            { name: 'quiet', podSecurity: 'restricted', mesh: false },
          ],
          // Two workloads in one namespace, and one where the platform renders no policy.
          cloudWorkloads: [
            workload('reader', 'app'),
            workload('writer', 'app'),
            workload('lb', 'kube-system'),
          ],
        },
      ],
    ]);

  it('is one rule per namespace of a cloud workload, declared by no component, and no declaration problem', () => {
    const plans = namespacePolicies(declarations(true));
    expect(plans.find((p) => p.namespace.name === 'app')?.egress).toEqual([
      {
        reason: 'pods with a cloud identity fetch their credentials from the metadata server',
        peers: [{ cidr: '169.254.169.254/32' }],
        ports: [80],
      },
    ]);
    expect(plans.find((p) => p.namespace.name === 'quiet')?.egress).toEqual([]);
    expect(declarationProblems(declarations(true))).toEqual([]);
  });

  it('is nothing where the cloud names no endpoint', () => {
    expect(namespacePolicies(declarations(false)).flatMap((p) => p.egress)).toEqual([]);
  });
});
