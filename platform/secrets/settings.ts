import { EXTERNAL_SECRETS_WORKLOAD } from './cloud-workloads';

/** Namespace, release name and metrics port of External Secrets (the chart's `metrics.listen.port`). */
export const EXTERNAL_SECRETS = {
  namespace: EXTERNAL_SECRETS_WORKLOAD.namespace,
  release: 'external-secrets',
  metricsPortName: 'metrics',
  metricsPort: 8080,
} as const;

/** The controller's ServiceAccount, named in the values. */
export const SERVICE_ACCOUNT = 'external-secrets';

/** Custom resource kinds whose CRDs the chart installs (`installCRDs`). */
export const EXTERNAL_SECRETS_CRDS = [
  'external-secrets.io/ClusterExternalSecret',
  'external-secrets.io/ClusterSecretStore',
  'external-secrets.io/ExternalSecret',
  'external-secrets.io/PushSecret',
  'external-secrets.io/SecretStore',
];
