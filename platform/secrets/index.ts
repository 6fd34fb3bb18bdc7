import type { IClusterSecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore';
import type { Construct } from 'constructs';
import { type Component, type ComponentProps, PlatformChart } from '../synth/chart';
import type { HelmRelease } from '../synth/helm';
import { typedObject } from '../synth/typed';

import { CLOUD_SECRET_STORE } from './store';

export { CloudSecret, type CloudSecretProps } from './cloud-secret';
export { CLOUD_SECRET_STORE } from './store';

const NAMESPACE = 'external-secrets';
const SERVICE_ACCOUNT = 'external-secrets';

/** External Secrets Operator, pinned; it installs the external-secrets.io CRDs. */
function externalSecretsRelease({ profile }: ComponentProps): HelmRelease {
  const identity = profile.workloadIdentity('external-secrets');
  return {
    name: 'external-secrets',
    repoURL: 'https://charts.external-secrets.io',
    chart: 'external-secrets',
    version: '2.0.0',
    namespace: NAMESPACE,
    values: {
      installCRDs: true,
      replicaCount: 2,
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      serviceAccount: {
        create: true,
        name: SERVICE_ACCOUNT,
        annotations: identity.serviceAccountAnnotations,
      },
      podLabels: identity.podLabels,
      serviceMonitor: { enabled: false },
    },
    providesCrds: [
      'external-secrets.io/ClusterExternalSecret',
      'external-secrets.io/ClusterSecretStore',
      'external-secrets.io/ExternalSecret',
      'external-secrets.io/PushSecret',
      'external-secrets.io/SecretStore',
    ],
    // The CRDs carry large OpenAPI schemas; client-side apply would overflow the last-applied annotation.
    serverSideApply: true,
  };
}

/**
 * Secrets never live in git: External Secrets copies them from the cloud's
 * secret store into the cluster, reading the store as its workload identity.
 */
export class SecretsChart extends PlatformChart {
  constructor(scope: Construct, props: ComponentProps) {
    super(scope, 'secrets', props);
    typedObject<IClusterSecretStore>(this, 'store', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: CLOUD_SECRET_STORE },
      spec: { provider: props.profile.secretStoreProvider() },
    });
  }
}

export const secretsComponent: Component = {
  name: 'secrets',
  project: 'platform',
  build: (scope, props) => new SecretsChart(scope, props),
  helmReleases: (props) => [externalSecretsRelease(props)],
};
