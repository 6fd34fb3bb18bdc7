import type { IClusterSecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore';
import type { Construct } from 'constructs';
import { type Component, type ComponentProps, PlatformChart } from '../kernel/chart';
import type { HelmRelease } from '../kernel/helm';
import { teamLabels } from '../kernel/pods';
import { typedObject } from '../kernel/typed';

import { CLOUD_SECRET_STORE } from './store';

export { CloudSecret, type CloudSecretProps } from './cloud-secret';

import { externalSecretsChartObjects } from './chart-objects';

export { CLOUD_SECRET_STORE } from './store';

import { SECRETS_TEAM, secretsContribution } from './contributes';
import { EXTERNAL_SECRETS, EXTERNAL_SECRETS_CRDS, SERVICE_ACCOUNT } from './settings';

export { EXTERNAL_SECRETS } from './settings';

/**
 * The values of the external-secrets chart 2.9.0 (external-secrets/external-secrets,
 * deploy/charts/external-secrets/values.yaml at tag helm-chart-2.9.0) the platform sets.
 */
export interface ExternalSecretsValues {
  /** The chart installs and upgrades the external-secrets.io CRDs. */
  readonly installCRDs: true;
  /** Controller replicas. */
  readonly replicaCount: number;
  /**
   * `--enable-leader-election`: with more than one replica, only the leader
   * reconciles; without it every replica writes every Secret.
   */
  readonly leaderElect: boolean;
  readonly podDisruptionBudget: { readonly enabled: true; readonly minAvailable: number };
  /** The ServiceAccount the chart creates, annotated with the workload identity. */
  readonly serviceAccount: {
    readonly create: true;
    readonly name: string;
    readonly annotations: Readonly<Record<string, string>>;
  };
  /** Labels on the controller pods (the profile's workload-identity pod labels and the team). */
  readonly podLabels: Readonly<Record<string, string>>;
  /**
   * `global.podLabels`: labels of the pods of every Deployment that sets no `podLabels` of its own
   * (templates/webhook-deployment.yaml, cert-controller-deployment.yaml: the webhook and the
   * certificate controller).
   */
  readonly global: { readonly podLabels: Readonly<Record<string, string>> };
  /** The controller's metrics listener; the monitoring component's PodMonitor scrapes it by name. */
  readonly metrics: { readonly listen: { readonly port: number } };
  /** Off: the PodMonitor in the monitoring component scrapes every External Secrets pod instead. */
  readonly serviceMonitor: { readonly enabled: false };
}

/** Controller replicas: two, so a node drain never stops secret refreshes; one leads. */
const CONTROLLER_REPLICAS = 2;

/** External Secrets Operator, pinned; it installs the external-secrets.io CRDs. */
function externalSecretsRelease({ profile }: ComponentProps): HelmRelease {
  const identity = profile.workloadIdentity('external-secrets');
  const values: ExternalSecretsValues = {
    installCRDs: true,
    replicaCount: CONTROLLER_REPLICAS,
    leaderElect: CONTROLLER_REPLICAS > 1,
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
    serviceAccount: {
      create: true,
      name: SERVICE_ACCOUNT,
      annotations: identity.serviceAccountAnnotations,
    },
    podLabels: { ...identity.podLabels, ...teamLabels(SECRETS_TEAM) },
    global: { podLabels: teamLabels(SECRETS_TEAM) },
    metrics: { listen: { port: EXTERNAL_SECRETS.metricsPort } },
    serviceMonitor: { enabled: false },
  };
  return {
    name: EXTERNAL_SECRETS.release,
    repoURL: 'https://charts.external-secrets.io',
    chart: 'external-secrets',
    version: '2.9.0',
    namespace: EXTERNAL_SECRETS.namespace,
    values: { ...values },
    providesCrds: EXTERNAL_SECRETS_CRDS,
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
  contributes: () => ({ ...secretsContribution(), chartObjects: externalSecretsChartObjects() }),
};
