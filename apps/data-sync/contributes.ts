/**
 * What data sync contributes: its replication Jobs' cloud identity (they copy models and data
 * between the clusters' buckets), and their push to the Pushgateway (short Jobs cannot be
 * scraped). Plain data: no cdk8s.
 */
import type { Contribution, Team } from '../../platform/kernel/contribution';
import { MONITORING_NAMESPACE, PUSHGATEWAY } from '../../platform/monitoring/services';
import { DATA_SYNC_WORKLOAD } from './cloud-workloads';

/** The namespace the model replication Jobs run in. */
export const REPLICATION_NAMESPACE = DATA_SYNC_WORKLOAD.namespace;

/** The team that owns data sync: its pods' `team` label. */
export const DATA_SYNC_TEAM: Team = 'ml-serving';

export function dataSyncContribution(): Contribution {
  return {
    team: DATA_SYNC_TEAM,
    flows: [
      {
        reason: 'model replication Jobs push their outcome to the Pushgateway',
        from: { namespace: REPLICATION_NAMESPACE },
        to: { namespace: MONITORING_NAMESPACE },
        ports: [PUSHGATEWAY.port],
      },
    ],
    cloudWorkloads: [DATA_SYNC_WORKLOAD],
  };
}
