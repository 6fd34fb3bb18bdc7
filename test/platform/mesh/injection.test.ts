import { loadDeclaredFleet } from '../../../clusters';
import { profileFor } from '../../../platform/clouds';
import type { IstiodValues } from '../../../platform/mesh/chart-values';
import { ISTIO_CNI_RELEASE, istioReleases } from '../../../platform/mesh/istio';
import { injectionConfigFrom, injectSidecar } from '../../../tools/check-cluster/injection';
import { createContext } from '../../../tools/policy/context';
import { podTemplateOf } from '../../../tools/policy/kube';
import { POD_SECURITY_RULES } from '../../../tools/policy/rules/pod-security';
import type { PolicyObject } from '../../../tools/policy/types';
import { renderFleet } from '../../../tools/synth/render';
import { declaredFor } from '../declared';

type Json = Record<string, any>;
const fleet = loadDeclaredFleet();
const tree = renderFleet(fleet);

/** The Pod Security `restricted` violations of a pod, from the policy's own rules. */
function restrictedViolations(name: string, annotations: Record<string, string>, spec: Json): string[] {
  const pod: PolicyObject = {
    file: `${name}.yaml`,
    document: 1,
    apiVersion: 'v1',
    kind: 'Pod',
    name,
    value: { apiVersion: 'v1', kind: 'Pod', metadata: { name, annotations }, spec },
  };
  const context = createContext([pod], fleet);
  return POD_SECURITY_RULES.flatMap((rule) =>
    rule.check(pod, context).map((v) => `${rule.id}: ${v.message}`),
  );
}

/** Every workload the cluster renders into a namespace where istiod injects sidecars. */
function meshWorkloads(cluster: string) {
  const injected = new Set(
    tree.resources
      .filter(
        (r) =>
          r.cluster === cluster &&
          r.kind === 'Namespace' &&
          (r.object as Json).metadata.labels?.['istio-injection'] === 'enabled',
      )
      .map((r) => r.name),
  );
  return tree.resources.flatMap((r) => {
    if (r.cluster !== cluster || !r.namespace || !injected.has(r.namespace)) return [];
    const template = podTemplateOf({
      file: r.name,
      document: 1,
      apiVersion: r.apiVersion,
      kind: r.kind,
      name: r.name,
      namespace: r.namespace,
      value: r.object as Json,
    });
    return template ? [{ resource: r, template }] : [];
  });
}

describe.each(fleet.clusters.map((c) => [c.name, c] as const))('sidecar injection on %s', (name, cluster) => {
  const releases = istioReleases({
    cluster,
    profile: profileFor(cluster),
    declarations: declaredFor(fleet, cluster),
  });
  const istiod = releases.find((r) => r.name === 'istiod')?.values as unknown as IstiodValues;
  const workloads = meshWorkloads(name);

  it('injects into the gateway, the model servers and the jobs of ml-platform and ml-serving', () => {
    const namespaces = new Set(workloads.map((w) => w.resource.namespace));
    expect([...namespaces].sort()).toEqual(['ml-platform', 'ml-serving']);
    for (const namespace of namespaces) {
      const found = tree.resources.find(
        (r) => r.cluster === name && r.kind === 'Namespace' && r.name === namespace,
      );
      expect((found?.object as Json | undefined)?.metadata.labels['pod-security.kubernetes.io/enforce']).toBe(
        'restricted',
      );
    }
    expect(workloads.map((w) => w.resource.kind)).toEqual(expect.arrayContaining(['Deployment', 'CronJob']));
  });

  it.each([true, false])(
    'leaves every injected pod within restricted (native sidecars: %s)',
    (nativeSidecars) => {
      const problems = workloads.flatMap(({ resource, template }) => {
        const injected = injectSidecar(template, injectionConfigFrom(istiod), { nativeSidecars });
        const names = [...(injected.spec.initContainers ?? []), ...injected.spec.containers].map(
          (c) => c.name,
        );
        expect(names).toEqual(expect.arrayContaining(['istio-validation', 'istio-proxy']));
        return restrictedViolations(resource.name, { ...injected.annotations }, injected.spec).map(
          (problem) => `${resource.kind} ${resource.namespace}/${resource.name}: ${problem}`,
        );
      });
      expect(problems).toEqual([]);
    },
  );

  it('would be refused without the CNI agent: istio-init runs as root with NET_ADMIN and NET_RAW', () => {
    const withoutCni: IstiodValues = { ...istiod, cni: { enabled: false } };
    const [{ resource, template }] = workloads;
    const injected = injectSidecar(template, injectionConfigFrom(withoutCni), { nativeSidecars: true });
    const problems = restrictedViolations(resource.name, { ...injected.annotations }, injected.spec);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PSS-CAPABILITIES: .*"istio-init".*NET_ADMIN, NET_RAW/),
        expect.stringMatching(/^PSS-RUN-AS-NON-ROOT: .*"istio-init".*runAsUser is 0/),
      ]),
    );
  });

  it('runs the CNI node agent, and istiod injects for it, before any meshed workload syncs', () => {
    const cni = releases.find((r) => r.name === ISTIO_CNI_RELEASE);
    expect(cni?.chart).toBe('cni');
    expect(istiod.cni.enabled).toBe(true);
    const applications = tree.resources.filter((r) => r.cluster === name && r.kind === 'Application');
    const wave = (app: string) =>
      Number(
        (applications.find((a) => a.name === app)?.object as Json | undefined)?.metadata.annotations[
          'argocd.argoproj.io/sync-wave'
        ],
      );
    expect(wave(ISTIO_CNI_RELEASE)).toBeGreaterThan(0);
    const meshApps = new Set(workloads.map((w) => w.resource.component));
    expect([...meshApps]).toEqual(expect.arrayContaining(['gateway', 'model-serving']));
    for (const app of meshApps) {
      expect(wave(app)).toBeGreaterThan(wave(ISTIO_CNI_RELEASE));
      expect(wave(app)).toBeGreaterThan(wave('istiod'));
    }
  });
});
