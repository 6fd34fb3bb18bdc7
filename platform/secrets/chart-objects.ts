/**
 * What external-secrets 2.9.0 creates that others refer to (external-secrets/external-secrets tag
 * helm-chart-2.9.0, deploy/charts/external-secrets/templates: deployment.yaml,
 * webhook-service.yaml, webhook-deployment.yaml, validatingwebhook.yaml, _helpers.tpl), with the
 * values of index.ts (release and fullname `external-secrets`, webhook and cert controller on).
 */
import { type ChartObjects, customResourcesOf } from '../kernel/contribution';
import { EXTERNAL_SECRETS_VALUE_PATHS } from './chart-value-paths';
import { EXTERNAL_SECRETS, EXTERNAL_SECRETS_CRDS, SERVICE_ACCOUNT } from './settings';

/** The chart's name, which is also its fullname for release `external-secrets`. */
const NAME = 'external-secrets';
/** The webhook container's port (`webhook.port`), and the metrics port of every container (`*.metrics.listen.port`). */
const WEBHOOK_PORT = 10250;

export function externalSecretsChartObjects(): ChartObjects {
  const { namespace, release } = EXTERNAL_SECRETS;
  const selector = (suffix: string) => ({
    'app.kubernetes.io/name': `${NAME}${suffix}`,
    'app.kubernetes.io/instance': release,
  });
  const metrics = { name: 'metrics', port: EXTERNAL_SECRETS.metricsPort };
  const webhookService = { namespace, name: `${NAME}-webhook`, port: 443 };
  return {
    releases: [release],
    // The controller takes `podLabels`; the webhook and the certificate controller `global.podLabels`.
    podLabelValues: [{ release, paths: ['podLabels', 'global.podLabels'] }],
    values: [EXTERNAL_SECRETS_VALUE_PATHS],
    services: [
      {
        namespace,
        name: webhookService.name,
        selector: selector('-webhook'),
        labels: { ...selector('-webhook'), 'external-secrets.io/component': 'webhook' },
        ports: [{ name: 'webhook', port: 443, targetPort: WEBHOOK_PORT }],
      },
    ],
    pods: [
      { namespace, labels: selector(''), ports: [metrics], serviceAccount: SERVICE_ACCOUNT },
      {
        namespace,
        labels: selector('-webhook'),
        ports: [metrics, { name: 'webhook', port: WEBHOOK_PORT }],
        serviceAccount: `${NAME}-webhook`,
      },
      {
        namespace,
        labels: selector('-cert-controller'),
        ports: [metrics],
        serviceAccount: `${NAME}-cert-controller`,
      },
    ],
    serviceAccounts: [SERVICE_ACCOUNT, `${NAME}-webhook`, `${NAME}-cert-controller`].map((name) => ({
      namespace,
      name,
    })),
    customResources: customResourcesOf(EXTERNAL_SECRETS_CRDS),
    // The cert controller writes the CA bundle into a field the templates leave out.
    apiBackends: ['secretstore-validate', 'externalsecret-validate'].map((name) => ({
      kind: 'ValidatingWebhookConfiguration' as const,
      name,
      release,
      service: webhookService,
    })),
    secrets: [{ namespace, name: `${NAME}-webhook` }],
  };
}
