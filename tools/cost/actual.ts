import { COST_PARTS, KUBE_STATE_SERIES, OPENCOST_SERIES } from '../../platform/cost/series';
import { instantQuery } from '../rightsize/prometheus';
import { markdownTable, textTable } from '../table/table';
import type { ClusterEstimate } from './estimate';
import { type CostFormat, usd } from './report';

/**
 * The estimate beside what the cluster measures: OpenCost's series in the cluster's Prometheus
 * (the node, control plane, load balancer and volume prices it reads from the cloud, and what each
 * container is allocated), averaged over a window and brought to a month. Lines the cluster cannot
 * see (managed services, NAT, traffic, logs) have no measured figure.
 */

/** Hours in a month, as the price table counts them. */
const HOURS_PER_MONTH = 730;
const GIB = 1073741824;

/** One measured quantity: the estimate lines it stands beside and the PromQL of its hourly cost. */
interface Measure {
  readonly line: string;
  /** Keys of the estimate lines it compares with (prefixes end in `/`). */
  readonly estimateKeys: readonly string[];
  readonly hourlyQuery: string;
}

/**
 * OpenCost's series (platform/cost/series.ts, as the cost dashboard and alerts read them), summed
 * over the cluster.
 */
export const MEASURES: readonly Measure[] = [
  { line: 'nodes', estimateKeys: ['node-pool/'], hourlyQuery: COST_PARTS.nodes },
  { line: 'control-plane', estimateKeys: ['control-plane'], hourlyQuery: COST_PARTS.controlPlane },
  { line: 'load-balancers', estimateKeys: ['load-balancers'], hourlyQuery: COST_PARTS.loadBalancers },
  { line: 'volumes', estimateKeys: ['volumes'], hourlyQuery: COST_PARTS.volumes },
];

/**
 * What each container is allocated, priced at its node's rates: CPU, memory and GPUs, summed by
 * `by` (`namespace`, or the pod label `label_team` joined from kube-state-metrics).
 */
export function allocationQueries(by: 'namespace' | 'team'): readonly string[] {
  const s = OPENCOST_SERIES;
  // kube-state-metrics exports a pod label as `label_<name>` on kube_pod_labels (when allowed).
  const join =
    by === 'team' ? ` * on (namespace, pod) group_left (label_team) ${KUBE_STATE_SERIES.podLabels}` : '';
  const group = by === 'team' ? 'label_team' : 'namespace';
  return [
    `${s.containerCpuAllocation} * on (node) group_left () ${s.nodeCpuHourlyCost}`,
    `${s.containerMemoryAllocationBytes} / ${GIB} * on (node) group_left () ${s.nodeRamHourlyCost}`,
    `${s.containerGpuAllocation} * on (node) group_left () ${s.nodeGpuHourlyCost}`,
  ].map((cost) => `sum by (${group}) (${cost}${join})`);
}

/** The average over the window of an hourly cost, as a monthly amount. */
const monthlyOver = (hourlyQuery: string, window: string) =>
  `avg_over_time((${hourlyQuery})[${window}:5m]) * ${HOURS_PER_MONTH}`;

export interface ActualLine {
  readonly line: string;
  readonly estimateUsd?: number;
  /** Undefined when the cluster measures nothing for the line. */
  readonly measuredUsd?: number;
}

export interface ActualReport {
  readonly cluster: string;
  readonly window: string;
  readonly lines: readonly ActualLine[];
  /** Measured monthly cost by namespace and by `team` label. */
  readonly byNamespace: ReadonlyMap<string, number>;
  readonly byTeam: ReadonlyMap<string, number>;
}

/** Sums several by-label answers into one map. */
async function summedBy(prometheus: string, queries: readonly string[], label: string, at?: number) {
  const totals = new Map<string, number>();
  for (const query of queries)
    for (const sample of await instantQuery(prometheus, query, { at })) {
      const key = sample.labels[label] ?? '';
      if (key !== '' && Number.isFinite(sample.value)) totals.set(key, (totals.get(key) ?? 0) + sample.value);
    }
  return totals;
}

/** Queries the cluster's Prometheus and sets each measured line beside the estimate's. */
export async function actualCost(
  estimate: ClusterEstimate,
  prometheus: string,
  options: { readonly window: string; readonly at?: number },
): Promise<ActualReport> {
  const estimateOf = (keys: readonly string[]) => {
    const lines = estimate.lines.filter((l) =>
      keys.some((k) => (k.endsWith('/') ? l.key.startsWith(k) : l.key === k)),
    );
    return lines.length > 0 ? lines.reduce((sum, l) => sum + l.monthlyUsd, 0) : undefined;
  };
  const lines: ActualLine[] = [];
  for (const measure of MEASURES) {
    const [sample] = await instantQuery(prometheus, monthlyOver(measure.hourlyQuery, options.window), {
      at: options.at,
    });
    lines.push({
      line: measure.line,
      estimateUsd: estimateOf(measure.estimateKeys),
      measuredUsd: sample?.value,
    });
  }
  const measured = new Set(MEASURES.flatMap((m) => m.estimateKeys));
  for (const line of estimate.lines)
    if (![...measured].some((k) => (k.endsWith('/') ? line.key.startsWith(k) : line.key === k)))
      lines.push({ line: line.key, estimateUsd: line.monthlyUsd });
  const monthly = (queries: readonly string[]) => queries.map((q) => monthlyOver(q, options.window));
  return {
    cluster: estimate.cluster,
    window: options.window,
    lines,
    byNamespace: await summedBy(prometheus, monthly(allocationQueries('namespace')), 'namespace', options.at),
    byTeam: await summedBy(prometheus, monthly(allocationQueries('team')), 'label_team', options.at),
  };
}

/** Measured against estimated, as a signed percentage, or blank when either is missing. */
function difference(line: ActualLine): string {
  if (line.measuredUsd === undefined || line.estimateUsd === undefined || line.estimateUsd === 0) return '';
  const percent = Math.round(((line.measuredUsd - line.estimateUsd) / line.estimateUsd) * 100);
  return `${percent > 0 ? '+' : percent < 0 ? '−' : ''}${Math.abs(percent)} %`;
}

/** The report: the lines, then the allocation by namespace and by team. */
export function formatActual(report: ActualReport, format: CostFormat): string {
  const table = format === 'md' ? markdownTable : textTable;
  const out: string[] = [
    format === 'md'
      ? `### Cost of ${report.cluster}: estimate and measured (last ${report.window}, monthly)`
      : `COST OF ${report.cluster}: ESTIMATE AND MEASURED (last ${report.window}, monthly, USD)`,
    '',
    ...table(
      [
        { header: 'Line' },
        { header: 'Estimate', align: 'right' },
        { header: 'Measured', align: 'right' },
        { header: 'Difference', align: 'right' },
      ],
      report.lines.map((l) => [l.line, usd(l.estimateUsd), usd(l.measuredUsd), difference(l)]),
    ),
    '',
    'Measured: OpenCost in the cluster; lines without a measured figure are outside what it sees (managed ' +
      'services, NAT, traffic and cloud logs are billed outside the cluster).',
  ];
  for (const [title, totals] of [
    ['namespace', report.byNamespace],
    ['team', report.byTeam],
  ] as const) {
    out.push('');
    if (totals.size === 0) {
      out.push(`No allocation by ${title} measured.`);
      continue;
    }
    out.push(
      ...table(
        [{ header: title === 'team' ? 'Team' : 'Namespace' }, { header: 'Measured', align: 'right' }],
        [...totals].sort(([, a], [, b]) => b - a).map(([name, amount]) => [name, usd(amount)]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
