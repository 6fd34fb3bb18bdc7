import type { ClusterSpec } from '../../clusters/types';
import type { HelmRelease } from '../kernel/helm';
import { teamLabels } from '../kernel/pods';
import { GATEWAY } from '../mesh/workloads';
import type { FluentBitChartValues } from './chart-values';
import { LOGGING_TEAM } from './contributes';
import { ELASTICSEARCH, LOGGING_NAMESPACE, logIndexPrefix, WRITERS } from './settings';

/** One section of Fluent Bit's configuration: `[INPUT]`, `[FILTER]`, ... with its keys in order. */
export interface FluentBitSection {
  readonly kind: 'SERVICE' | 'INPUT' | 'FILTER' | 'OUTPUT' | 'PARSER';
  /** Keys and values; a key given a list is repeated once per value (as `Rename` is). */
  readonly entries: readonly (readonly [string, string | number | readonly string[]])[];
}

/** Renders sections in Fluent Bit's classic format, which the chart's `config.*` values take. */
export function renderSections(sections: readonly FluentBitSection[]): string {
  return sections
    .map((section) => {
      const lines = section.entries.flatMap(([key, value]) =>
        (Array.isArray(value) ? value : [value]).map((v) => `    ${key} ${v}`),
      );
      return [`[${section.kind}]`, ...lines].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

/** Secret holding the Fluent Bit user's Elasticsearch password (key `password`). */
export const FLUENT_BIT_ES_SECRET = 'fluent-bit-elasticsearch';

/** The gateway's access-log fields, renamed to the index's field names. */
const GATEWAY_FIELDS: Readonly<Record<string, string>> = {
  requestId: 'request_id',
  traceId: 'trace_id',
  latencyMs: 'latency_ms',
};

/**
 * The log pipeline: container logs from every node, Kubernetes metadata,
 * JSON logs merged into fields, the gateway's access-log fields renamed,
 * every record stamped with the cluster, then one Elasticsearch index a day.
 */
export function fluentBitPipeline(cluster: ClusterSpec) {
  const inputs: FluentBitSection[] = [
    {
      kind: 'INPUT',
      entries: [
        ['Name', 'tail'],
        ['Path', '/var/log/containers/*.log'],
        ['multiline.parser', 'cri, docker'],
        ['Tag', 'kube.*'],
        ['Mem_Buf_Limit', '50MB'],
        ['Skip_Long_Lines', 'On'],
      ],
    },
  ];
  const filters: FluentBitSection[] = [
    {
      kind: 'FILTER',
      entries: [
        ['Name', 'kubernetes'],
        ['Match', 'kube.*'],
        // JSON lines (the gateway's pino logs, Envoy's access log) become fields.
        ['Merge_Log', 'On'],
        ['Keep_Log', 'Off'],
        ['K8S-Logging.Parser', 'On'],
        ['K8S-Logging.Exclude', 'On'],
        ['Labels', 'On'],
        ['Annotations', 'Off'],
      ],
    },
    {
      kind: 'FILTER',
      entries: [
        ['Name', 'modify'],
        // Tail tags are kube.var.log.containers.<pod>_<namespace>_<container>-<id>.log
        ['Match', `kube.*_${GATEWAY.namespace}_gateway-*`],
        ['Rename', Object.entries(GATEWAY_FIELDS).map(([from, to]) => `${from} ${to}`)],
      ],
    },
    {
      kind: 'FILTER',
      entries: [
        ['Name', 'modify'],
        ['Match', 'kube.*'],
        ['Add', [`cluster ${cluster.name}`, `cloud ${cluster.cloud}`, `region ${cluster.region}`]],
      ],
    },
  ];
  const outputs: FluentBitSection[] = [
    {
      kind: 'OUTPUT',
      entries: [
        ['Name', 'es'],
        ['Match', 'kube.*'],
        ['Host', ELASTICSEARCH.host],
        ['Port', ELASTICSEARCH.port],
        ['HTTP_User', WRITERS.fluentBit.user],
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Fluent Bit expands it from the Secret, at run time
        ['HTTP_Passwd', '${ES_PASSWORD}'],
        ['tls', 'On'],
        ['tls.verify', 'On'],
        ['tls.ca_file', '/es-ca/ca.crt'],
        ['Logstash_Format', 'On'],
        ['Logstash_Prefix', logIndexPrefix(cluster)],
        ['Suppress_Type_Name', 'On'],
        ['Replace_Dots', 'On'],
        ['Trace_Error', 'On'],
        // Keep retrying while Elasticsearch is away; the tail input buffers and pauses.
        ['Retry_Limit', 'False'],
      ],
    },
  ];
  return { inputs, filters, outputs };
}

/** Fluent Bit, pinned: a DaemonSet on every node, every pool's taints tolerated. */
export function fluentBitRelease(cluster: ClusterSpec): HelmRelease {
  const pipeline = fluentBitPipeline(cluster);
  const values: FluentBitChartValues = {
    kind: 'DaemonSet',
    podLabels: teamLabels(LOGGING_TEAM),
    // Logs of GPU and ML nodes matter as much as the others.
    tolerations: [{ operator: 'Exists' }],
    priorityClassName: 'system-node-critical',
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    env: [
      { name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: FLUENT_BIT_ES_SECRET, key: 'password' } } },
    ],
    extraVolumes: [{ name: 'es-ca', secret: { secretName: ELASTICSEARCH.caSecret } }],
    extraVolumeMounts: [{ name: 'es-ca', mountPath: '/es-ca', readOnly: true }],
    serviceMonitor: { enabled: true },
    testFramework: { enabled: false },
    config: {
      inputs: renderSections(pipeline.inputs),
      filters: renderSections(pipeline.filters),
      outputs: renderSections(pipeline.outputs),
    },
  };
  return {
    name: 'fluent-bit',
    repoURL: 'https://fluent.github.io/helm-charts',
    chart: 'fluent-bit',
    version: '0.58.1',
    namespace: LOGGING_NAMESPACE,
    values,
    providesCrds: [],
    // Its ServiceMonitor needs the Prometheus operator's CRDs.
    requires: ['kube-prometheus-stack'],
  };
}
