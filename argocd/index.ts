import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { Construct } from 'constructs';
import { CLOUD_SECRET_STORE } from '../platform/secrets';
import { type Component, type ComponentProps, PlatformChart } from '../platform/synth/chart';
import type { HelmRelease } from '../platform/synth/helm';
import type { RenderedResource } from '../platform/synth/render';
import { typedObject } from '../platform/synth/typed';
import { componentApplication, helmApplication, rootApplication } from './applications';
import { appProjects } from './projects';
import { argocdRelease, NOTIFICATIONS_SECRET, slackTokenSecret } from './self';
import { ARGOCD_NAMESPACE, SYNC_WAVE } from './settings';
import { type ObjectRef, planSyncWaves, SyncOrderError, type SyncUnit, unitFromObjects } from './waves';

/** The argocd folder's own objects other than Applications and projects, synced by the root. */
const CONFIG_UNIT = 'argocd-config';

/** The Slack token for notifications, copied from the cloud secret store. */
function notificationsSecret(props: ComponentProps): IExternalSecret {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: NOTIFICATIONS_SECRET, namespace: ARGOCD_NAMESPACE },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: CLOUD_SECRET_STORE },
      target: { name: NOTIFICATIONS_SECRET, creationPolicy: 'Owner' },
      data: [{ secretKey: 'slack-token', remoteRef: { key: slackTokenSecret(props.cluster) } }],
    },
  };
}

function asObjectRef(object: {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string };
}): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata?.name ?? '',
    namespace: object.metadata?.namespace,
    object: object as unknown as Record<string, unknown>,
  };
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
    const config = [notificationsSecret(props)];

    const objectsByComponent = new Map<string, RenderedResource[]>();
    for (const resource of earlier.resources) {
      objectsByComponent.set(resource.component, [
        ...(objectsByComponent.get(resource.component) ?? []),
        resource,
      ]);
    }
    const units = [
      ...[...objectsByComponent].map(([component, objects]) => unitFromObjects(component, objects)),
      ...releases.map(unitFromRelease),
      unitFromObjects(CONFIG_UNIT, config.map(asObjectRef)),
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

    for (const project of appProjects(cluster, fleet, releases)) {
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
    for (const object of config) {
      const annotations = { ...object.metadata?.annotations, [SYNC_WAVE]: String(waveOf(CONFIG_UNIT)) };
      typedObject(this, `config-${object.metadata?.name}`, {
        ...object,
        metadata: { ...object.metadata, annotations },
      });
    }
  }
}

export const argocdComponent: Component = {
  name: 'argocd',
  project: 'platform',
  build: (scope, props) => new ArgoCdChart(scope, props, argocdRelease(props.cluster)),
  helmReleases: (props) => [argocdRelease(props.cluster)],
};
