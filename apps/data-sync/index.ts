import type { Construct } from 'constructs';
import type { ClusterSpec } from '../../clusters/types';
import { type Component, type ComponentProps, PlatformChart } from '../../platform/kernel/chart';
import type { HelmRelease } from '../../platform/kernel/helm';
import type { ResourceRequirements } from '../../platform/kernel/helm-values';
import { teamLabels } from '../../platform/kernel/pods';
import { MONITORING_NAMESPACE, PUSHGATEWAY, PUSHGATEWAY_URL } from '../../platform/monitoring/services';
import {
  jobPodMetadata,
  poolFor,
  RESTRICTED_CONTAINER,
  RESTRICTED_POD,
  resources,
  scheduledJob,
  scheduleOn,
  TMP_MOUNT,
  TMP_VOLUME,
  WorkloadServiceAccount,
} from '../shared/workload';
import { pushgatewayChartObjects } from './chart-objects';
import { DATA_SYNC_TEAM, dataSyncContribution } from './contributes';
import { checkArgs, copyArgs, jobScript, REPLICATION_JOBS, remoteEnv, SOURCE, TARGET } from './rclone';

/** rclone version of the data-sync image (rclone plus curl), mirrored into each registry. */
export const RCLONE_VERSION = '1.68.2';

/**
 * The values of prometheus-pushgateway 3.8.0 (prometheus-community/helm-charts,
 * charts/prometheus-pushgateway/values.yaml at tag prometheus-pushgateway-3.8.0) the platform sets.
 */
export interface PushgatewayValues {
  /** The Service and Deployment name the Jobs push to. */
  readonly fullnameOverride: string;
  readonly service: { readonly port: number; readonly portName: string };
  /**
   * No volume: after a restart the groups are gone until the next run pushes
   * again, which the replication alerts allow for (platform/monitoring/rules.ts).
   */
  readonly persistentVolume: { readonly enabled: false };
  /** Off: the monitoring component renders the ServiceMonitor (with `honorLabels`). */
  readonly serviceMonitor: { readonly enabled: false };
  readonly resources: ResourceRequirements;
  /**
   * Labels of its pods and objects besides the selector's (templates/_helpers.tpl
   * `prometheus-pushgateway.defaultLabels`).
   */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** The Pushgateway the replication jobs report to (short jobs cannot be scraped). */
function pushgatewayRelease(): HelmRelease {
  const values: PushgatewayValues = {
    fullnameOverride: PUSHGATEWAY.service,
    service: { port: PUSHGATEWAY.port, portName: PUSHGATEWAY.portName },
    persistentVolume: { enabled: false },
    serviceMonitor: { enabled: false },
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    podLabels: teamLabels(DATA_SYNC_TEAM),
  };
  return {
    name: PUSHGATEWAY.release,
    repoURL: 'https://prometheus-community.github.io/helm-charts',
    chart: 'prometheus-pushgateway',
    version: '3.8.0',
    namespace: MONITORING_NAMESPACE,
    values: { ...values },
    providesCrds: [],
  };
}

/**
 * Cross-cloud replication of model artifacts: every cluster except the
 * source copies new model versions from the source cluster's bucket into its
 * own, as its data-sync workload identity (the source bucket through a
 * federated, token-based role; no static keys), and verifies every version
 * daily. Versions are immutable: a conflicting file is reported, never overwritten.
 */
export class DataSyncChart extends PlatformChart {
  constructor(scope: Construct, props: ComponentProps) {
    super(scope, 'data-sync', props);
    const { cluster, fleet, profile, profileOf } = props;
    const replication = fleet.settings.modelReplication;
    const source = fleet.clusters.find((c) => c.name === replication.sourceCluster) as ClusterSpec;
    const account = new WorkloadServiceAccount(this, 'account', { profile, workload: 'data-sync' });
    const namespace = account.namespace;
    if (source.name === cluster.name) return;

    const sourceProfile = profileOf(source);
    const sourceRemote = sourceProfile.rcloneRemote('models');
    const targetRemote = profile.rcloneRemote('models');
    const access = sourceProfile.crossCloudModelReader(cluster);
    const env = {
      ...remoteEnv(SOURCE, sourceRemote.settings),
      ...remoteEnv(TARGET, targetRemote.settings),
      ...access.env,
    };

    const job = (name: string, schedule: string, args: string[]) => {
      const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'data-sync' };
      scheduledJob(this, name, {
        metadata: { name, namespace, labels },
        schedule,
        job: {
          backoffLimit: 2,
          activeDeadlineSeconds: 3600,
          template: {
            metadata: jobPodMetadata({ ...labels, ...account.podLabels }),
            spec: {
              restartPolicy: 'Never',
              serviceAccountName: account.name,
              automountServiceAccountToken: false,
              securityContext: RESTRICTED_POD,
              ...scheduleOn(profile, poolFor(cluster, 'general')),
              containers: [
                {
                  name: 'rclone',
                  image: `${profile.imageRepository('data-sync')}:${RCLONE_VERSION}`,
                  command: ['/bin/sh', '-c', jobScript(name, args, PUSHGATEWAY_URL)],
                  env: Object.entries(env)
                    .sort(([a], [b]) => (a < b ? -1 : 1))
                    .map(([envName, value]) => ({ name: envName, value })),
                  resources: resources({
                    cpuRequest: '250m',
                    cpuLimit: '1',
                    memoryRequest: '256Mi',
                    memoryLimit: '512Mi',
                  }),
                  securityContext: RESTRICTED_CONTAINER,
                  volumeMounts: [
                    TMP_MOUNT,
                    {
                      name: 'source-token',
                      mountPath: access.tokenPath.replace(/\/[^/]+$/, ''),
                      readOnly: true,
                    },
                  ],
                },
              ],
              volumes: [
                TMP_VOLUME,
                {
                  // A token for the source cloud only: its audience is that cloud's STS.
                  name: 'source-token',
                  projected: {
                    sources: [
                      {
                        serviceAccountToken: {
                          audience: access.tokenAudience,
                          expirationSeconds: 3600,
                          path: access.tokenPath.split('/').pop() as string,
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        },
      });
    };
    job(REPLICATION_JOBS.copy, replication.schedule, copyArgs(sourceRemote.bucket, targetRemote.bucket));
    job(
      REPLICATION_JOBS.verify,
      replication.verifySchedule,
      checkArgs(sourceRemote.bucket, targetRemote.bucket),
    );
  }
}

export const dataSyncComponent: Component = {
  name: 'data-sync',
  project: 'apps',
  build: (scope, props) => new DataSyncChart(scope, props),
  helmReleases: () => [pushgatewayRelease()],
  contributes: () => ({ ...dataSyncContribution(), chartObjects: pushgatewayChartObjects() }),
};
