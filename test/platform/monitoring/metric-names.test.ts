import { loadDeclaredFleet } from '../../../clusters';
import { METRIC_NAMES } from '../../../gateway/src/metrics/names';
import { EXPORTED_SERIES } from '../../../platform/monitoring/exporters';
import { renderFleet } from '../../../tools/synth/render';
import { metricNames } from './promql';
import { promtool, yamlFiles } from './promtool';

type Json = Record<string, any>;
const fleet = loadDeclaredFleet();
const tree = renderFleet(fleet);

/** Every alert and recording expression of a cluster, and every dashboard query, with where it is. */
function queries(cluster: string): { where: string; expr: string }[] {
  const mine = tree.resources.filter((r) => r.cluster === cluster && r.component === 'monitoring');
  const fromRules = mine
    .filter((r) => r.kind === 'PrometheusRule')
    .flatMap((r) =>
      (r.object as Json).spec.groups.flatMap((g: Json) =>
        g.rules.map((rule: Json) => ({
          where: `${r.name}: ${rule.alert ?? rule.record}`,
          expr: String(rule.expr),
        })),
      ),
    );
  const fromDashboards = mine
    .filter((r) => r.kind === 'ConfigMap' && (r.object as Json).metadata.labels?.grafana_dashboard === '1')
    .flatMap((r) =>
      Object.values((r.object as Json).data as Record<string, string>).flatMap((json) => {
        const dashboard = JSON.parse(json);
        const panels = (dashboard.panels ?? []).flatMap((p: Json) =>
          (p.targets ?? []).map((t: Json) => ({
            where: `${dashboard.uid}: ${p.title}`,
            expr: t.expr as string,
          })),
        );
        const variables = (dashboard.templating?.list ?? []).map((v: Json) => ({
          where: `${dashboard.uid}: $${v.name}`,
          expr: v.query as string,
        }));
        return [...panels, ...variables];
      }),
    );
  return [...fromRules, ...fromDashboards];
}

/** Names recording rules of the cluster produce; queries may read them like exported metrics. */
function recorded(cluster: string): string[] {
  return tree.resources
    .filter((r) => r.cluster === cluster && r.kind === 'PrometheusRule')
    .flatMap((r) =>
      (r.object as Json).spec.groups.flatMap((g: Json) => g.rules.map((rule: Json) => rule.record)),
    )
    .filter(Boolean);
}

describe('metric names in alert rules and dashboards', () => {
  it('reads metric names out of the expressions the platform uses', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le, model) (rate(gateway_request_duration_seconds_bucket{model=~"$model"}[$__rate_interval]))) > 0.1',
      ),
    ).toEqual(['gateway_request_duration_seconds_bucket']);
    expect(
      metricNames(
        'min(citadel_server_cert_chain_expiry_timestamp) - time() < 30 * 86400 and on (x) up offset 5m',
      ),
    ).toEqual(['citadel_server_cert_chain_expiry_timestamp', 'up']);
    expect(metricNames('sum by (model_name) (rate(:tensorflow:serving:request_count[5m]))')).toEqual([
      ':tensorflow:serving:request_count',
    ]);
    expect(metricNames('label_values(gateway_requests_total, provider)')).toEqual(['gateway_requests_total']);
    expect(metricNames('1e3 * a_total / ignoring (pod) group_left () b:c:d')).toEqual(['a_total', 'b:c:d']);
  });

  it("takes the gateway's names from the gateway's own list", () => {
    const missing = METRIC_NAMES.filter(
      (name) =>
        !EXPORTED_SERIES.gateway?.includes(name) && !EXPORTED_SERIES.gateway?.includes(`${name}_bucket`),
    );
    expect(missing).toEqual([]);
  });

  it.each(fleet.clusters.map((c) => [c.name]))('only uses names something exports, in %s', (cluster) => {
    const allowed = new Set([...Object.values(EXPORTED_SERIES).flat(), ...recorded(cluster)]);
    const found = queries(cluster);
    expect(found.length).toBeGreaterThan(20);
    const unknown = found.flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => !allowed.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it.each(fleet.clusters.map((c) => [c.name]))('dashboard queries of %s parse as PromQL', (cluster) => {
    // Grafana's variables become what Grafana sends: a window and an all-matching regex.
    const exprs = queries(cluster)
      .map((q) => q.expr)
      .filter((expr) => !expr.startsWith('label_values('))
      .map((expr) => expr.replaceAll('$__rate_interval', '5m').replace(/\$\w+/g, '.*'));
    const dir = yamlFiles({
      'dashboards.yaml': {
        groups: [
          { name: 'dashboards', rules: exprs.map((expr, i) => ({ record: `dashboard:query_${i}`, expr })) },
        ],
      },
    });
    expect(promtool(['check', 'rules', 'dashboards.yaml'], dir)).toContain('SUCCESS');
  });
});
