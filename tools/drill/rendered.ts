/**
 * What the drill takes from the rendered tree (dist/), found by kind, never re-derived from the
 * charts: a change to dist/ changes the drill. Loads no cdk8s (tools/tree only).
 */
import { at, parseDocuments } from '../tree/documents';
import { readClusterYaml } from '../tree/files';

/** A parsed JSON or YAML object; read with `at` (tools/tree/documents.ts). */
export type Json = Readonly<Record<string, unknown>>;

/** One object of a cluster's rendered tree and its file (for error messages). */
export interface RenderedObject {
  readonly file: string;
  readonly component: string;
  readonly object: Json;
}

/** The alert route's timings of a cluster's AlertmanagerConfig, as written (`30s`, `5m`). */
export interface RouteTimings {
  readonly groupWait?: string;
  readonly groupInterval?: string;
}

/** What one cluster's rendered tree gives the drill. */
export interface RenderedCluster {
  readonly cluster: string;
  /** The gateway's config.json (routing table and all), parsed. */
  readonly gatewayConfig: { readonly file: string; readonly config: Json };
  /** Every model of the gateway's routing table. */
  readonly models: readonly string[];
  /** The top route's timings of the (first) AlertmanagerConfig. */
  readonly routeTimings: RouteTimings;
  readonly prometheusRules: readonly RenderedObject[];
  readonly alertmanagerConfigs: readonly RenderedObject[];
  /** The replication CronJobs (component data-sync), by name. */
  readonly dataSyncJobs: ReadonlyMap<string, DataSyncJob>;
}

/** A data-sync CronJob's container: its command and environment exactly as rendered. */
export interface DataSyncJob {
  readonly file: string;
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export class RenderedTreeError extends Error {
  override name = 'RenderedTreeError';
}

const GATEWAY_CONFIG_KEY = 'config.json';

export function readRenderedCluster(root: string, cluster: string): RenderedCluster {
  const objects: RenderedObject[] = [];
  for (const { file, text } of readClusterYaml(root, cluster)) {
    for (const doc of parseDocuments(file, text)) {
      if (doc.parseError) throw new RenderedTreeError(`${file}: ${doc.parseError}`);
      if (doc.value && typeof doc.value === 'object') {
        objects.push({ file, component: file.split('/')[1] ?? '', object: doc.value as Json });
      }
    }
  }
  if (objects.length === 0)
    throw new RenderedTreeError(`${root}/${cluster}: no rendered objects (run npm run synth)`);
  const gatewayMaps = objects.filter(
    (o) =>
      o.component === 'gateway' &&
      o.object.kind === 'ConfigMap' &&
      typeof at(o.object, 'data', GATEWAY_CONFIG_KEY) === 'string',
  );
  if (gatewayMaps.length !== 1) {
    throw new RenderedTreeError(
      `${cluster}/gateway: expected one ConfigMap with ${GATEWAY_CONFIG_KEY}, found ${gatewayMaps.length}`,
    );
  }
  const [gatewayMap] = gatewayMaps;
  let config: Json;
  try {
    config = JSON.parse(at(gatewayMap.object, 'data', GATEWAY_CONFIG_KEY) as string) as Json;
  } catch (error) {
    throw new RenderedTreeError(
      `${gatewayMap.file}: ${GATEWAY_CONFIG_KEY} is not JSON: ${(error as Error).message}`,
    );
  }
  const dataSyncJobs = new Map<string, DataSyncJob>();
  for (const o of objects) {
    if (o.component !== 'data-sync' || o.object.kind !== 'CronJob') continue;
    const containers = at(o.object, 'spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers');
    const command = at(containers, 0, 'command');
    if (!Array.isArray(containers) || containers.length !== 1 || !Array.isArray(command)) {
      throw new RenderedTreeError(`${o.file}: expected one container with a command`);
    }
    const env: Record<string, string> = {};
    const variables = at(containers, 0, 'env');
    for (const variable of Array.isArray(variables) ? variables : []) {
      const name = at(variable, 'name');
      const value = at(variable, 'value');
      if (typeof name === 'string' && typeof value === 'string') env[name] = value;
    }
    const name = at(o.object, 'metadata', 'name');
    if (typeof name !== 'string') throw new RenderedTreeError(`${o.file}: metadata.name is missing`);
    dataSyncJobs.set(name, { file: o.file, command: command.map(String), env });
  }
  const providers = at(config, 'providers');
  if (!Array.isArray(providers))
    throw new RenderedTreeError(`${gatewayMap.file}: ${GATEWAY_CONFIG_KEY} has no providers`);
  const models = [
    ...new Set(
      providers.flatMap((p) => (Array.isArray(at(p, 'models')) ? (at(p, 'models') as unknown[]) : [])),
    ),
  ];
  if (models.length === 0)
    throw new RenderedTreeError(`${gatewayMap.file}: the routing table names no model`);
  const alertmanagerConfigs = objects.filter((o) => o.object.kind === 'AlertmanagerConfig');
  const route = at(alertmanagerConfigs[0]?.object, 'spec', 'route');
  const timing = (key: string) =>
    typeof at(route, key) === 'string' ? (at(route, key) as string) : undefined;
  return {
    cluster,
    gatewayConfig: { file: gatewayMap.file, config },
    models: models.map(String),
    routeTimings: { groupWait: timing('groupWait'), groupInterval: timing('groupInterval') },
    prometheusRules: objects.filter((o) => o.object.kind === 'PrometheusRule'),
    alertmanagerConfigs,
    dataSyncJobs,
  };
}
