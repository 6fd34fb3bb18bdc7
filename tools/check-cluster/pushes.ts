/**
 * Check: metrics a workload pushes (a Job to the Pushgateway) reach Prometheus and are watched.
 * A push is found in the workload itself: a URL of the Pushgateway API (`/metrics/job/<job>`) on an
 * in-cluster Service in its command, arguments or environment; the metric names are the
 * Prometheus-style names (with an underscore) in the same container's script. The Service pushed
 * to must be scraped by a monitor, and some alerting rule must use a pushed metric and notice when
 * they stop arriving (`absent(` or `time() -`), or a failed or stalled run goes unnoticed.
 */
import { chartScrapesItself } from './chart-monitors';
import { type ClusterModel, type ServiceModel, WORKLOAD_KINDS } from './model';
import type { ClusterProblem } from './problem';
import { scrapeTargets } from './reachability';
import { reporter } from './references';
import type { Json } from './tree';

/** The Pushgateway's push API on an in-cluster Service: `http://name.namespace.svc[.cluster.local][:port]/metrics/job/<job>`. */
const PUSH_URL =
  /https?:\/\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?(?::\d+)?\/metrics\/job\/([^/\s"'$]+)/g;
/** A metric name as a script writes one: letters, digits and underscores, with at least one underscore, not a shell variable. */
const METRIC_NAME = /(?<![$\w{.\-/])[a-zA-Z_:][a-zA-Z0-9_:]*_[a-zA-Z0-9_:]+/g;
/** What in an alert expression notices series that stop arriving. */
const STALENESS = /\babsent(_over_time)?\s*\(|\btime\(\)\s*-/;

/** A workload's pushes: the Service pushed to, the job and the metric names of its container. */
export interface Push {
  readonly url: string;
  readonly job: string;
  readonly service?: ServiceModel;
  readonly metrics: readonly string[];
}

/** Every push the containers of a pod spec make. */
export function pushesOf(model: ClusterModel, spec: Json | undefined): Push[] {
  const containers = [...((spec?.initContainers ?? []) as Json[]), ...((spec?.containers ?? []) as Json[])];
  return containers.flatMap((container) => {
    const text = [
      ...((container.command ?? []) as string[]),
      ...((container.args ?? []) as string[]),
      ...((container.env ?? []) as Json[]).map((e) => (typeof e.value === 'string' ? e.value : '')),
    ].join('\n');
    const metrics = [...new Set([...text.matchAll(METRIC_NAME)].map((m) => m[0]))].sort();
    return [...text.matchAll(PUSH_URL)].map(([url, name, , namespace, , job]) => ({
      url,
      job,
      metrics,
      ...(() => {
        const service = model.services.find((s) => s.name === name && s.namespace === namespace);
        return service ? { service } : {};
      })(),
    }));
  });
}

/** Whether a monitor, or the chart that creates the Service with a monitor of its own, scrapes it. */
function scraped(model: ClusterModel, service: ServiceModel): boolean {
  const monitors = [...model.tree.ofKind('ServiceMonitor'), ...model.tree.ofKind('PodMonitor')];
  if (monitors.some((monitor) => scrapeTargets(model, monitor).some((to) => to.name === service.what)))
    return true;
  const releases = model.tree.chartObjects
    .filter(({ objects }) =>
      (objects.services ?? []).some((s) => s.name === service.name && s.namespace === service.namespace),
    )
    .flatMap(({ objects }) => objects.releases);
  return model.tree.applications.some(
    (app) => releases.includes(app.name) && chartScrapesItself(app.chart?.values),
  );
}

/** Every alerting rule of the cluster: its name, expression and the object holding it. */
function alertingRules(model: ClusterModel): { alert: string; expr: string }[] {
  return model.tree
    .ofKind('PrometheusRule')
    .flatMap((rule) =>
      ((rule.body.spec?.groups ?? []) as Json[]).flatMap((group) =>
        ((group.rules ?? []) as Json[])
          .filter((r) => typeof r.alert === 'string')
          .map((r) => ({ alert: String(r.alert), expr: String(r.expr ?? '') })),
      ),
    );
}

export function checkPushes(model: ClusterModel): ClusterProblem[] {
  const problems: ClusterProblem[] = [];
  const report = reporter(model.tree.cluster, 'pushes', problems);
  const rules = alertingRules(model);
  for (const object of model.tree.objects) {
    if (!WORKLOAD_KINDS.has(object.kind)) continue;
    const pods = model.pods.find((p) => p.object === object);
    for (const push of pushesOf(model, pods?.original?.spec as Json | undefined)) {
      const what = `pushes job ${push.job} to ${push.url}`;
      if (!push.service) continue; // An unknown Service is the references check's to report.
      if (!scraped(model, push.service))
        report(
          object,
          `${what}, but no ServiceMonitor, PodMonitor or chart's own monitor scrapes ${push.service.what}: what it pushes never reaches Prometheus`,
        );
      const uses = (expr: string) =>
        push.metrics.some((metric) => new RegExp(`(^|[^\\w:])${metric}($|[^\\w:])`).test(expr));
      const watching = rules.filter((rule) => uses(rule.expr));
      const names = push.metrics.join(', ') || '(no metric names found in its script)';
      if (watching.length === 0)
        report(
          object,
          `${what} (${names}), but no alerting rule uses any of them: a failed run goes unnoticed`,
        );
      else if (!watching.some((rule) => STALENESS.test(rule.expr)))
        report(
          object,
          `${what} (${names}), but no alerting rule notices when they stop arriving (absent() or time() - on one of them; alerts using them: ${watching.map((r) => r.alert).join(', ')}): a run that stops goes unnoticed`,
        );
    }
  }
  return problems;
}
