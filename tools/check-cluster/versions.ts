/**
 * Check: every chart a cluster installs is pinned at a version its maintainers support on the day
 * of the check, from the versions table (platform/versions.ts, the rows of docs/versions.md).
 * A chart without a row, a pin other than the row's, a published end of support that has passed,
 * or a row not read upstream for longer than the re-check interval is reported; a pin kept out of
 * support on purpose is reported only once the day it is accepted until has passed.
 */
import { CHART_SUPPORT, type ChartSupport, SUPPORT_RECHECK_DAYS } from '../../platform/versions';
import type { ClusterProblem } from './problem';
import { reporter } from './references';
import type { ClusterTree } from './tree';

const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The ISO day of a date (UTC). */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A day `days` after an ISO day. */
function plusDays(day: string, days: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

/** Raised for a malformed row: a date that is not an ISO day names the row and the field. */
export class BadSupportRow extends Error {}

function dayOf(row: ChartSupport, field: string, value: string): string {
  if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value)))
    throw new BadSupportRow(
      `platform/versions.ts: chart ${row.chart} ${row.version}: ${field} "${value}" is not a date (YYYY-MM-DD)`,
    );
  return value;
}

/** Why a pin is out of support on `today`, or undefined while it is supported (or accepted). */
export function supportProblem(row: ChartSupport, today: string): string | undefined {
  const checked = dayOf(row, 'checked', row.checked);
  const ended = row.supportedUntil
    ? dayOf(row, 'supportedUntil', row.supportedUntil) < today
      ? `its maintainers' support ended on ${row.supportedUntil} (${row.policy})`
      : undefined
    : plusDays(checked, SUPPORT_RECHECK_DAYS) < today
      ? `its support window was last read upstream on ${checked}, more than ${SUPPORT_RECHECK_DAYS} days before ${today} (${row.policy}): read it again and update the row`
      : undefined;
  if (!ended) return undefined;
  if (row.accepted && dayOf(row, 'accepted.until', row.accepted.until) >= today) return undefined;
  return row.accepted
    ? `${ended}; it was accepted until ${row.accepted.until} (${row.accepted.reason})`
    : ended;
}

/** The pins kept out of support on purpose on `today`, for the report's notes. */
export function acceptedUnsupported(tree: ClusterTree, today: string, rows = CHART_SUPPORT): string[] {
  return tree.applications.flatMap((app) => {
    const row = rows.find(
      (r) =>
        r.chart === app.chart?.name && r.version === app.chart?.version && r.repoURL === app.chart?.repoURL,
    );
    return row?.accepted &&
      supportProblem({ ...row, accepted: undefined }, today) &&
      row.accepted.until >= today
      ? [
          `${tree.cluster}: chart ${row.chart} ${row.version} is out of support, accepted until ${row.accepted.until}: ${row.accepted.reason}`,
        ]
      : [];
  });
}

export function checkVersions(tree: ClusterTree, today: string, rows = CHART_SUPPORT): ClusterProblem[] {
  const problems: ClusterProblem[] = [];
  const report = reporter(tree.cluster, 'versions', problems);
  for (const app of tree.applications) {
    if (!app.chart) continue;
    const { name, version } = app.chart;
    const ofChart = rows.filter((r) => r.chart === name && r.repoURL === app.chart?.repoURL);
    const row = ofChart.find((r) => r.version === version);
    if (!row) {
      report(
        app.object,
        ofChart.length > 0
          ? `chart ${name} is pinned at ${version}, but the versions table has ${ofChart.map((r) => r.version).join(', ')} (platform/versions.ts, docs/versions.md)`
          : `chart ${name} ${version} from ${app.chart.repoURL}: no row in the versions table (platform/versions.ts, docs/versions.md) says its maintainers support it`,
      );
      continue;
    }
    const problem = supportProblem(row, today);
    if (problem) report(app.object, `chart ${name} ${version}: ${problem}`);
  }
  return problems;
}
