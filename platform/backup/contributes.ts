import type { Contribution, Team } from '../kernel/contribution';
import { VELERO_VALUE_PATHS } from './chart-value-paths';
import { BACKUP, WORKLOAD } from './names';

/** The team that owns backups: its pods' `team` label. */
export const BACKUP_TEAM: Team = 'platform';

/**
 * What the backup component declares (platform/kernel/contribution.ts): its namespace; the flows
 * of every pod Velero runs there to the API server and the cloud's object storage; Prometheus'
 * scrape of its metrics (the scrape target opens that flow); its cloud identity; what the chart
 * and Velero create.
 *
 * The namespace enforces baseline, not restricted: Velero's data mover starts one pod per volume
 * to copy (pkg/exposer/csi_snapshot.go and generic_restore.go at v1.17.2) as root, with no
 * container security context and no way to set one, because it must read and restore every
 * file's owner and mode (docs/v1.17/csi-snapshot-data-movement.md). Baseline admits that and still
 * refuses host paths, host namespaces, privileged containers and added capabilities, none of which
 * those pods or the node agent (its host paths off) use. The server and the node agent themselves
 * run as the restricted level wants (chart-values.ts).
 */
export function backupContribution(): Contribution {
  const namespace = BACKUP.namespace;
  return {
    team: BACKUP_TEAM,
    namespaces: [
      {
        name: namespace,
        podSecurity: 'baseline',
        podSecurityReason:
          "Velero's data mover pods run as root to read and restore every file's owner and mode; no host access",
        mesh: false,
      },
    ],
    // Every pod of the namespace: the server, the node agent, the data movers and the repository
    // maintenance Jobs (labelled only with their repository's name) all read the API and the bucket.
    flows: [
      {
        reason: "Velero's pods read and restore objects, and report progress, through the API server",
        from: { namespace },
        to: { apiServer: true },
        ports: [...BACKUP.apiServerPorts],
      },
      {
        reason: "Velero writes backups and the volumes' data to the cloud's object storage",
        from: { namespace },
        to: { cidr: '0.0.0.0/0', what: 'cloud object storage' },
        ports: [443],
      },
    ],
    scrapeTargets: [
      {
        name: 'velero',
        via: 'service',
        namespaces: [namespace],
        selector: { 'app.kubernetes.io/name': 'velero' },
        port: { name: 'http-monitoring', number: BACKUP.metricsPort },
        path: '/metrics',
        interval: '30s',
      },
    ],
    cloudWorkloads: [WORKLOAD],
    chartObjects: {
      releases: [BACKUP.release],
      values: [VELERO_VALUE_PATHS],
      // velero 11.4.0 templates/deployment.yaml and node-agent-daemonset.yaml.
      podLabelValues: [{ release: BACKUP.release, paths: ['podLabels', 'nodeAgent.podLabels'] }],
      serviceAccounts: [{ namespace, name: BACKUP.serviceAccount }],
      customResources: [
        { group: 'velero.io', kind: 'Schedule' },
        { group: 'velero.io', kind: 'Backup' },
        { group: 'velero.io', kind: 'Restore' },
        { group: 'velero.io', kind: 'DataUpload' },
        { group: 'velero.io', kind: 'DataDownload' },
      ],
      pods: [
        // templates/node-agent-daemonset.yaml at velero-11.4.0: host paths off, restricted settings.
        {
          namespace,
          labels: { name: 'node-agent', 'app.kubernetes.io/name': 'velero' },
          serviceAccount: BACKUP.serviceAccount,
          ports: [{ name: 'http-monitoring', port: BACKUP.metricsPort }],
        },
        // The data mover pods, started by the node agent as the node agent's ServiceAccount.
        ...[BACKUP.dataMoverPods.backup, BACKUP.dataMoverPods.restore].map((labels) => ({
          namespace,
          labels,
          serviceAccount: BACKUP.serviceAccount,
          podSecurity: 'baseline' as const,
        })),
      ],
      configMaps: [{ namespace, name: BACKUP.nodeAgentConfigMap }],
      // templates/service.yaml at velero-11.4.0: the metrics Service, named as the release.
      services: [
        {
          namespace,
          name: BACKUP.release,
          selector: {
            name: 'velero',
            'app.kubernetes.io/name': 'velero',
            'app.kubernetes.io/instance': BACKUP.release,
          },
          ports: [{ name: 'http-monitoring', port: BACKUP.metricsPort }],
        },
      ],
    },
  };
}
