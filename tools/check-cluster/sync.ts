/**
 * Check 6, the sync finishes: from the Applications' waves and the health rules Argo CD applies,
 * report an Application that can never become Healthy (a pod admission refuses, a claim with no
 * class: the problems the other checks mark so) and the later waves the root Application then never
 * syncs; and an Application that can never stay in sync because a controller rewrites what it
 * applies (a webhook's failurePolicy istiod patches) and the Application does not ignore it.
 */
import type { ClusterModel } from './model';
import type { ClusterProblem } from './problem';
import { reporter } from './references';
import type { Application, Json } from './tree';

/** Argo CD's health rule for Applications: with it, the root Application waits for each wave's Applications to be Healthy. */
const APPLICATION_HEALTH = 'resource.customizations.health.argoproj.io_Application';

/** Whether Argo CD (from its chart's values in the tree) assesses child Applications' health. */
function assessesApplicationHealth(model: ClusterModel): boolean {
  const argocd = model.tree.applications.find((a) => a.chart?.name === 'argo-cd');
  const cm = argocd?.chart?.values.configs?.cm ?? {};
  return typeof cm[APPLICATION_HEALTH] === 'string';
}

export function checkSync(model: ClusterModel, earlier: readonly ClusterProblem[]): ClusterProblem[] {
  const problems: ClusterProblem[] = [];
  const report = reporter(model.tree.cluster, 'sync', problems);
  const { tree } = model;
  const appOfFile = (file: string): Application | undefined => {
    const folder = file.split('/').slice(0, 2).join('/');
    return (
      tree.applications.find((a) => a.object.file === file && a.chart) ??
      tree.applications.find((a) => a.path === folder)
    );
  };
  const causes = new Map<Application, ClusterProblem[]>();
  for (const problem of earlier.filter((p) => p.unhealthy)) {
    const app = appOfFile(problem.file);
    if (app) causes.set(app, [...(causes.get(app) ?? []), problem]);
  }
  const waits = assessesApplicationHealth(model);
  for (const [app, found] of causes) {
    const later = tree.applications
      .filter((a) => a.wave > app.wave)
      .map((a) => a.name)
      .sort();
    const blocked =
      waits && later.length > 0
        ? `; the root Application waits on wave ${app.wave}, so waves after it never sync (${later.join(', ')})`
        : '';
    report(
      app.object,
      `Application ${app.name} (wave ${app.wave}) can never become Healthy: ${found[0].object}: ${found[0].message}${found.length > 1 ? ` (and ${found.length - 1} more)` : ''}${blocked}`,
    );
  }

  // Fields a controller rewrites must be ignored by the Application that applies them.
  for (const backend of model.apiBackends.filter((b) => b.release && b.rewrittenFields?.length)) {
    const app = tree.applications.find((a) => a.name === backend.release);
    if (!app) continue;
    const ignored = ((app.object.body.spec?.ignoreDifferences ?? []) as Json[])
      .filter((d) => d.kind === backend.kind && (!d.name || d.name === backend.name))
      .flatMap((d) => d.jqPathExpressions ?? []);
    const missing = (backend.rewrittenFields ?? []).filter((field) => !ignored.includes(field));
    if (missing.length > 0)
      report(
        app.object,
        `${backend.kind} ${backend.name} is rewritten by its controller at ${missing.join(', ')}, which Application ${app.name} does not ignore: it is OutOfSync forever and self-heal keeps reverting it`,
      );
  }
  return problems;
}
