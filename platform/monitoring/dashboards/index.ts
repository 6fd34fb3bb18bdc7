import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { ClusterSpec, Fleet } from '../../../clusters/types';
import { METRICS as GATEWAY } from '../../../gateway/src/metrics/names';
import { hourlyBudgetUsd } from '../../cost/alerts';
import { allocationHourlyCost, CLUSTER_HOURLY_COST, COST_PARTS, OPENCOST_SERIES } from '../../cost/series';
import { MODEL_SERVING } from '../../mesh/workloads';
import { ALERT_THRESHOLDS, COST_SERIES, FAILED_OUTCOMES } from '../rules';
import { labelVariable, markdown, platformDashboard, q, RATE, stat, timeseries } from './panels';

/** What a dashboard is built from: the cluster whose Grafana shows it, the fleet, and render-time facts. */
export interface DashboardContext {
  readonly cluster: ClusterSpec;
  readonly fleet: Fleet;
  /** Policy exceptions of the rendered objects: object and the reason given. */
  readonly policyExceptions: readonly { readonly object: string; readonly reason: string }[];
}

/** A dashboard of the platform, provisioned as one ConfigMap. */
export interface DashboardDefinition {
  /** Stable uid: links and bookmarks survive edits. */
  readonly uid: string;
  /** Grafana folder. */
  readonly folder: string;
  build(context: DashboardContext): Dashboard;
}

const requests = GATEWAY.requests.name;
/** Failed client requests, optionally narrowed by more label matchers. */
const failedWhere = (...matchers: string[]) =>
  `${requests}{${[`outcome=~"${FAILED_OUTCOMES.join('|')}"`, ...matchers].join(', ')}}`;
const failed = failedWhere();
const duration = `${GATEWAY.requestDuration.name}_bucket`;
const p99 = (by: string, filter = '') =>
  `histogram_quantile(0.99, sum by (le, ${by}) (rate(${duration}${filter}[${RATE}])))`;
const serving = `destination_service_namespace="${MODEL_SERVING.namespace}"`;

const overview: DashboardDefinition = {
  uid: 'ml-platform-overview',
  folder: 'ML Platform',
  build: ({ cluster }) =>
    platformDashboard(
      'ml-platform-overview',
      'ML platform: multi-cloud overview',
      `Predictions through the gateway in ${cluster.name}, by the cloud that answered.`,
    )
      .withPanel(stat('Requests', 'reqps', q(`sum(rate(${requests}[${RATE}]))`, 'requests/s')))
      .withPanel(
        stat(
          'Error ratio',
          'percentunit',
          q(`sum(rate(${failed}[${RATE}])) / sum(rate(${requests}[${RATE}]))`, 'errors'),
          { warning: ALERT_THRESHOLDS.errorRatio / 2, critical: ALERT_THRESHOLDS.errorRatio },
        ),
      )
      .withPanel(
        stat(
          'p99 latency',
          's',
          q(`histogram_quantile(0.99, sum by (le) (rate(${duration}[${RATE}])))`, 'p99'),
          {
            warning: ALERT_THRESHOLDS.p99LatencySeconds * 0.8,
            critical: ALERT_THRESHOLDS.p99LatencySeconds,
          },
        ),
      )
      .withPanel(
        stat(
          'Unhealthy providers',
          'none',
          q(`count(max by (provider) (${GATEWAY.providerHealthy.name}) == 0) or vector(0)`, 'providers'),
          {
            warning: 1,
            critical: 2,
          },
        ),
      )
      .withPanel(
        timeseries('Requests by provider', 'reqps', [
          q(`sum by (provider) (rate(${requests}[${RATE}]))`, '{{provider}}'),
        ]),
      )
      .withPanel(
        timeseries('Error ratio by provider', 'percentunit', [
          q(
            `sum by (provider) (rate(${failed}[${RATE}])) / sum by (provider) (rate(${requests}[${RATE}]))`,
            '{{provider}}',
          ),
        ]),
      )
      .withPanel(timeseries('p99 latency by provider', 's', [q(p99('provider'), '{{provider}}')]))
      .withPanel(
        timeseries(
          'Circuit breakers',
          'none',
          [q(`max by (provider) (${GATEWAY.breakerState.name})`, '{{provider}}')],
          '0 closed, 1 half-open, 2 open',
        ),
      )
      .withPanel(
        timeseries('Failovers', 'reqps', [
          q(
            `sum by (from_provider, reason) (rate(${GATEWAY.failovers.name}[${RATE}]))`,
            '{{from_provider}}: {{reason}}',
          ),
        ]),
      )
      .withPanel(
        timeseries('Cross-cluster mesh traffic', 'reqps', [
          q(
            `sum by (source_cluster, destination_cluster) (rate(istio_requests_total{reporter="source", ${serving}}[${RATE}]))`,
            '{{source_cluster}} → {{destination_cluster}}',
          ),
        ]),
      )
      .build(),
};

const clouds: DashboardDefinition = {
  uid: 'ml-platform-clouds',
  folder: 'ML Platform',
  build: ({ cluster }) => {
    const selected = '{provider=~"$provider"}';
    return platformDashboard(
      'ml-platform-clouds',
      'ML platform: per-cloud performance',
      `How each provider performs as seen from the gateways in ${cluster.name}, and this cluster's nodes.`,
    )
      .withVariable(labelVariable('provider', 'provider', requests))
      .withPanel(
        timeseries('Upstream attempt latency p50 / p99', 's', [
          q(
            `histogram_quantile(0.5, sum by (le, provider) (rate(${GATEWAY.upstreamDuration.name}_bucket${selected}[${RATE}])))`,
            '{{provider}} p50',
          ),
          q(
            `histogram_quantile(0.99, sum by (le, provider) (rate(${GATEWAY.upstreamDuration.name}_bucket${selected}[${RATE}])))`,
            '{{provider}} p99',
          ),
        ]),
      )
      .withPanel(
        timeseries('Attempts by outcome', 'reqps', [
          q(
            `sum by (provider, outcome) (rate(${GATEWAY.upstreamAttempts.name}${selected}[${RATE}]))`,
            '{{provider}} {{outcome}}',
          ),
        ]),
      )
      .withPanel(
        timeseries('Routing score', 'none', [
          q(`avg by (provider) (${GATEWAY.providerScore.name}${selected})`, '{{provider}}'),
        ]),
      )
      .withPanel(
        timeseries('Latency EWMA', 's', [
          q(`avg by (provider) (${GATEWAY.providerLatency.name}${selected})`, '{{provider}}'),
        ]),
      )
      .withPanel(
        timeseries('Provider error rate', 'percentunit', [
          q(`avg by (provider) (${GATEWAY.providerErrorRate.name}${selected})`, '{{provider}}'),
        ]),
      )
      .withPanel(
        timeseries('Mesh p99 to model servers by cluster', 'ms', [
          q(
            `histogram_quantile(0.99, sum by (le, destination_cluster) (rate(istio_request_duration_milliseconds_bucket{reporter="source", ${serving}}[${RATE}])))`,
            '{{destination_cluster}}',
          ),
        ]),
      )
      .withPanel(
        timeseries('Node CPU and memory use', 'percentunit', [
          q(`1 - avg(rate(node_cpu_seconds_total{mode="idle"}[${RATE}]))`, 'cpu'),
          q('1 - sum(node_memory_MemAvailable_bytes) / sum(node_memory_MemTotal_bytes)', 'memory'),
        ]),
      )
      .build();
  },
};

const models: DashboardDefinition = {
  uid: 'ml-platform-models',
  folder: 'ML Platform',
  build: ({ cluster }) => {
    const model = '{model=~"$model"}';
    return platformDashboard(
      'ml-platform-models',
      'ML platform: model performance',
      `Latency, throughput and errors per model and version, at the gateway and at the model servers of ${cluster.name}.`,
    )
      .withVariable(labelVariable('model', 'model', requests))
      .withPanel(
        timeseries('Throughput by model', 'reqps', [
          q(`sum by (model) (rate(${requests}${model}[${RATE}]))`, '{{model}}'),
        ]),
      )
      .withPanel(
        timeseries('Errors by model', 'percentunit', [
          q(
            `sum by (model) (rate(${failedWhere('model=~"$model"')}[${RATE}])) / sum by (model) (rate(${requests}${model}[${RATE}]))`,
            '{{model}}',
          ),
        ]),
      )
      .withPanel(timeseries('Gateway p99 by model', 's', [q(p99('model', model), '{{model}}')]))
      .withPanel(
        timeseries('Model server requests by status', 'reqps', [
          q(
            `sum by (model_name, status) (rate(:tensorflow:serving:request_count[${RATE}]))`,
            '{{model_name}} {{status}}',
          ),
        ]),
      )
      .withPanel(
        timeseries('Model server p99 latency', 'µs', [
          q(
            `histogram_quantile(0.99, sum by (le, model_name) (rate(:tensorflow:serving:request_latency_bucket[${RATE}])))`,
            '{{model_name}}',
          ),
        ]),
      )
      .withPanel(
        timeseries('Requests by model version', 'reqps', [
          q(
            `sum by (destination_service_name, destination_version) (rate(istio_requests_total{reporter="destination", ${serving}}[${RATE}]))`,
            '{{destination_service_name}} v{{destination_version}}',
          ),
        ]),
      )
      .withPanel(
        timeseries('5xx ratio by model version', 'percentunit', [
          q(
            `sum by (destination_service_name, destination_version) (rate(istio_requests_total{reporter="destination", ${serving}, response_code=~"5.."}[${RATE}]))` +
              ` / sum by (destination_service_name, destination_version) (rate(istio_requests_total{reporter="destination", ${serving}}[${RATE}]))`,
            '{{destination_service_name}} v{{destination_version}}',
          ),
        ]),
      )
      .withPanel(
        timeseries('Available replicas', 'none', [
          q(
            `sum by (deployment) (kube_deployment_status_replicas_available{namespace="${MODEL_SERVING.namespace}"})`,
            '{{deployment}}',
          ),
        ]),
      )
      .build();
  },
};

const cost: DashboardDefinition = {
  uid: 'ml-platform-cost',
  folder: 'ML Platform',
  build: ({ cluster, fleet }) => {
    const spend = `sum(rate(${GATEWAY.estimatedCost.name}[1h])) * 3600`;
    const budget = cluster.cost.monthlyBudgetUsd;
    const factor = fleet.settings.observability.costAnomalyFactor;
    const hourlyBudget = hourlyBudgetUsd(cluster);
    return platformDashboard(
      'ml-platform-cost',
      'ML platform: cost',
      `What ${cluster.name} costs as OpenCost measures it (the cloud's own prices for its nodes, volumes, load ` +
        "balancers and control plane), by namespace and by team; and the gateways' estimated prediction spend, " +
        "per cloud and per model, against the fleet's prices and budget.",
    )
      .withPanel(
        stat('Measured cost per hour', 'currencyUSD', q(CLUSTER_HOURLY_COST, 'USD/h'), {
          warning: hourlyBudget,
          critical: hourlyBudget * factor,
        }),
      )
      .withPanel(
        stat('Measured month at this rate', 'currencyUSD', q(`(${CLUSTER_HOURLY_COST}) * 730`, 'USD/month'), {
          warning: budget,
          critical: budget * factor,
        }),
      )
      .withPanel(
        timeseries(
          'Measured cost per hour by part',
          'currencyUSD',
          [
            q(COST_PARTS.nodes, 'nodes'),
            q(COST_PARTS.volumes, 'volumes'),
            q(COST_PARTS.loadBalancers, 'load balancers'),
            q(COST_PARTS.controlPlane, 'control plane'),
          ],
          "OpenCost's prices; managed services, NAT, traffic and cloud logs are billed outside the cluster (npm run cost).",
        ),
      )
      .withPanel(
        timeseries('Node cost per hour by instance type', 'currencyUSD', [
          q(`sum by (instance_type) (${OPENCOST_SERIES.nodeTotalHourlyCost})`, '{{instance_type}}'),
        ]),
      )
      .withPanel(
        timeseries(
          'Allocated cost per hour by namespace',
          'currencyUSD',
          [q(allocationHourlyCost('namespace'), '{{namespace}}')],
          "CPU, memory and GPUs each container is allocated, at its node's prices; idle capacity is not in it.",
        ),
      )
      .withPanel(
        timeseries(
          'Allocated cost per hour by team',
          'currencyUSD',
          [q(allocationHourlyCost('team'), '{{label_team}}')],
          "The same allocation, grouped by the pods' team label (kube_pod_labels).",
        ),
      )
      .withPanel(stat('Spend per hour', 'currencyUSD', q(spend, 'USD/h')))
      .withPanel(
        stat('Projected month', 'currencyUSD', q(`${spend} * 730`, 'USD/month'), {
          warning: budget,
          critical: budget * factor,
        }),
      )
      .withPanel(
        timeseries('Spend per hour by cloud', 'currencyUSD', [
          q(`sum by (provider) (rate(${GATEWAY.estimatedCost.name}[1h])) * 3600`, '{{provider}}'),
        ]),
      )
      .withPanel(
        timeseries('Cost per 1000 requests by cloud', 'currencyUSD', [
          q(COST_SERIES.observed, '{{provider}} observed'),
          q(COST_SERIES.price, '{{provider}} price'),
        ]),
      )
      .withPanel(
        timeseries(
          'Spend per hour by model',
          'currencyUSD',
          [
            q(
              `sum by (model) (sum by (model, provider) (rate(${requests}[1h])) * on (provider) group_left () ${COST_SERIES.price}) * 3.6`,
              '{{model}}',
            ),
          ],
          "Requests per model times each provider's price; excludes retried attempts.",
        ),
      )
      .build();
  },
};

const security: DashboardDefinition = {
  uid: 'ml-platform-security',
  folder: 'ML Platform',
  build: ({ cluster, policyExceptions }) => {
    const destination = 'istio_requests_total{reporter="destination"';
    const exceptions =
      policyExceptions.length === 0
        ? 'No rendered object carries a policy exception.'
        : [
            '| Object | Exception and reason |',
            '| --- | --- |',
            ...policyExceptions.map(
              (e) => `| ${e.object} | ${e.reason.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`,
            ),
          ].join('\n');
    return platformDashboard(
      'ml-platform-security',
      'ML platform: security and compliance',
      `mTLS coverage, denied requests and policy exceptions in ${cluster.name}.`,
    )
      .withPanel(
        stat(
          'mTLS coverage',
          'percentunit',
          q(
            `sum(rate(${destination}, connection_security_policy="mutual_tls"}[${RATE}])) / sum(rate(${destination}}[${RATE}]))`,
            'mTLS',
          ),
        ),
      )
      .withPanel(
        timeseries('Requests without mTLS by workload', 'reqps', [
          q(
            `sum by (destination_workload_namespace, destination_workload) (rate(${destination}, connection_security_policy!="mutual_tls"}[${RATE}]))`,
            '{{destination_workload_namespace}}/{{destination_workload}}',
          ),
        ]),
      )
      .withPanel(
        timeseries('Denied by authorization policy', 'reqps', [
          q(
            `sum by (destination_workload, source_workload) (rate(${destination}, response_code="403"}[${RATE}]))`,
            '{{source_workload}} → {{destination_workload}}',
          ),
        ]),
      )
      .withPanel(
        timeseries('Gateway authentication failures and rate limits', 'reqps', [
          q(`sum by (reason) (rate(${GATEWAY.authFailures.name}[${RATE}]))`, 'auth: {{reason}}'),
          q(`sum(rate(${GATEWAY.rateLimited.name}[${RATE}]))`, 'rate limited'),
        ]),
      )
      .withPanel(markdown('Policy exceptions in this cluster', exceptions))
      .build();
  },
};

/** Every dashboard the platform provisions, in every cluster's Grafana. */
export const DASHBOARDS: readonly DashboardDefinition[] = [overview, clouds, models, cost, security];
