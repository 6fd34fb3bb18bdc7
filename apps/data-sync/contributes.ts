/**
 * What data sync contributes: its replication Jobs, which run beside the model servers, push their
 * outcome to the Pushgateway (short Jobs cannot be scraped). Plain data: no cdk8s.
 */
import type { Contribution } from '../../platform/kernel/contribution';
import { MODEL_SERVING } from '../../platform/mesh/workloads';
import { MONITORING_NAMESPACE, PUSHGATEWAY } from '../../platform/monitoring/services';

/** The namespace the model replication Jobs run in: the model servers', whose models they copy. */
export const REPLICATION_NAMESPACE = MODEL_SERVING.namespace;

export function dataSyncContribution(): Contribution {
  return {
    flows: [
      {
        reason: 'model replication Jobs push their outcome to the Pushgateway',
        from: { namespace: REPLICATION_NAMESPACE },
        to: { namespace: MONITORING_NAMESPACE },
        ports: [PUSHGATEWAY.port],
      },
    ],
  };
}
