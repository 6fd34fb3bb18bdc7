import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { ClusterSpec, Fleet } from '../clusters/types';
import type { ArgoProject } from '../platform/kernel/chart';
import type { HelmRelease } from '../platform/kernel/helm';
import {
  ARGOCD_NAMESPACE,
  IN_CLUSTER,
  PROVIDES_CRDS,
  ROOT_APPLICATION,
  SYNC_RETRY,
  SYNC_WAVE,
} from './settings';
import type { ObjectRef } from './waves';

type ApplicationSpec = NonNullable<IApplication['spec']>;
type IgnoreDifference = NonNullable<ApplicationSpec['ignoreDifferences']>[number];

/** Where a cluster's component folder lives in the repository. */
export function componentPath(cluster: ClusterSpec, component: string): string {
  return `dist/${cluster.name}/${component}`;
}

/**
 * Sync behaviour shared by every Application: automated with prune and
 * self-heal, but never syncing an empty source (a broken commit that empties
 * a folder must not prune a cluster), pruning last, retrying with backoff.
 */
function syncPolicy(extraOptions: readonly string[]): ApplicationSpec['syncPolicy'] {
  return {
    automated: { prune: true, selfHeal: true, allowEmpty: false },
    // Namespaces come from the base component; an Application never invents one.
    syncOptions: [
      'CreateNamespace=false',
      'PruneLast=true',
      'RespectIgnoreDifferences=true',
      ...extraOptions,
    ],
    retry: SYNC_RETRY,
  };
}

/**
 * An Application object. No `resources-finalizer.argocd.argoproj.io`
 * finalizer: deleting an Application (or the root pruning it) leaves its
 * resources running instead of cascading the deletion into the cluster.
 */
function application(
  name: string,
  project: ArgoProject,
  wave: number,
  spec: Omit<ApplicationSpec, 'project' | 'syncPolicy'>,
  options: { syncOptions?: readonly string[]; annotations?: Record<string, string> } = {},
): IApplication {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name,
      namespace: ARGOCD_NAMESPACE,
      annotations: { [SYNC_WAVE]: String(wave), ...options.annotations },
    },
    spec: { project, ...spec, syncPolicy: syncPolicy(options.syncOptions ?? []), revisionHistoryLimit: 10 },
  };
}

/** Fields controllers own: replicas of a workload an HPA scales. */
function hpaOwnedReplicas(objects: readonly ObjectRef[]): IgnoreDifference[] {
  return objects
    .filter((o) => o.kind === 'HorizontalPodAutoscaler')
    .map((hpa) => {
      const target = (
        hpa.object.spec as { scaleTargetRef: { apiVersion?: string; kind: string; name: string } }
      ).scaleTargetRef;
      return {
        group: target.apiVersion?.split('/')[0] ?? 'apps',
        kind: target.kind,
        name: target.name,
        namespace: hpa.namespace,
        jsonPointers: ['/spec/replicas'],
      };
    });
}

/** Fields cert controllers inject into what operator charts install. */
const INJECTED_CA_BUNDLES: IgnoreDifference[] = [
  {
    group: 'admissionregistration.k8s.io',
    kind: 'MutatingWebhookConfiguration',
    jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
  },
  {
    group: 'admissionregistration.k8s.io',
    kind: 'ValidatingWebhookConfiguration',
    jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
  },
  {
    group: 'apiextensions.k8s.io',
    kind: 'CustomResourceDefinition',
    jqPathExpressions: ['.spec.conversion.webhook.clientConfig.caBundle'],
  },
];

export interface ComponentApplicationProps {
  readonly cluster: ClusterSpec;
  readonly fleet: Fleet;
  readonly component: string;
  readonly project: ArgoProject;
  readonly wave: number;
  readonly objects: readonly ObjectRef[];
  /** The component creates objects of a kind whose CRD it installs itself. */
  readonly installsOwnCrds: boolean;
}

/** The Application syncing one component folder of the cluster's tree. */
export function componentApplication(props: ComponentApplicationProps): IApplication {
  const ignoreDifferences = hpaOwnedReplicas(props.objects);
  return application(
    props.component,
    props.project,
    props.wave,
    {
      source: {
        repoURL: props.fleet.settings.repoUrl,
        targetRevision: props.fleet.settings.targetRevision,
        path: componentPath(props.cluster, props.component),
        directory: { recurse: false },
      },
      destination: { server: IN_CLUSTER },
      ...(ignoreDifferences.length > 0 ? { ignoreDifferences } : {}),
    },
    // The CRD is not in the cluster yet when Argo CD dry-runs the sync that installs it.
    { syncOptions: props.installsOwnCrds ? ['SkipDryRunOnMissingResource=true'] : [] },
  );
}

/** The Application installing an upstream chart at its pinned version. */
export function helmApplication(release: HelmRelease, wave: number): IApplication {
  return application(
    release.name,
    'platform',
    wave,
    {
      source: {
        repoURL: release.repoURL,
        chart: release.chart,
        targetRevision: release.version,
        helm: { releaseName: release.name, valuesObject: release.values as Record<string, never> },
      },
      destination: { server: IN_CLUSTER, namespace: release.namespace },
      ignoreDifferences: [
        ...INJECTED_CA_BUNDLES,
        ...(release.ignoreDifferences ?? []).map(({ jsonPointers, jqPathExpressions, ...field }) => ({
          ...field,
          ...(jsonPointers ? { jsonPointers: [...jsonPointers] } : {}),
          ...(jqPathExpressions ? { jqPathExpressions: [...jqPathExpressions] } : {}),
        })),
      ],
    },
    {
      syncOptions: release.serverSideApply ? ['ServerSideApply=true'] : [],
      annotations:
        release.providesCrds.length > 0
          ? { [PROVIDES_CRDS]: [...release.providesCrds].sort().join(',') }
          : {},
    },
  );
}

/** The app-of-apps: syncs the cluster's argocd folder, this Application's own file included. */
export function rootApplication(cluster: ClusterSpec, fleet: Fleet): IApplication {
  return application(ROOT_APPLICATION, 'platform', 0, {
    source: {
      repoURL: fleet.settings.repoUrl,
      targetRevision: fleet.settings.targetRevision,
      path: componentPath(cluster, 'argocd'),
      directory: { recurse: false },
    },
    destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
  });
}
