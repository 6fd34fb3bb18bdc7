/** OpenCost's names, apart from the chart so the commands and the monitoring read them without loading cdk8s. */
import { OPENCOST_WORKLOAD } from './cloud-workloads';

/** OpenCost's identity (clusters/workloads.ts): its namespace and the ServiceAccount the chart creates. */
export const WORKLOAD = OPENCOST_WORKLOAD;

/**
 * Where OpenCost runs and its names as the chart derives them (templates/_helpers.tpl at
 * opencost-2.5.17: fullname is the release name when it contains the chart name `opencost`).
 */
export const COST = {
  namespace: WORKLOAD.namespace,
  release: 'opencost',
  /** Deployment, Service and (named explicitly) ServiceAccount. */
  fullname: 'opencost',
  serviceAccount: WORKLOAD.serviceAccount,
  /** `opencost.exporter.apiPort`: the API and `/metrics`, the Service port named `http`. */
  apiPort: 9003,
  /** The pods' selector labels (`opencost.selectorLabels`). */
  selector: { 'app.kubernetes.io/name': 'opencost', 'app.kubernetes.io/instance': 'opencost' },
  /** The Secret External Secrets writes the pricing API key into, where the cloud's profile asks for one. */
  apiKeySecret: 'opencost-cloud-pricing',
  /** Name of the PrometheusRule holding the alerts on OpenCost's series. */
  rules: 'opencost',
} as const;
