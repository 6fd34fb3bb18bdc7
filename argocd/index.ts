import type { Construct } from 'constructs';
import { type Component, type ComponentProps, PlatformChart } from '../platform/kernel/chart';
import { namespacesOf } from '../platform/kernel/flows';
import type { HelmRelease } from '../platform/kernel/helm';
import type { RenderedResource } from '../platform/kernel/rendered-resource';
import { typedObject } from '../platform/kernel/typed';
import { CloudSecret } from '../platform/secrets';
import { componentApplication, helmApplication, rootApplication } from './applications';
import { argocdChartObjects } from './chart-objects';
import { argocdContribution } from './contributes';
import { appProjects } from './projects';
import { argocdRelease, NOTIFICATIONS_SECRET, slackTokenSecret } from './self';
import { ARGOCD_NAMESPACE, SYNC_WAVE } from './settings';
import {
  type ObjectRef,
  planSyncWaves,
  podNamespaces,
  SyncOrderError,
  type SyncUnit,
  unitFromObjects,
} from './waves';

/** The argocd folder's own objects other than Applications and projects, synced by the root. */
const CONFIG_UNIT = 'argocd-config';

/**
 * What the root Application syncs besides projects and Applications: the
 * Slack token for notifications, copied from the cloud secret store. Its
 * sync wave is computed like every other unit's, from the kinds it uses.
 */
const CONFIG_OBJECTS: ObjectRef[] = [
  {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    name: NOTIFICATIONS_SECRET,
    namespace: ARGOCD_NAMESPACE,
    object: {},
  },
];

/** The releases that pods of these objects need running first (`neededByPodsIn`). */
function releasesNeededByPods(objects: readonly ObjectRef[], releases: readonly HelmRelease[]): string[] {
  const namespaces = podNamespaces(objects);
  return releases
    .filter((release) => release.neededByPodsIn?.some((namespace) => namespaces.includes(namespace)))
    .map((release) => release.name);
}

function unitFromRelease(release: HelmRelease): SyncUnit {
  return {
    name: release.name,
    namespaces: [release.namespace],
    createsNamespaces: [],
    usesKinds: [],
    providesCrds: release.providesCrds,
    requires: release.requires ?? [],
  };
}

/**
 * The cluster's Argo CD configuration: its projects, one Application per
 * component folder and per upstream chart with computed sync waves, the
 * root Application that syncs them all, and Argo CD managing itself.
 * It comes last in the component list, because it describes the others.
 */
export class ArgoCdChart extends PlatformChart {
  constructor(scope: Construct, props: ComponentProps, self: HelmRelease) {
    super(scope, 'argocd', props);
    const { cluster, fleet, earlier } = props;
    const releases = [...earlier.releases, self];

    const objectsByComponent = new Map<string, RenderedResource[]>();
    for (const resource of earlier.resources) {
      objectsByComponent.set(resource.component, [
        ...(objectsByComponent.get(resource.component) ?? []),
        resource,
      ]);
    }
    const units = [
      ...[...objectsByComponent].map(([component, objects]) =>
        unitFromObjects(component, objects, releasesNeededByPods(objects, releases)),
      ),
      ...releases.map(unitFromRelease),
      unitFromObjects(CONFIG_UNIT, CONFIG_OBJECTS),
    ];

    let plan: ReturnType<typeof planSyncWaves>;
    try {
      plan = planSyncWaves(units);
    } catch (error) {
      if (!(error instanceof SyncOrderError)) throw error;
      // Reported by synthesis with this construct's path, like every other problem.
      this.node.addValidation({ validate: () => error.problems.map((p) => `sync order: ${p}`) });
      return;
    }
    const waveOf = (unit: string) => plan.waves.get(unit) ?? 0;

    for (const project of appProjects(cluster, fleet, releases, namespacesOf(props.declarations))) {
      typedObject(this, `project-${project.metadata?.name}`, project);
    }
    typedObject(this, 'root', rootApplication(cluster, fleet));
    for (const [component, objects] of objectsByComponent) {
      typedObject(
        this,
        `app-${component}`,
        componentApplication({
          cluster,
          fleet,
          component,
          project: earlier.projects.get(component) ?? 'platform',
          wave: waveOf(component),
          objects,
          installsOwnCrds: plan.installOwnCrds.has(component),
        }),
      );
    }
    for (const release of releases)
      typedObject(this, `release-${release.name}`, helmApplication(release, waveOf(release.name)));
    new CloudSecret(this, `config-${NOTIFICATIONS_SECRET}`, {
      name: NOTIFICATIONS_SECRET,
      namespace: ARGOCD_NAMESPACE,
      remoteKey: slackTokenSecret(cluster),
      keys: { 'slack-token': undefined },
      annotations: { [SYNC_WAVE]: String(waveOf(CONFIG_UNIT)) },
    });
  }
}

export const argocdComponent: Component = {
  name: 'argocd',
  project: 'platform',
  build: (scope, props) => new ArgoCdChart(scope, props, argocdRelease(props.cluster)),
  helmReleases: (props) => [argocdRelease(props.cluster)],
  contributes: (props) => ({
    ...argocdContribution(),
    chartObjects: argocdChartObjects(argocdRelease(props.cluster)),
  }),
};
