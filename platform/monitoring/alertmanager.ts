import type { IAlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import { Construct } from 'constructs';
import { secretName } from '../../clusters/naming';
import type { ClusterSpec, Fleet } from '../../clusters/types';
import { typedObject } from '../kernel/typed';
import { CloudSecret } from '../secrets/cloud-secret';

/** The AlertmanagerConfig the Alertmanager uses as its whole configuration (kube-prometheus-stack points at it). */
export const ALERTMANAGER_CONFIG = 'ml-platform';

/** Secrets Alertmanager reads its credentials from, filled by External Secrets. */
const SLACK_SECRET = 'alertmanager-slack';
const SMTP_SECRET = 'alertmanager-smtp';

export interface AlertRoutingProps {
  readonly cluster: ClusterSpec;
  readonly fleet: Fleet;
  /** Namespace of Alertmanager. */
  readonly namespace: string;
}

/**
 * Where alerts go, by severity: critical pages the on-call channel and mails
 * the on-call mailbox; warnings go to the team channel. Inhibitions keep one
 * cause from paging several times: a provider that is down explains its open
 * breakers and cost anomalies, a critical alert silences the matching warning.
 * Credentials are ExternalSecrets; nothing secret is in git.
 */
export class AlertRouting extends Construct {
  constructor(scope: Construct, id: string, props: AlertRoutingProps) {
    super(scope, id);
    const { cluster, namespace } = props;
    const alerting = props.fleet.settings.observability.alerting;
    new CloudSecret(this, 'slack', {
      name: SLACK_SECRET,
      namespace,
      remoteKey: secretName(cluster, 'alertmanager-slack'),
      keys: { 'webhook-url': undefined },
    });
    new CloudSecret(this, 'smtp', {
      name: SMTP_SECRET,
      namespace,
      remoteKey: secretName(cluster, 'alertmanager-smtp'),
      keys: { password: undefined },
    });

    const slack = (channel: string) => ({
      apiURL: { name: SLACK_SECRET, key: 'webhook-url' },
      channel,
      sendResolved: true,
      title: `[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} (${cluster.name})`,
      // Every alert has a runbook (platform rules: docs/runbooks/; the chart's: runbooks.prometheus-operator.dev).
      text:
        '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\n' +
        'Runbook: {{ .Annotations.runbook_url }}\n{{ end }}',
    });
    const severity = (value: string) => [{ name: 'severity', matchType: '=' as const, value }];

    typedObject<IAlertmanagerConfig>(this, 'config', {
      apiVersion: 'monitoring.coreos.com/v1alpha1',
      kind: 'AlertmanagerConfig',
      metadata: { name: ALERTMANAGER_CONFIG, namespace },
      spec: {
        route: {
          receiver: 'warning',
          groupBy: ['alertname', 'provider', 'model'],
          groupWait: '30s',
          groupInterval: '5m',
          repeatInterval: '4h',
          routes: [
            { receiver: 'critical', matchers: severity('critical'), repeatInterval: '1h' },
            { receiver: 'warning', matchers: severity('warning') },
            // kube-prometheus-stack's always-firing Watchdog proves the pipeline works; it must not notify.
            { receiver: 'null', matchers: [{ name: 'alertname', matchType: '=', value: 'Watchdog' }] },
          ],
        },
        receivers: [
          {
            name: 'critical',
            slackConfigs: [slack(alerting.criticalSlackChannel)],
            emailConfigs: [
              {
                to: alerting.emailTo,
                from: alerting.emailFrom,
                smarthost: alerting.smtpSmarthost,
                authUsername: alerting.smtpUsername,
                authPassword: { name: SMTP_SECRET, key: 'password' },
                requireTLS: true,
                sendResolved: true,
              },
            ],
          },
          { name: 'warning', slackConfigs: [slack(alerting.warningSlackChannel)] },
          { name: 'null' },
        ],
        inhibitRules: [
          {
            // A critical alert already pages; its warning twin would only repeat it.
            sourceMatch: severity('critical'),
            targetMatch: severity('warning'),
            equal: ['alertname', 'provider', 'model'],
          },
          {
            sourceMatch: [{ name: 'alertname', matchType: '=', value: 'CloudProviderUnreachable' }],
            targetMatch: [
              { name: 'alertname', matchType: '=~', value: 'CircuitBreakerOpen|CostPerRequestAnomaly' },
            ],
            equal: ['provider'],
          },
          {
            sourceMatch: [{ name: 'alertname', matchType: '=', value: 'ModelServingDown' }],
            targetMatch: [{ name: 'alertname', matchType: '=', value: 'ModelServingReplicasUnavailable' }],
            equal: ['deployment'],
          },
          {
            sourceMatch: [{ name: 'alertname', matchType: '=', value: 'MeshCertificateExpiryCritical' }],
            targetMatch: [{ name: 'alertname', matchType: '=', value: 'MeshCertificateExpiring' }],
          },
        ],
      },
    });
  }
}
