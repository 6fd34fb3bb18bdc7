/**
 * TF Serving's configuration files, in the protobuf text format it reads.
 * Written by hand because they are two small, fixed-shape messages; a
 * protobuf library would need TF Serving's .proto files vendored.
 */

/** Where TF Serving exposes Prometheus metrics, on its REST port. */
export const METRICS_PATH = '/monitoring/prometheus/metrics';

export interface ServedModel {
  /** Model name as the API knows it. */
  readonly name: string;
  /** Folder (or object-store URI) holding the numeric version folders. */
  readonly basePath: string;
  /** The versions this server loads; everything else under basePath is ignored. */
  readonly versions: readonly number[];
}

/** `--model_config_file`: the model, where it lives and exactly which versions to serve. */
export function modelConfig(model: ServedModel): string {
  const versions = model.versions.map((v) => `        versions: ${v}`).join('\n');
  return [
    'model_config_list {',
    '  config {',
    `    name: ${JSON.stringify(model.name)}`,
    `    base_path: ${JSON.stringify(model.basePath)}`,
    '    model_platform: "tensorflow"',
    '    model_version_policy {',
    '      specific {',
    versions,
    '      }',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** `--monitoring_config_file`: Prometheus metrics on the REST port. */
export function monitoringConfig(): string {
  return ['prometheus_config {', '  enable: true', `  path: ${JSON.stringify(METRICS_PATH)}`, '}', ''].join(
    '\n',
  );
}
