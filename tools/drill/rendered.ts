/**
 * What the drill takes from the rendered tree (dist/), found by kind, never re-derived from the
 * charts: a change to dist/ changes the drill. Loads no cdk8s (tools/tree only).
 */
import { parseDocuments } from '../tree/documents';
import { readClusterYaml } from '../tree/files';

/** One object of a cluster's rendered tree and its file (for error messages). */
export interface RenderedObject {
  readonly file: string;
  readonly component: string;
  readonly object: Record<string, any>;
}

/** What one cluster's rendered tree gives the drill. */
export interface RenderedCluster {
  readonly cluster: string;
  /** The gateway's config.json (routing table and all), parsed. */
  readonly gatewayConfig: { readonly file: string; readonly config: Record<string, any> };
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
        objects.push({ file, component: file.split('/')[1] ?? '', object: doc.value as Record<string, any> });
      }
    }
  }
  if (objects.length === 0) throw new RenderedTreeError(`${root}/${cluster}: no rendered objects (run npm run synth)`);
  const gatewayMaps = objects.filter(
    (o) => o.component === 'gateway' && o.object.kind === 'ConfigMap' && o.object.data?.[GATEWAY_CONFIG_KEY],
  );
  if (gatewayMaps.length !== 1) {
    throw new RenderedTreeError(
      `${cluster}/gateway: expected one ConfigMap with ${GATEWAY_CONFIG_KEY}, found ${gatewayMaps.length}`,
    );
  }
  const [gatewayMap] = gatewayMaps;
  let config: Record<string, any>;
  try {
    config = JSON.parse(gatewayMap.object.data[GATEWAY_CONFIG_KEY]);
  } catch (error) {
    throw new RenderedTreeError(`${gatewayMap.file}: ${GATEWAY_CONFIG_KEY} is not JSON: ${(error as Error).message}`);
  }
  const dataSyncJobs = new Map<string, DataSyncJob>();
  for (const o of objects) {
    if (o.component !== 'data-sync' || o.object.kind !== 'CronJob') continue;
    const containers = o.object.spec?.jobTemplate?.spec?.template?.spec?.containers;
    if (!Array.isArray(containers) || containers.length !== 1 || !Array.isArray(containers[0].command)) {
      throw new RenderedTreeError(`${o.file}: expected one container with a command`);
    }
    const env: Record<string, string> = {};
    for (const variable of containers[0].env ?? []) {
      if (typeof variable.value === 'string') env[variable.name] = variable.value;
    }
    dataSyncJobs.set(o.object.metadata.name, { file: o.file, command: containers[0].command, env });
  }
  return {
    cluster,
    gatewayConfig: { file: gatewayMap.file, config },
    prometheusRules: objects.filter((o) => o.object.kind === 'PrometheusRule'),
    alertmanagerConfigs: objects.filter((o) => o.object.kind === 'AlertmanagerConfig'),
    dataSyncJobs,
  };
}
