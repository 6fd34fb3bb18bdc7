/** Names the logging component, its log shipper and Jaeger agree on. */
export const LOGGING_NAMESPACE = 'logging';

/**
 * The Elastic Stack release every resource runs: the 9.x release ECK 3.5.0
 * ships as its stack default (ECK 3.5.0 supports stacks 8+ and 9+).
 */
export const ELASTIC_VERSION = '9.5.0';

/** The Elasticsearch cluster (ECK names its Services and Secrets after it). */
export const ELASTICSEARCH = {
  name: 'logs',
  port: 9200,
  /** ECK's HTTP Service: `<name>-es-http`. */
  host: `logs-es-http.${LOGGING_NAMESPACE}.svc.cluster.local`,
  /** ECK's Secret with the `elastic` superuser's password (key `elastic`). */
  superuserSecret: 'logs-es-elastic-user',
  /** ECK's Secret with the CA of the HTTP certificate (key `ca.crt`), safe to share. */
  caSecret: 'logs-es-http-certs-public',
  /**
   * The HTTP certificate, from the cloud secret store rather than ECK's own
   * CA: clients in other namespaces (Jaeger) can then get the CA from the
   * store too, instead of reading a Secret across namespaces.
   */
  httpCertificateSecret: 'logs-http-certificate',
} as const;

/**
 * Elasticsearch users that write data, each with the one role it needs.
 * Jaeger v2 also reads its spans back (its query service runs in the same
 * process, as the same user) and puts its index templates at start-up
 * (`create_mappings` defaults to true).
 */
export const WRITERS = {
  fluentBit: { user: 'fluent-bit', role: 'ml_log_writer', indices: ['ml-logs-*'], reads: false, cluster: [] },
  jaeger: {
    user: 'jaeger',
    role: 'jaeger_writer',
    indices: ['jaeger-*'],
    reads: true,
    cluster: ['manage_index_templates'],
  },
} as const;

/** Index prefix of a cluster's logs; one index a day (`<prefix>-YYYY.MM.DD`). */
export function logIndexPrefix(cluster: { readonly name: string }): string {
  return `ml-logs-${cluster.name}`;
}

/** Port of the ECK operator's metrics endpoint. */
export const ECK_METRICS_PORT = 9090;

/** The Kibana instance (ECK names its Service `<name>-kb-http`). */
export const KIBANA_NAME = 'logs';

/** Custom resource kinds whose CRDs the eck-operator chart installs. */
export const ECK_CRDS = [
  'agent.k8s.elastic.co/Agent',
  'apm.k8s.elastic.co/ApmServer',
  'autoops.k8s.elastic.co/AutoOpsAgentPolicy',
  'autoscaling.k8s.elastic.co/ElasticsearchAutoscaler',
  'beat.k8s.elastic.co/Beat',
  'elasticsearch.k8s.elastic.co/Elasticsearch',
  'enterprisesearch.k8s.elastic.co/EnterpriseSearch',
  'kibana.k8s.elastic.co/Kibana',
  'logstash.k8s.elastic.co/Logstash',
  'maps.k8s.elastic.co/ElasticMapsServer',
  'packageregistry.k8s.elastic.co/PackageRegistry',
  'stackconfigpolicy.k8s.elastic.co/StackConfigPolicy',
];
