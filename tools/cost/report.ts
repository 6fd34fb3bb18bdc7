import { type Column, markdownTable, textTable } from '../table/table';
import type { ClusterEstimate, FleetEstimate } from './estimate';

/** How a report is printed: Markdown for a pull-request comment, plain text for a terminal. */
export type CostFormat = 'md' | 'text';

/** One row of a report: a line item of a cluster, with its base amount when there is a base. */
interface Row {
  readonly label: string;
  readonly detail: string;
  readonly head?: number;
  readonly base?: number;
}

/** A monthly amount as the reports print it (`$1,234.50`), or `–` when there is none. */
export const usd = (amount: number | undefined) =>
  amount === undefined
    ? '–'
    : `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function delta(head: number | undefined, base: number | undefined): string {
  const d = Math.round(((head ?? 0) - (base ?? 0)) * 100) / 100;
  if (d === 0) return '';
  return `${d > 0 ? '+' : '−'}${usd(Math.abs(d))}`;
}

function clusterRows(head: ClusterEstimate | undefined, base: ClusterEstimate | undefined): Row[] {
  const keys = [...new Set([...(head?.lines ?? []), ...(base?.lines ?? [])].map((l) => l.key))];
  const rows: Row[] = keys.map((key) => {
    const h = head?.lines.find((l) => l.key === key);
    const b = base?.lines.find((l) => l.key === key);
    return { label: key, detail: (h ?? b)?.detail ?? '', head: h?.monthlyUsd, base: b?.monthlyUsd };
  });
  // Model allocations are inside the node-pool lines: shown, never added to the total.
  const models = [...new Set([...(head?.models ?? []), ...(base?.models ?? [])].map((m) => m.model))];
  for (const model of models) {
    const h = head?.models.find((m) => m.model === model);
    const b = base?.models.find((m) => m.model === model);
    const replicas =
      b && h && b.replicas !== h.replicas ? `${b.replicas} → ${h.replicas}` : String((h ?? b)?.replicas ?? 0);
    rows.push({
      label: `  of which model/${model}`,
      detail: `${replicas} min replicas on ${(h ?? b)?.pool}`,
      head: h?.monthlyUsd,
      base: b?.monthlyUsd,
    });
  }
  return rows;
}

/** The cost report; with `base`, every line shows its change against the base. */
export function formatCost(
  head: FleetEstimate,
  format: CostFormat,
  base?: FleetEstimate,
  baseRef?: string,
): string {
  const names = [...new Set([...head.clusters, ...(base?.clusters ?? [])].map((c) => c.cluster))];
  const md = format === 'md';
  const out: string[] = [];
  out.push(md ? '### Cost estimate (monthly)' : 'COST ESTIMATE (monthly, USD)', '');

  if (head.overBudget.length > 0) {
    if (md) out.push('> [!WARNING]', '> **Over budget**:');
    for (const excess of head.overBudget) {
      const line = `${excess.scope}: ${usd(excess.monthlyUsd)} > budget ${usd(excess.budgetUsd)}`;
      out.push(md ? `> - ${line}` : `! OVER BUDGET ${line}`);
    }
    out.push('');
  }

  const totals: string[][] = [];
  for (const cloud of ['aws', 'gcp', 'azure'] as const) {
    const h = head.perCloud[cloud];
    const b = base?.perCloud[cloud];
    totals.push([
      `cloud ${cloud}`,
      usd(h.monthlyUsd),
      ...(base ? [usd(b?.monthlyUsd), delta(h.monthlyUsd, b?.monthlyUsd)] : []),
      usd(h.budgetUsd),
    ]);
  }
  totals.push([
    'fleet',
    usd(head.monthlyUsd),
    ...(base ? [usd(base.monthlyUsd), delta(head.monthlyUsd, base.monthlyUsd)] : []),
    usd(head.budgetUsd),
  ]);
  for (const name of names) {
    const h = head.clusters.find((c) => c.cluster === name);
    const b = base?.clusters.find((c) => c.cluster === name);
    totals.push([
      `cluster ${name} (spot ${Math.round((h?.spotShare ?? 0) * 100)} % of nodes)`,
      usd(h?.monthlyUsd),
      ...(base ? [usd(b?.monthlyUsd), delta(h?.monthlyUsd, b?.monthlyUsd)] : []),
      usd(h?.budgetUsd),
    ]);
  }
  const totalHeader = ['Scope', 'Estimate', ...(base ? [`Base (${baseRef ?? 'base'})`, 'Δ'] : []), 'Budget'];
  out.push(...table(totalHeader, totals, md));

  for (const name of names) {
    const h = head.clusters.find((c) => c.cluster === name);
    const b = base?.clusters.find((c) => c.cluster === name);
    const rows = clusterRows(h, b).map((r) => [
      r.label,
      r.detail,
      usd(r.head),
      ...(base ? [usd(r.base), delta(r.head, r.base)] : []),
    ]);
    const header = ['Line', 'Detail', 'Estimate', ...(base ? ['Base', 'Δ'] : [])];
    const changed = base ? rows.filter((r) => r[r.length - 1] !== '').length : 0;
    out.push('');
    if (md)
      out.push(`<details><summary><b>${name}</b>${base ? `: ${changed} line(s) changed` : ''}</summary>`, '');
    else out.push(`== ${name}`);
    out.push(...table(header, rows, md));
    if (md) out.push('', '</details>');
  }
  out.push(
    '',
    `Prices: ${head.prices.source}, as of ${head.prices.asOf}. Network: ${head.prices.network.join('; ')}. ` +
      (head.prices.platform.length > 0 ? `Platform: ${head.prices.platform.join('; ')}. ` : '') +
      'Usage lines (logging, registry, traffic) price the assumptions of clusters/defaults.ts costAssumptions. ' +
      'Estimates exclude commitments and discounts.',
  );
  return `${out.join('\n')}\n`;
}

/** The first two columns name the line, the others are amounts. */
function table(header: string[], rows: string[][], md: boolean): string[] {
  const columns = header.map((h, i): Column => ({ header: h, align: i < 2 ? 'left' : 'right' }));
  return md ? markdownTable(columns, rows) : textTable(columns, rows);
}
