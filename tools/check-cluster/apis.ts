/**
 * Check 5, APIs: objects on an API the fleet's Kubernetes version no longer serves (or serves
 * deprecated), and custom resources whose group and kind no CRD of the cluster provides.
 */
import { type ClusterModel, describeObject } from './model';
import type { ClusterProblem } from './problem';
import { type CloudFacts, reporter } from './references';

/** The fleet's Kubernetes minor (docs/versions.md). */
export const KUBERNETES_VERSION = '1.35';

/** Built-in group versions a 1.35 API server serves by default. */
const BUILT_IN = new Set([
  'v1',
  'admissionregistration.k8s.io/v1',
  'apiextensions.k8s.io/v1',
  'apiregistration.k8s.io/v1',
  'apps/v1',
  'authentication.k8s.io/v1',
  'authorization.k8s.io/v1',
  'autoscaling/v1',
  'autoscaling/v2',
  'batch/v1',
  'certificates.k8s.io/v1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'events.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1',
  'networking.k8s.io/v1',
  'node.k8s.io/v1',
  'policy/v1',
  'rbac.authorization.k8s.io/v1',
  'resource.k8s.io/v1',
  'scheduling.k8s.io/v1',
  'storage.k8s.io/v1',
]);

/** Built-in groups: a version of theirs not in BUILT_IN is removed or off by default. */
const BUILT_IN_GROUPS = new Set([...BUILT_IN].map((gv) => (gv.includes('/') ? gv.split('/')[0] : '')));
BUILT_IN_GROUPS.add('extensions');

/** Versions removed from Kubernetes, with the release that removed them (kubernetes.io/docs/reference/using-api/deprecation-guide/). */
const REMOVED: readonly { readonly apiVersion: string; readonly removedIn: string }[] = [
  { apiVersion: 'extensions/v1beta1', removedIn: '1.22' },
  { apiVersion: 'apps/v1beta1', removedIn: '1.16' },
  { apiVersion: 'apps/v1beta2', removedIn: '1.16' },
  { apiVersion: 'networking.k8s.io/v1beta1', removedIn: '1.22' },
  { apiVersion: 'admissionregistration.k8s.io/v1beta1', removedIn: '1.22' },
  { apiVersion: 'apiextensions.k8s.io/v1beta1', removedIn: '1.22' },
  { apiVersion: 'apiregistration.k8s.io/v1beta1', removedIn: '1.22' },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', removedIn: '1.22' },
  { apiVersion: 'scheduling.k8s.io/v1beta1', removedIn: '1.22' },
  { apiVersion: 'coordination.k8s.io/v1beta1', removedIn: '1.22' },
  { apiVersion: 'certificates.k8s.io/v1beta1', removedIn: '1.22' },
  { apiVersion: 'storage.k8s.io/v1beta1', removedIn: '1.22' },
  { apiVersion: 'batch/v1beta1', removedIn: '1.25' },
  { apiVersion: 'discovery.k8s.io/v1beta1', removedIn: '1.25' },
  { apiVersion: 'events.k8s.io/v1beta1', removedIn: '1.25' },
  { apiVersion: 'autoscaling/v2beta1', removedIn: '1.25' },
  { apiVersion: 'policy/v1beta1', removedIn: '1.25' },
  { apiVersion: 'node.k8s.io/v1beta1', removedIn: '1.25' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', removedIn: '1.26' },
  { apiVersion: 'autoscaling/v2beta2', removedIn: '1.26' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', removedIn: '1.29' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', removedIn: '1.32' },
];

/** Versions still served but deprecated, with what replaces them. */
const DEPRECATED: Readonly<Record<string, string>> = {
  'networking.istio.io/v1alpha3': 'networking.istio.io/v1',
  'networking.istio.io/v1beta1': 'networking.istio.io/v1',
  'security.istio.io/v1beta1': 'security.istio.io/v1',
  'telemetry.istio.io/v1alpha1': 'telemetry.istio.io/v1',
};

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

export function checkApis(model: ClusterModel, cloud: Pick<CloudFacts, 'customResources'>): ClusterProblem[] {
  const problems: ClusterProblem[] = [];
  const report = reporter(model.tree.cluster, 'apis', problems);
  const { tree } = model;
  const crdVersions = new Map<string, Set<string>>();
  for (const crd of tree.ofKind('CustomResourceDefinition')) {
    const key = `${crd.body.spec?.group}/${crd.body.spec?.names?.kind}`;
    crdVersions.set(
      key,
      new Set(
        (crd.body.spec?.versions ?? [])
          .filter((v: { served?: boolean }) => v.served !== false)
          .map((v: { name: string }) => v.name),
      ),
    );
  }
  const provided = new Set<string>([
    ...crdVersions.keys(),
    ...tree.chartObjects.flatMap(({ objects }) =>
      (objects.customResources ?? []).map((r) => `${r.group}/${r.kind}`),
    ),
    ...cloud.customResources,
  ]);
  for (const object of tree.objects) {
    const { apiVersion, kind } = object;
    const removed = REMOVED.find((r) => r.apiVersion === apiVersion);
    if (removed) {
      report(
        object,
        `${apiVersion} ${kind} was removed in Kubernetes ${removed.removedIn}; the fleet runs ${KUBERNETES_VERSION}`,
      );
      continue;
    }
    const replacement = DEPRECATED[apiVersion];
    if (replacement) report(object, `${apiVersion} is deprecated; use ${replacement}`);
    const group = groupOf(apiVersion);
    if (BUILT_IN_GROUPS.has(group)) {
      if (!BUILT_IN.has(apiVersion))
        report(
          object,
          `${apiVersion} is not served by a Kubernetes ${KUBERNETES_VERSION} API server by default`,
        );
      continue;
    }
    const key = `${group}/${kind}`;
    if (!provided.has(key)) {
      report(
        object,
        `no CRD of the cluster provides ${key} (neither rendered, declared by a chart nor installed by the cloud)`,
      );
      continue;
    }
    const versions = crdVersions.get(key);
    const version = apiVersion.split('/')[1];
    if (versions && !versions.has(version))
      report(object, `the CRD of ${key} serves ${[...versions].join(', ')}, not ${version}`);
  }
  return problems;
}

export { describeObject };
