/**
 * The alerts on OpenCost's series: the cluster's measured cost over its budget, and OpenCost
 * exporting nothing (without it, that alert and the cost dashboard go blind). Plain data over the
 * fleet: the cost component renders them as a PrometheusRule, the tests run them through promtool.
 */
import type { ClusterSpec } from '../../clusters/types';
import type { RuleGroupDefinition } from '../monitoring/rules';
import { CLUSTER_HOURLY_COST, OPENCOST_SERIES } from './series';

/** Hours in a month, as the cost report and the budget count them. */
export const HOURS_PER_MONTH = 730;

/** How long the cluster's measured cost must stay over budget before anyone is told: a spike is not a trend. */
export const OVER_BUDGET_FOR = '3h';

/** How long OpenCost may export nothing before it counts as down (its first prices take minutes). */
export const OPENCOST_ABSENT_FOR = '30m';

/** The hourly share of the cluster's monthly budget, rounded so the rule text stays stable. */
export function hourlyBudgetUsd(cluster: ClusterSpec): number {
  return Number((cluster.cost.monthlyBudgetUsd / HOURS_PER_MONTH).toFixed(6));
}

export function costRuleGroups(cluster: ClusterSpec): RuleGroupDefinition[] {
  const budget = cluster.cost.monthlyBudgetUsd;
  return [
    {
      name: 'ml-platform.opencost',
      rules: [
        {
          alert: 'ClusterCostOverBudget',
          expr: `${CLUSTER_HOURLY_COST} > ${hourlyBudgetUsd(cluster)}`,
          for: OVER_BUDGET_FOR,
          severity: 'warning',
          summary: `${cluster.name} costs more per hour than its monthly budget allows`,
          description:
            `What OpenCost measures (nodes, volumes, load balancers, control plane) has run above ` +
            `${hourlyBudgetUsd(cluster)} USD an hour, the hourly share of the ${budget} USD monthly budget ` +
            `(cost.monthlyBudgetUsd in clusters/${cluster.name}.ts), for ${OVER_BUDGET_FOR}. Managed services, ` +
            'NAT, traffic and logs come on top.',
        },
        {
          alert: 'OpenCostDown',
          expr: `absent(${OPENCOST_SERIES.nodeTotalHourlyCost})`,
          for: OPENCOST_ABSENT_FOR,
          severity: 'warning',
          summary: 'OpenCost exports no prices',
          description:
            `Prometheus has held no ${OPENCOST_SERIES.nodeTotalHourlyCost} for ${OPENCOST_ABSENT_FOR}: OpenCost is ` +
            'down, cannot be scraped, or cannot read the cloud prices. The cost dashboard and the budget ' +
            'alert see nothing until it is back.',
        },
      ],
    },
  ];
}
