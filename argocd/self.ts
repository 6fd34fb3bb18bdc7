import { secretName } from '../clusters/naming';
import type { ClusterSpec } from '../clusters/types';
import type { HelmRelease } from '../platform/kernel/helm';
import { teamLabels } from '../platform/kernel/pods';
import { embeddedYaml } from '../platform/kernel/serialize';
import type { ArgoCdChartValues } from './chart-values';
import { ARGOCD_TEAM } from './contributes';
import { ARGOCD_CHART, ARGOCD_NAMESPACE, NOTIFICATION_CHANNEL } from './settings';

/** Name of the Secret the notifications controller reads its Slack token from. */
export const NOTIFICATIONS_SECRET = 'argocd-notifications-secret';

/**
 * App-of-apps waves only wait for a child Application when Argo CD can judge
 * its health; since Argo CD 1.8 that needs this check in argocd-cm.
 */
const APPLICATION_HEALTH_CHECK = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil and obj.status.health ~= nil then
  hs.status = obj.status.health.status
  if obj.status.health.message ~= nil then
    hs.message = obj.status.health.message
  end
end
return hs
`;

const TRIGGERS = {
  'trigger.on-sync-failed': [
    { when: "app.status.operationState.phase in ['Error', 'Failed']", send: ['app-sync-failed'] },
  ],
  'trigger.on-health-degraded': [
    { when: "app.status.health.status == 'Degraded'", send: ['app-health-degraded'] },
  ],
};

const TEMPLATES = {
  'template.app-sync-failed': {
    message:
      ':x: {{.app.metadata.name}} failed to sync at {{.app.status.operationState.syncResult.revision}}: {{.app.status.operationState.message}}',
  },
  'template.app-health-degraded': {
    message: ':warning: {{.app.metadata.name}} is Degraded: {{.app.status.health.message}}',
  },
};

function asYamlStrings<K extends string>(entries: Record<K, unknown>): Record<K, string> {
  return Object.fromEntries(
    Object.entries(entries).map(([key, value]) => [key, embeddedYaml(value)]),
  ) as Record<K, string>;
}

/**
 * The chart values of a cluster's Argo CD: those of its self-managing
 * Application, and those `npm run argocd:values` prints for the bootstrap
 * `helm install`.
 */
export function argocdValues(cluster: ClusterSpec): ArgoCdChartValues {
  return {
    // Keep the CRDs when the release is removed: deleting them would delete every Application.
    crds: { keep: true },
    // The platform's own NetworkPolicies for the argocd namespace are the only ones; the chart's
    // (on by default since chart 10.0.0) would admit any source to the server.
    global: { networkPolicy: { create: false }, podLabels: teamLabels(ARGOCD_TEAM) },
    dex: { enabled: false },
    controller: { replicas: 1, metrics: { enabled: true } },
    server: { replicas: 2, metrics: { enabled: true } },
    repoServer: { replicas: 2, metrics: { enabled: true } },
    configs: {
      // Annotation-based resource tracking is Argo CD 3's default, so it is no longer set here;
      // the chart's default resource.exclusions and ignoreResourceUpdates are kept (maps merge).
      cm: { 'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_CHECK },
      params: { 'controller.diff.server.side': 'true' },
    },
    notifications: {
      enabled: true,
      // The Secret comes from the cloud secret store through an ExternalSecret, never from git.
      secret: { create: false },
      notifiers: { 'service.slack': '{ token: $slack-token }' },
      subscriptions: [
        {
          recipients: [`slack:${NOTIFICATION_CHANNEL}`],
          triggers: ['on-sync-failed', 'on-health-degraded'],
        },
      ],
      // argocd-notifications-cm holds each trigger and template as a YAML string.
      triggers: asYamlStrings(TRIGGERS),
      templates: asYamlStrings(TEMPLATES),
      context: { cluster: cluster.name },
    },
  };
}

/**
 * Argo CD managing itself: the same chart and values the operator installs
 * by hand at bootstrap, after which every change arrives through Git.
 */
export function argocdRelease(cluster: ClusterSpec): HelmRelease {
  return {
    name: 'argo-cd',
    ...ARGOCD_CHART,
    namespace: ARGOCD_NAMESPACE,
    values: argocdValues(cluster),
    providesCrds: ['argoproj.io/Application', 'argoproj.io/AppProject', 'argoproj.io/ApplicationSet'],
    serverSideApply: true,
  };
}

/** Key of the Slack token in the cloud secret store. */
export function slackTokenSecret(cluster: ClusterSpec): string {
  return secretName(cluster, 'argocd-slack-token');
}
