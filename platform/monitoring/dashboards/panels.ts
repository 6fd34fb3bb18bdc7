import {
  type Dashboard,
  DashboardBuilder,
  QueryVariableBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TextPanel } from '@grafana/grafana-foundation-sdk/text';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { PROMETHEUS_DATASOURCE_UID } from '../stack';

/**
 * The few shapes every platform dashboard is made of, on top of Grafana's
 * typed builders: one Prometheus datasource, a query is an expression and a
 * legend, and a panel is a title, a unit and its queries.
 */

const DATASOURCE = { type: 'prometheus', uid: PROMETHEUS_DATASOURCE_UID };

/** Grafana's rate window that adapts to the scrape interval and the zoom level. */
export const RATE = '$__rate_interval';

/** One PromQL query of a panel and how its series are named. */
export interface Query {
  readonly expr: string;
  /** Legend, e.g. `{{provider}}`. */
  readonly legend: string;
}

export function q(expr: string, legend: string): Query {
  return { expr, legend };
}

function targets(queries: readonly Query[]) {
  return queries.map((query, i) =>
    new DataqueryBuilder()
      .expr(query.expr)
      .legendFormat(query.legend)
      .refId(String.fromCharCode(65 + i)),
  );
}

/** A time series panel. `unit` is a Grafana unit id such as `reqps`, `s`, `percentunit`, `currencyUSD`. */
export function timeseries(title: string, unit: string, queries: readonly Query[], description?: string) {
  let panel = new TimeseriesPanel().title(title).unit(unit).datasource(DATASOURCE).span(12).height(8);
  if (description) panel = panel.description(description);
  for (const target of targets(queries)) panel = panel.withTarget(target);
  return panel;
}

/** A single-number panel; `thresholds` are the values at which it turns orange and then red. */
export function stat(
  title: string,
  unit: string,
  query: Query,
  thresholds?: { readonly warning: number; readonly critical: number },
) {
  let panel = new StatPanel().title(title).unit(unit).datasource(DATASOURCE).span(6).height(4);
  for (const target of targets([query])) panel = panel.withTarget(target);
  if (thresholds) {
    panel = panel.thresholds(
      new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([
        { value: null, color: 'green' },
        { value: thresholds.warning, color: 'orange' },
        { value: thresholds.critical, color: 'red' },
      ]),
    );
  }
  return panel;
}

/** A Markdown panel, for facts known when the platform is rendered rather than measured. */
export function markdown(title: string, content: string) {
  return new TextPanel().title(title).content(content).span(24).height(8);
}

/** A dashboard variable listing the values of `label` on `metric`. */
export function labelVariable(name: string, label: string, metric: string) {
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query(`label_values(${metric}, ${label})`)
    .multi(true)
    .includeAll(true)
    .allValue('.*');
}

/** A dashboard of the platform: same tags, time range and refresh everywhere. */
export function platformDashboard(uid: string, title: string, description: string): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['ml-platform'])
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .timezone('utc')
    .editable();
}

/** The expressions a built dashboard queries: panel targets and variable sources (for tests). */
export function dashboardQueries(dashboard: Dashboard): string[] {
  const panels = (dashboard.panels ?? []) as { targets?: { expr?: string }[] }[];
  const fromPanels = panels.flatMap((panel) => (panel.targets ?? []).map((t) => t.expr ?? ''));
  const variables = (dashboard.templating?.list ?? []) as { query?: unknown }[];
  const fromVariables = variables
    .map((v) => (typeof v.query === 'string' ? v.query : ''))
    .filter((query) => query !== '');
  return [...fromPanels, ...fromVariables];
}
