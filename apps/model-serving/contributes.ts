/**
 * What model serving contributes: the ml-serving namespace (its quota follows the cluster's GPU
 * pools), its clients (the gateway, and the other clusters through the east-west gateway), its
 * sidecars, spans, model artifacts and Redis, the monitor of its per-model Services, and the cloud
 * identities of the model servers, the feature store and the batch predictions.
 * Plain data: no cdk8s.
 */
import { gpuCapacity } from '../../platform/kernel/capacity';
import type { DeclarationProps } from '../../platform/kernel/chart';
import type { Contribution, ScrapeTarget, Team } from '../../platform/kernel/contribution';
import { ANYWHERE } from '../../platform/kernel/flows';
import { meshSidecars } from '../../platform/mesh/contributes';
import { GATEWAY, ISTIO_NAMESPACE, MODEL_SERVING } from '../../platform/mesh/workloads';
import { prometheusScrapes } from '../../platform/monitoring/contributes';
import { spanExport } from '../../platform/tracing/contributes';
import { managedRedis } from '../shared/contributes';
import { BATCH_PREDICTION_WORKLOAD, FEATURE_STORE_WORKLOAD, MODEL_SERVING_WORKLOAD } from './cloud-workloads';

/** The per-model Services only: a Service spanning every model would scrape each pod twice. */
const MODEL_SERVING_TARGET: ScrapeTarget = {
  name: 'model-serving',
  via: 'service',
  namespaces: [MODEL_SERVING.namespace],
  selector: MODEL_SERVING.selector,
  selectorExists: [MODEL_SERVING.modelLabel],
  // Keep the model label of the Service on every series, for per-model dashboards.
  targetLabels: [MODEL_SERVING.modelLabel],
  port: { name: MODEL_SERVING.httpPortName, number: MODEL_SERVING.httpPort },
  path: MODEL_SERVING.metricsPath,
  interval: '15s',
  meshTls: true,
};

/** The team that owns model serving: its pods' `team` label. */
export const MODEL_SERVING_TEAM: Team = 'ml-serving';

export function modelServingContribution(props: DeclarationProps): Contribution {
  const namespace = MODEL_SERVING.namespace;
  return {
    team: MODEL_SERVING_TEAM,
    namespaces: [
      {
        name: namespace,
        podSecurity: 'restricted',
        mesh: true,
        quota: {
          requestsCpu: '64',
          requestsMemory: '256Gi',
          limitsCpu: '128',
          limitsMemory: '512Gi',
          pods: 200,
          gpus: gpuCapacity(props.cluster),
        },
      },
    ],
    flows: [
      {
        reason: 'the gateway calls model servers',
        from: { namespace: GATEWAY.namespace },
        to: { namespace },
      },
      {
        reason: 'cross-cluster requests arrive through the east-west gateway',
        from: { namespace: ISTIO_NAMESPACE },
        to: { namespace },
      },
      prometheusScrapes(namespace),
      meshSidecars(namespace),
      spanExport(namespace),
      {
        reason: 'model artifacts are read from the cloud object store',
        from: { namespace },
        to: { cidr: ANYWHERE, what: "the cloud's object store" },
        ports: [443],
      },
      ...managedRedis(namespace, props),
    ],
    scrapeTargets: [MODEL_SERVING_TARGET],
    cloudWorkloads: [MODEL_SERVING_WORKLOAD, FEATURE_STORE_WORKLOAD, BATCH_PREDICTION_WORKLOAD],
  };
}
