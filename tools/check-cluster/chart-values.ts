/**
 * Check: what each upstream chart does with the values it is given, from the value paths its
 * component declares the chart reads at its pinned version (contributions.json, `chartObjects.values`):
 * a key the chart does not read (a value that silently does nothing), a controller replicated
 * without leader election, and an OpenTelemetry collector configuration that, once Helm has merged
 * it over the chart's defaults, exports to a debug exporter or names a component it does not define.
 */
import type { ChartPodFiles, ChartValuePaths } from '../../platform/kernel/contribution';
import { coalesceHelmValues } from '../../platform/kernel/helm-values';
import { ClusterModel } from './model';
import type { ClusterProblem } from './problem';
import { reporter } from './references';
import type { Application, ClusterTree, Json } from './tree';

const VALUES_FIELD = 'spec.source.helm.valuesObject';

/** Exporter types that only print telemetry to the collector's own log: nothing reaches a backend. */
const DEBUG_EXPORTERS = new Set(['debug', 'logging']);

const isMap = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at a dotted path, or undefined. */
export function valueAt(values: unknown, path: string): unknown {
  let here = values;
  for (const key of path.split('.')) {
    if (!isMap(here)) return undefined;
    here = here[key];
  }
  return here;
}

/**
 * The given value paths a chart does not read: a given key is read when its path is declared, lies
 * below a declared path (read whole), or is a map holding declared paths.
 */
export function unreadValuePaths(values: Json, reads: readonly string[]): string[] {
  const whole = new Set(reads);
  const maps = new Set(
    reads.flatMap((path) => {
      const keys = path.split('.');
      return keys.slice(1).map((_, i) => keys.slice(0, i + 1).join('.'));
    }),
  );
  const unread: string[] = [];
  const walk = (value: Json, prefix: string) => {
    for (const [key, child] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (whole.has(path)) continue;
      if (!maps.has(path)) unread.push(path);
      else if (isMap(child)) walk(child, path);
    }
  };
  walk(values, '');
  return unread;
}

/** What a collector configuration gets wrong: pipelines naming undefined components, debug exporters. */
export function collectorConfigProblems(config: Json): string[] {
  const problems: string[] = [];
  const pipelines = isMap(config.service?.pipelines) ? config.service.pipelines : {};
  for (const [name, pipeline] of Object.entries(pipelines)) {
    if (!isMap(pipeline)) continue;
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      const defined = isMap(config[kind]) ? config[kind] : {};
      for (const component of (pipeline[kind] ?? []) as string[]) {
        if (!(component in defined))
          problems.push(
            `pipeline ${name} uses ${kind.slice(0, -1)} "${component}", which ${kind} does not define`,
          );
        else if (kind === 'exporters' && DEBUG_EXPORTERS.has(component.split('/')[0]))
          problems.push(
            `pipeline ${name} exports to "${component}", a ${component.split('/')[0]} exporter: its telemetry only reaches the collector's log`,
          );
      }
    }
  }
  return problems;
}

/** An absolute file path, as a configuration names a file (not a URL, not a word). */
const ABSOLUTE_PATH = /^\/[^\s:]+$/;

/**
 * The files a chart's pods would not find: each absolute path in their configuration must lie
 * under a mount of theirs, be the mount itself when it mounts one file (`subPath`), and be one of
 * the files the mounted volume projects when it lists them (`items`).
 */
export function unmountedFiles(values: Json, declared: ChartPodFiles): string[] {
  const mounts = (valueAt(values, declared.mounts) ?? []) as Json[];
  const volumes = (declared.volumes ? (valueAt(values, declared.volumes) ?? []) : []) as Json[];
  const problems: string[] = [];
  for (const root of declared.files) {
    for (const { path, text } of ClusterModel.strings(valueAt(values, root), root)) {
      if (!ABSOLUTE_PATH.test(text)) continue;
      const mount = mounts
        .filter((m) => text === m.mountPath || text.startsWith(`${String(m.mountPath).replace(/\/$/, '')}/`))
        .sort((a, b) => String(b.mountPath).length - String(a.mountPath).length)[0];
      const where = `${path}: the ${declared.pods} pods read ${text}`;
      if (!mount) {
        const at = mounts.map((m) => m.mountPath).join(', ') || 'none';
        problems.push(`${where}, which none of their mounts (${declared.mounts}: ${at}) provides`);
        continue;
      }
      if (mount.subPath !== undefined) {
        if (text !== mount.mountPath)
          problems.push(`${where}, but ${mount.mountPath} mounts one file (subPath ${mount.subPath})`);
        continue;
      }
      const volume = volumes.find((v) => v.name === mount.name);
      const source = volume?.secret ?? volume?.configMap;
      const items = (source?.items ?? []) as Json[];
      const file = text.slice(String(mount.mountPath).replace(/\/$/, '').length + 1);
      if (items.length > 0 && !items.some((item) => item.path === file))
        problems.push(
          `${where}, but volume ${mount.name} mounted at ${mount.mountPath} holds only ${items.map((i) => i.path).join(', ')}`,
        );
    }
  }
  return problems;
}

/** The collector configuration a chart runs with these values: the replacing one, or the merged one. */
function effectiveCollectorConfig(
  declared: NonNullable<ChartValuePaths['collectorConfig']>,
  values: Json,
): { path: string; config: Json } | undefined {
  const replacing = declared.replacing ? valueAt(values, declared.replacing) : undefined;
  if (isMap(replacing) && Object.keys(replacing).length > 0)
    return { path: declared.replacing as string, config: replacing };
  if (!declared.merged) return undefined;
  const given = valueAt(values, declared.merged);
  const merged = coalesceHelmValues(declared.defaults ?? {}, isMap(given) ? given : {});
  return Object.keys(merged).length > 0 ? { path: declared.merged, config: merged } : undefined;
}

/** The declaration of the value paths a chart reads: at the pinned version, or at another one. */
function declarationFor(tree: ClusterTree, app: Application) {
  const all = tree.chartObjects.flatMap(({ component, objects }) =>
    (objects.values ?? []).map((declared) => ({ component, declared })),
  );
  const ofChart = all.filter(({ declared }) => declared.chart === app.chart?.name);
  return {
    atVersion: ofChart.find(({ declared }) => declared.version === app.chart?.version),
    versions: ofChart.map(({ declared }) => declared.version),
  };
}

export function checkChartValues(tree: ClusterTree): ClusterProblem[] {
  const problems: ClusterProblem[] = [];
  const report = reporter(tree.cluster, 'chart-values', problems);
  for (const app of tree.applications) {
    if (!app.chart) continue;
    const { name, version, values } = app.chart;
    const { atVersion, versions } = declarationFor(tree, app);
    if (!atVersion) {
      report(
        app.object,
        versions.length > 0
          ? `chart ${name} is pinned at ${version}, but the value paths it reads are declared for ${versions.join(', ')} (${tree.contributionsPath}): read the chart at ${version} and declare them again`
          : `chart ${name} ${version}: no component declares the value paths it reads (chartObjects.values in ${tree.contributionsPath})`,
      );
      continue;
    }
    const { component, declared } = atVersion;
    for (const path of unreadValuePaths(values, declared.reads))
      report(
        app.object,
        `${VALUES_FIELD}.${path}: chart ${name} ${version} does not read this value (not among the paths ${component} declares it reads)`,
      );
    for (const controller of declared.leaderElection ?? []) {
      const replicas = Number(valueAt(values, controller.replicas) ?? controller.defaultReplicas);
      const elects = valueAt(values, controller.enabled) ?? controller.enabledByDefault;
      if (replicas > 1 && elects !== true)
        report(
          app.object,
          `${VALUES_FIELD}.${controller.replicas}: ${replicas} replicas of the ${controller.controller} without leader election (${controller.enabled} is ${elects}): every replica acts on the same objects`,
        );
    }
    for (const files of declared.podFiles ?? [])
      for (const problem of unmountedFiles(values, files)) report(app.object, `${VALUES_FIELD}.${problem}`);
    const collector = declared.collectorConfig && effectiveCollectorConfig(declared.collectorConfig, values);
    if (collector)
      for (const problem of collectorConfigProblems(collector.config))
        report(
          app.object,
          `${VALUES_FIELD}.${collector.path}${collector.path === declared.collectorConfig?.merged ? ' (merged over the chart defaults)' : ''}: ${problem}`,
        );
  }
  return problems;
}
