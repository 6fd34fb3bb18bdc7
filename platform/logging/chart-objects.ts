/**
 * What the logging component's charts create that others refer to: the eck-operator chart 3.5.0
 * (elastic/cloud-on-k8s tag v3.5.0, deploy/eck-operator/templates: statefulset.yaml, webhook.yaml,
 * _helpers.tpl; `nameOverride: elastic-operator`, `webhook.port` 9443), what the operator then
 * creates for the Elasticsearch and Kibana this component renders (ECK names them
 * `<name>-es-http`, `<name>-es-elastic-user`, `<name>-es-http-certs-public`, `<name>-kb-http`), and
 * fluent-bit 0.58.1 (fluent/helm-charts tag fluent-bit-0.58.1: templates/service.yaml, _pod.tpl).
 */
import { type ChartObjects, customResourcesOf } from '../kernel/contribution';
import { ECK_OPERATOR_VALUE_PATHS, FLUENT_BIT_VALUE_PATHS } from './chart-value-paths';
import { ELASTICSEARCH_WORKLOAD } from './cloud-workloads';
import { ECK_CRDS, ECK_METRICS_PORT, ELASTICSEARCH, KIBANA_NAME, LOGGING_NAMESPACE } from './settings';

const namespace = LOGGING_NAMESPACE;
const ECK_NAME = 'elastic-operator';
const ECK_RELEASE = 'eck-operator';
const FLUENT_BIT = 'fluent-bit';

export function loggingChartObjects(): ChartObjects {
  const operator = { 'app.kubernetes.io/name': ECK_NAME, 'app.kubernetes.io/instance': ECK_RELEASE };
  const elasticsearch = {
    'elasticsearch.k8s.elastic.co/cluster-name': ELASTICSEARCH.name,
    'common.k8s.elastic.co/type': 'elasticsearch',
  };
  const kibana = { 'kibana.k8s.elastic.co/name': KIBANA_NAME, 'common.k8s.elastic.co/type': 'kibana' };
  const fluentBit = { 'app.kubernetes.io/name': FLUENT_BIT, 'app.kubernetes.io/instance': FLUENT_BIT };
  return {
    releases: [ECK_RELEASE, FLUENT_BIT],
    // eck-operator 3.5.0 templates/statefulset.yaml and fluent-bit 0.58.1 templates/daemonset.yaml.
    // Elasticsearch's and Kibana's pods are labelled through their podTemplate in this component.
    podLabelValues: [
      { release: ECK_RELEASE, paths: ['podLabels'] },
      { release: FLUENT_BIT, paths: ['podLabels'] },
    ],
    values: [ECK_OPERATOR_VALUE_PATHS, FLUENT_BIT_VALUE_PATHS],
    services: [
      {
        namespace,
        name: `${ECK_NAME}-webhook`,
        selector: operator,
        ports: [{ name: 'https', port: 443, targetPort: 9443 }],
      },
      {
        namespace,
        name: `${ELASTICSEARCH.name}-es-http`,
        selector: elasticsearch,
        ports: [{ name: 'https', port: ELASTICSEARCH.port, targetPort: ELASTICSEARCH.port }],
      },
      {
        namespace,
        name: `${KIBANA_NAME}-kb-http`,
        selector: kibana,
        ports: [{ name: 'https', port: 5601, targetPort: 5601 }],
      },
      {
        namespace,
        name: FLUENT_BIT,
        selector: fluentBit,
        labels: fluentBit,
        // `service.port` 2020 to the container's `http` port (`metricsPort`).
        ports: [{ name: 'http', port: 2020, targetPort: 2020 }],
      },
    ],
    pods: [
      {
        release: ECK_RELEASE,
        namespace,
        labels: operator,
        ports: [
          { name: 'metrics', port: ECK_METRICS_PORT },
          { name: 'https-webhook', port: 9443 },
        ],
        serviceAccount: ECK_NAME,
      },
      {
        release: ECK_RELEASE,
        namespace,
        labels: elasticsearch,
        ports: [
          { name: 'https', port: ELASTICSEARCH.port },
          { name: 'transport', port: 9300 },
        ],
        // The Elasticsearch resource's pod template names it (the snapshot repository's identity).
        serviceAccount: ELASTICSEARCH_WORKLOAD.serviceAccount,
      },
      {
        release: ECK_RELEASE,
        namespace,
        labels: kibana,
        ports: [{ name: 'https', port: 5601 }],
        serviceAccount: 'default',
      },
      {
        release: FLUENT_BIT,
        namespace,
        labels: fluentBit,
        ports: [{ name: 'http', port: 2020 }],
        serviceAccount: FLUENT_BIT,
        // Reads the node's /var/log and container logs through hostPath volumes.
        podSecurity: 'privileged',
      },
    ],
    serviceAccounts: [ECK_NAME, FLUENT_BIT].map((name) => ({ namespace, name })),
    customResources: customResourcesOf(ECK_CRDS),
    apiBackends: [
      {
        kind: 'ValidatingWebhookConfiguration',
        name: `${ECK_NAME}.${namespace}.k8s.elastic.co`,
        release: ECK_RELEASE,
        service: { namespace, name: `${ECK_NAME}-webhook`, port: 443 },
      },
    ],
    secrets: [
      `${ECK_NAME}-webhook-cert`,
      ELASTICSEARCH.superuserSecret,
      ELASTICSEARCH.caSecret,
      `${ELASTICSEARCH.name}-es-http-certs-internal`,
    ].map((name) => ({ namespace, name })),
    configMaps: [{ namespace, name: FLUENT_BIT }],
  };
}
