import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ARGOCD_CHART } from '../../argocd/settings';
import { loadDeclaredFleet } from '../../clusters';
import { bootstrapValues } from '../../tools/gitops/bootstrap-values';
import { renderFleet } from '../../tools/synth/render';

type Json = Record<string, any>;
const fleet = loadDeclaredFleet();
const tree = renderFleet(fleet);

/**
 * The `resource.exclusions` argocd-cm gets by default from the argo-cd chart
 * 10.1.1 (Argo CD 3.x): Argo CD neither watches nor applies these kinds.
 */
const DEFAULT_EXCLUSIONS = [
  { apiGroups: ['', 'discovery.k8s.io'], kinds: ['Endpoints', 'EndpointSlice'] },
  { apiGroups: ['coordination.k8s.io'], kinds: ['Lease'] },
  {
    apiGroups: ['authentication.k8s.io', 'authorization.k8s.io'],
    kinds: [
      'SelfSubjectReview',
      'TokenReview',
      'LocalSubjectAccessReview',
      'SelfSubjectAccessReview',
      'SelfSubjectRulesReview',
      'SubjectAccessReview',
    ],
  },
  { apiGroups: ['certificates.k8s.io'], kinds: ['CertificateSigningRequest'] },
  { apiGroups: ['cert-manager.io'], kinds: ['CertificateRequest'] },
  { apiGroups: ['cilium.io'], kinds: ['CiliumIdentity', 'CiliumEndpoint', 'CiliumEndpointSlice'] },
  {
    apiGroups: ['kyverno.io', 'reports.kyverno.io', 'wgpolicyk8s.io'],
    kinds: ['PolicyReport', 'ClusterPolicyReport', 'EphemeralReport', 'ClusterEphemeralReport'],
  },
];

describe.each(fleet.clusters.map((c) => [c.name, c] as const))('Argo CD on %s', (name) => {
  const self = tree.resources.find(
    (r) => r.cluster === name && r.kind === 'Application' && r.name === 'argo-cd',
  )?.object as Json;

  it('installs Argo CD 3 (chart 10.1.1) server-side, as its upgrade notes require of a self-managed Argo CD', () => {
    expect(ARGOCD_CHART.version).toBe('10.1.1');
    expect(self.spec.source).toMatchObject({ chart: 'argo-cd', targetRevision: '10.1.1' });
    // The ApplicationSet CRD of Argo CD 3.3+ is too large for client-side apply.
    expect(self.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
  });

  it('bootstraps with exactly the values the self-managing Application gives the chart', () => {
    expect(parse(bootstrapValues(name))).toEqual(self.spec.source.helm.valuesObject);
  });

  it("keeps the chart's NetworkPolicies off, so the platform's policy is the only one for the namespace", () => {
    const values = self.spec.source.helm.valuesObject;
    // Chart 10.0.0 creates them by default, and the server's admits every source.
    expect(values.global.networkPolicy.create).toBe(false);
    expect(
      tree.resources.some(
        (r) => r.cluster === name && r.kind === 'NetworkPolicy' && r.namespace === 'argocd',
      ),
    ).toBe(true);
  });

  it("keeps Argo CD 3's defaults: annotation tracking and the default resource exclusions", () => {
    const cm = self.spec.source.helm.valuesObject.configs.cm;
    expect(cm['application.resourceTrackingMethod'] ?? 'annotation').toBe('annotation');
    expect(cm).not.toHaveProperty('resource.exclusions');
    expect(cm).not.toHaveProperty('server.rbac.log.enforce.enable');
  });

  it('renders no object of a kind Argo CD excludes by default, which it would never apply', () => {
    for (const resource of tree.resources.filter((r) => r.cluster === name)) {
      const apiVersion = String((resource.object as Json).apiVersion);
      const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
      const excluded = DEFAULT_EXCLUSIONS.some(
        (e) => e.apiGroups.includes(group ?? '') && e.kinds.includes(resource.kind),
      );
      expect(excluded ? `${resource.kind}/${resource.name}` : undefined).toBeUndefined();
    }
  });
});

describe('argocd:values', () => {
  it('names the clusters of the fleet when given an unknown one', () => {
    expect(() => bootstrapValues('nowhere')).toThrow(/no cluster "nowhere".*eks-prod/);
  });

  it('is what the bootstrap in docs/gitops.md installs, at the pinned chart version', () => {
    const page = readFileSync(join(__dirname, '..', '..', 'docs', 'gitops.md'), 'utf8');
    const command = page.match(
      /argocd:values -- \$CLUSTER \| helm install argo-cd argo-cd \\\n\s+--repo (\S+) --version (\S+)/,
    );
    expect(command?.[1]).toBe(ARGOCD_CHART.repoURL);
    expect(command?.[2]).toBe(ARGOCD_CHART.version);
  });
});
