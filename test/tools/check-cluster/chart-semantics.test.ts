/**
 * npm run check:cluster, chart-value semantics: what a chart does with the values it is given, read
 * from the value paths each component declares its pinned chart reads. Each test puts a bring-up
 * defect (or one of its kind) back into a copy of dist/ and sees it reported, naming the object.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { toYaml } from '../../../platform/kernel/serialize';
import { CHART_SUPPORT, type ChartSupport, SUPPORT_RECHECK_DAYS } from '../../../platform/versions';
import { collectorConfigProblems, unreadValuePaths } from '../../../tools/check-cluster/chart-values';
import { checkClusterTree, checkTreeWithNotes } from '../../../tools/check-cluster/check';
import { ClusterModel } from '../../../tools/check-cluster/model';
import { formatProblem } from '../../../tools/check-cluster/problem';
import { pushesOf } from '../../../tools/check-cluster/pushes';
import { readClusterTree } from '../../../tools/check-cluster/tree';
import {
  acceptedUnsupported,
  BadSupportRow,
  checkVersions,
  supportProblem,
} from '../../../tools/check-cluster/versions';
import { DIST_DIR } from '../../../tools/tree/layout';
import { cloudOf, copyOf, edit, editContributions, type Json, remove, report } from './tree-copies';

const eck = 'eks-prod/argocd/Application.argocd.eck-operator.yaml';
const externalSecrets = 'eks-prod/argocd/Application.argocd.external-secrets.yaml';
const collector = 'eks-prod/argocd/Application.argocd.otel-collector.yaml';
const valuesOf = (app: Json) => app.spec.source.helm.valuesObject as Json;

describe('values a chart does not read', () => {
  it('accepts declared paths, what lies below a path read whole, and maps holding declared paths', () => {
    const reads = ['config.metrics.port', 'resources', 'replicaCount'];
    expect(
      unreadValuePaths(
        { config: { metrics: { port: 9090 } }, resources: { limits: { cpu: '1' } }, replicaCount: 1 },
        reads,
      ),
    ).toEqual([]);
    expect(
      unreadValuePaths({ config: { metrics: { enabled: true }, metricPort: 1 }, replicas: 2 }, reads),
    ).toEqual(['config.metrics.enabled', 'config.metricPort', 'replicas']);
  });

  it('reports a key eck-operator 3.5.0 does not read, naming the Application and the path', () => {
    const root = copyOf('eks-prod');
    edit(root, eck, (app) => {
      valuesOf(app).config.metrics.enabled = true;
    });
    expect(report(root, 'eks-prod')).toEqual([
      'eks-prod: Application argocd/eck-operator (eks-prod/argocd/Application.argocd.eck-operator.yaml): chart-values: spec.source.helm.valuesObject.config.metrics.enabled: chart eck-operator 3.5.0 does not read this value (not among the paths logging declares it reads)',
    ]);
  });

  it('accepts config.metricsPort, which eck-operator 3.5.0 still reads after config.metrics.port (_helpers.tpl)', () => {
    const root = copyOf('eks-prod');
    edit(root, eck, (app) => {
      const config = valuesOf(app).config;
      config.metricsPort = config.metrics.port;
      delete config.metrics;
    });
    expect(report(root, 'eks-prod').filter((line) => line.includes('chart-values'))).toEqual([]);
  });

  it('reports a misnamed top-level key (external-secrets leaderElection for leaderElect)', () => {
    const root = copyOf('eks-prod');
    edit(root, externalSecrets, (app) => {
      const values = valuesOf(app);
      values.leaderElection = values.leaderElect;
      delete values.leaderElect;
    });
    expect(report(root, 'eks-prod')).toEqual([
      expect.stringMatching(
        /^eks-prod: Application argocd\/external-secrets .*: chart-values: spec\.source\.helm\.valuesObject\.leaderElection: chart external-secrets 2\.9\.0 does not read this value/,
      ),
      // And without leaderElect the chart's default (off) applies to two replicas.
      expect.stringMatching(
        /external-secrets .*: chart-values: spec\.source\.helm\.valuesObject\.replicaCount: 2 replicas of the controller without leader election \(leaderElect is false\)/,
      ),
    ]);
  });

  it('reports a chart pinned at a version its value paths were not read at', () => {
    const root = copyOf('eks-prod');
    edit(root, eck, (app) => {
      app.spec.source.targetRevision = '3.6.0';
    });
    expect(report(root, 'eks-prod')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /Application argocd\/eck-operator .*: chart-values: chart eck-operator is pinned at 3\.6\.0, but the value paths it reads are declared for 3\.5\.0 \(eks-prod\/contributions\.json\): read the chart at 3\.6\.0/,
        ),
      ]),
    );
  });

  it('reports a chart whose read value paths no component declares', () => {
    const root = copyOf('eks-prod');
    editContributions(root, 'eks-prod', (declared) => {
      delete declared.backup.chartObjects.values;
    });
    expect(report(root, 'eks-prod')).toEqual([
      expect.stringMatching(
        /^eks-prod: Application argocd\/velero .*: chart-values: chart velero 11\.4\.0: no component declares the value paths it reads \(chartObjects\.values in eks-prod\/contributions\.json\)/,
      ),
    ]);
  });
});

describe('replicated controllers without leader election', () => {
  it('reports external-secrets with two replicas and leader election off', () => {
    const root = copyOf('eks-prod');
    edit(root, externalSecrets, (app) => {
      valuesOf(app).leaderElect = false;
    });
    expect(report(root, 'eks-prod')).toEqual([
      'eks-prod: Application argocd/external-secrets (eks-prod/argocd/Application.argocd.external-secrets.yaml): chart-values: spec.source.helm.valuesObject.replicaCount: 2 replicas of the controller without leader election (leaderElect is false): every replica acts on the same objects',
    ]);
  });

  it('reports the cert controller too, which the same switch governs', () => {
    const root = copyOf('eks-prod');
    edit(root, externalSecrets, (app) => {
      const values = valuesOf(app);
      delete values.leaderElect;
      values.replicaCount = 1;
      values.certController = { ...(values.certController ?? {}), replicaCount: 3 };
    });
    expect(report(root, 'eks-prod')).toEqual([
      expect.stringMatching(
        /external-secrets .*: chart-values: spec\.source\.helm\.valuesObject\.certController\.replicaCount: 3 replicas of the cert controller without leader election \(leaderElect is false\)/,
      ),
    ]);
  });
});

describe('the OpenTelemetry collector configuration the chart runs', () => {
  it('reports the chart default debug pipelines a merged config keeps (the bring-up defect)', () => {
    const root = copyOf('eks-prod');
    edit(root, collector, (app) => {
      const values = valuesOf(app);
      values.config = values.alternateConfig;
      delete values.alternateConfig;
    });
    expect(report(root, 'eks-prod')).toEqual([
      'eks-prod: Application argocd/otel-collector (eks-prod/argocd/Application.argocd.otel-collector.yaml): chart-values: spec.source.helm.valuesObject.config (merged over the chart defaults): pipeline logs exports to "debug", a debug exporter: its telemetry only reaches the collector\'s log',
      'eks-prod: Application argocd/otel-collector (eks-prod/argocd/Application.argocd.otel-collector.yaml): chart-values: spec.source.helm.valuesObject.config (merged over the chart defaults): pipeline metrics exports to "debug", a debug exporter: its telemetry only reaches the collector\'s log',
    ]);
  });

  it('reports a pipeline naming an exporter the configuration does not define, and a logging exporter', () => {
    const root = copyOf('eks-prod');
    edit(root, collector, (app) => {
      const config = valuesOf(app).alternateConfig;
      config.exporters['logging/spans'] = {};
      config.service.pipelines.traces.exporters = ['otlp_grpc/jaeger-typo', 'logging/spans'];
    });
    expect(report(root, 'eks-prod')).toEqual([
      expect.stringMatching(
        /otel-collector .*: chart-values: spec\.source\.helm\.valuesObject\.alternateConfig: pipeline traces exports to "logging\/spans", a logging exporter/,
      ),
      expect.stringMatching(
        /otel-collector .*: chart-values: spec\.source\.helm\.valuesObject\.alternateConfig: pipeline traces uses exporter "otlp_grpc\/jaeger-typo", which exporters does not define/,
      ),
    ]);
  });

  it("checks Jaeger v2's own configuration (userconfig) the same way", () => {
    const root = copyOf('eks-prod');
    edit(root, 'eks-prod/argocd/Application.argocd.jaeger.yaml', (app) => {
      const pipelines = valuesOf(app).userconfig.service.pipelines;
      const first = Object.values(pipelines)[0] as Json;
      first.receivers = [...first.receivers, 'zipkin'];
    });
    expect(report(root, 'eks-prod')).toEqual([
      expect.stringMatching(
        /Application argocd\/jaeger .*: chart-values: spec\.source\.helm\.valuesObject\.userconfig: pipeline \S+ uses receiver "zipkin", which receivers does not define/,
      ),
    ]);
  });

  it('finds nothing wrong in a configuration whose pipelines use only what it defines', () => {
    expect(
      collectorConfigProblems({
        receivers: { otlp: {} },
        exporters: { 'otlp_grpc/jaeger': {} },
        service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['otlp_grpc/jaeger'] } } },
      }),
    ).toEqual([]);
  });
});

describe("files a chart's pods read where its values mount them", () => {
  const jaeger = 'eks-prod/argocd/Application.argocd.jaeger.yaml';
  const elasticsearchTls = (values: Json) => {
    const backends = values.userconfig.extensions.jaeger_storage.backends as Json;
    return (Object.values(backends)[0] as Json).elasticsearch.tls as Json;
  };

  it('reports the Elasticsearch CA path Jaeger reads at a path nothing mounts (the bring-up defect)', () => {
    const root = copyOf('eks-prod');
    edit(root, jaeger, (app) => {
      elasticsearchTls(valuesOf(app)).ca_file = '/tls/es/ca.crt';
    });
    expect(report(root, 'eks-prod')).toEqual([
      expect.stringMatching(
        /^eks-prod: Application argocd\/jaeger \(eks-prod\/argocd\/Application\.argocd\.jaeger\.yaml\): chart-values: spec\.source\.helm\.valuesObject\.userconfig\.extensions\.jaeger_storage\.backends\.\S+\.elasticsearch\.tls\.ca_file: the jaeger pods read \/tls\/es\/ca\.crt, which none of their mounts \(jaeger\.extraVolumeMounts: \/es-tls, \/es-credentials\) provides/,
      ),
    ]);
  });

  it('reports a file the mounted Secret volume does not project', () => {
    const root = copyOf('eks-prod');
    edit(root, jaeger, (app) => {
      elasticsearchTls(valuesOf(app)).ca_file = '/es-tls/tls.crt';
    });
    expect(report(root, 'eks-prod')).toEqual([
      expect.stringMatching(
        /Application argocd\/jaeger .*: chart-values: .*\.tls\.ca_file: the jaeger pods read \/es-tls\/tls\.crt, but volume es-tls mounted at \/es-tls holds only ca\.crt/,
      ),
    ]);
  });

  it("reports the index cleaner's CA beside the one file its Secret mount provides", () => {
    const root = copyOf('eks-prod');
    edit(root, jaeger, (app) => {
      valuesOf(app).esIndexCleaner.cmdlineParams['es.tls.ca'] = '/es-tls/ca.pem';
    });
    expect(report(root, 'eks-prod')).toEqual([
      expect.stringMatching(
        /Application argocd\/jaeger .*: chart-values: spec\.source\.helm\.valuesObject\.esIndexCleaner\.cmdlineParams\.es\.tls\.ca: the es-index-cleaner pods read \/es-tls\/ca\.pem, which none of their mounts \(esIndexCleaner\.extraSecretMounts: \/es-tls\/ca\.crt\) provides/,
      ),
    ]);
  });
});

describe('metrics a Job pushes reach Prometheus and are watched', () => {
  const rules = 'aks-prod/monitoring/PrometheusRule.monitoring.ml-platform.yaml';
  const dropAlerts = (root: string, drop: (alert: string) => boolean) =>
    edit(root, rules, (rule) => {
      for (const group of rule.spec.groups as Json[])
        group.rules = (group.rules as Json[]).filter((r) => !(r.alert && drop(r.alert)));
    });

  it('finds the pushes in the Jobs themselves: the Pushgateway URL, the job and the metric names', () => {
    const model = new ClusterModel(readClusterTree(DIST_DIR, 'aks-prod'));
    const sync = model.pods.find((p) => p.what === 'CronJob ml-serving/model-sync');
    expect(pushesOf(model, sync?.original?.spec as Json)).toEqual([
      {
        url: 'http://pushgateway.monitoring.svc.cluster.local:9091/metrics/job/model-sync',
        job: 'model-sync',
        metrics: [
          'model_sync_last_run_timestamp_seconds',
          'model_sync_last_success',
          'model_sync_last_success_timestamp_seconds',
        ],
        service: expect.objectContaining({ namespace: 'monitoring', name: 'pushgateway' }),
      },
    ]);
  });

  it('reports a push to a Pushgateway nobody scrapes (the bring-up defect)', () => {
    const root = copyOf('aks-prod');
    remove(root, 'aks-prod/monitoring/ServiceMonitor.monitoring.pushgateway.yaml');
    expect(report(root, 'aks-prod').filter((line) => line.includes(': pushes: '))).toEqual([
      "aks-prod: CronJob ml-serving/model-sync-verify (aks-prod/data-sync/CronJob.ml-serving.model-sync-verify.yaml): pushes: pushes job model-sync-verify to http://pushgateway.monitoring.svc.cluster.local:9091/metrics/job/model-sync-verify, but no ServiceMonitor, PodMonitor or chart's own monitor scrapes Service monitoring/pushgateway (a chart of data-sync): what it pushes never reaches Prometheus",
      "aks-prod: CronJob ml-serving/model-sync (aks-prod/data-sync/CronJob.ml-serving.model-sync.yaml): pushes: pushes job model-sync to http://pushgateway.monitoring.svc.cluster.local:9091/metrics/job/model-sync, but no ServiceMonitor, PodMonitor or chart's own monitor scrapes Service monitoring/pushgateway (a chart of data-sync): what it pushes never reaches Prometheus",
    ]);
  });

  it('reports pushed metrics no alerting rule uses (no alert on failed replication)', () => {
    const root = copyOf('aks-prod');
    dropAlerts(root, (alert) => alert.startsWith('ModelReplication'));
    expect(report(root, 'aks-prod')).toEqual([
      expect.stringMatching(
        /CronJob ml-serving\/model-sync-verify .*, but no alerting rule uses any of them/,
      ),
      expect.stringMatching(
        /^aks-prod: CronJob ml-serving\/model-sync \(.*\): pushes: pushes job model-sync to .* \(model_sync_last_run_timestamp_seconds, model_sync_last_success, model_sync_last_success_timestamp_seconds\), but no alerting rule uses any of them: a failed run goes unnoticed/,
      ),
    ]);
  });

  it('reports pushed metrics whose alerts never notice them stop (no alert on stale replication)', () => {
    const root = copyOf('aks-prod');
    dropAlerts(root, (alert) => /^ModelReplication(Verify)?(Stale|NotReporting)$/.test(alert));
    expect(report(root, 'aks-prod')).toEqual([
      expect.stringMatching(
        /CronJob ml-serving\/model-sync-verify .*alerts using them: ModelReplicationVerifyFailed\)/,
      ),
      expect.stringMatching(
        /CronJob ml-serving\/model-sync \(.*\): pushes: .*no alerting rule notices when they stop arriving \(absent\(\) or time\(\) - on one of them; alerts using them: ModelReplicationFailed\): a run that stops goes unnoticed/,
      ),
    ]);
  });
});

describe('chart pins against their support windows', () => {
  const checkedOn = (root: string, cluster: string, today: string) =>
    checkClusterTree(readClusterTree(root, cluster), cloudOf(cluster), today)
      .map(formatProblem)
      .filter((line) => line.includes(': versions: '));

  it('reports a chart with no row: aws-node-termination-handler 0.21.0 from eks-charts (the bring-up defect)', () => {
    const root = copyOf('eks-prod');
    const app = load(
      readFileSync(join(root, 'eks-prod/argocd/Application.argocd.metrics-server.yaml'), 'utf8'),
    ) as Json;
    app.metadata.name = 'aws-node-termination-handler';
    app.spec.source = {
      repoURL: 'https://aws.github.io/eks-charts',
      chart: 'aws-node-termination-handler',
      targetRevision: '0.21.0',
      helm: { releaseName: 'aws-node-termination-handler', valuesObject: {} },
    };
    writeFileSync(
      join(root, 'eks-prod/argocd/Application.argocd.aws-node-termination-handler.yaml'),
      toYaml(app),
    );
    expect(checkedOn(root, 'eks-prod', '2026-11-30')).toEqual([
      'eks-prod: Application argocd/aws-node-termination-handler (eks-prod/argocd/Application.argocd.aws-node-termination-handler.yaml): versions: chart aws-node-termination-handler 0.21.0 from https://aws.github.io/eks-charts: no row in the versions table (platform/versions.ts, docs/versions.md) says its maintainers support it',
    ]);
  });

  it('reports a pin other than the row’s', () => {
    const root = copyOf('eks-prod');
    edit(root, 'eks-prod/argocd/Application.argocd.velero.yaml', (app) => {
      app.spec.source.targetRevision = '10.0.0';
    });
    expect(checkedOn(root, 'eks-prod', '2026-11-30')).toEqual([
      expect.stringMatching(
        /Application argocd\/velero .*: versions: chart velero is pinned at 10\.0\.0, but the versions table has 11\.4\.0/,
      ),
    ]);
  });

  it('notes nothing on the fleet as rendered: no pin is kept out of support (the load balancer controller is on chart 3.5.0)', () => {
    const root = copyOf('eks-prod');
    expect(checkedOn(root, 'eks-prod', '2026-11-30')).toEqual([]);
    expect(checkTreeWithNotes(root, cloudOf, '2026-11-30').notes).toEqual([]);
    expect(CHART_SUPPORT.filter((row) => row.accepted)).toEqual([]);
  });

  it('reports the load balancer controller chart 1.17.1 (controller v2.17), no longer in the versions table', () => {
    const root = copyOf('eks-prod');
    edit(root, 'eks-prod/argocd/Application.argocd.aws-load-balancer-controller.yaml', (app) => {
      app.spec.source.targetRevision = '1.17.1';
    });
    expect(checkedOn(root, 'eks-prod', '2026-11-30')).toEqual([
      expect.stringMatching(
        /Application argocd\/aws-load-balancer-controller .*: versions: chart aws-load-balancer-controller is pinned at 1\.17\.1, but the versions table has 3\.5\.0/,
      ),
    ]);
  });

  it('notes a pin kept out of support on purpose, and reports it once the day it was accepted until has passed', () => {
    const tree = readClusterTree(copyOf('eks-prod'), 'eks-prod');
    const pinned = CHART_SUPPORT.find((r) => r.chart === 'aws-load-balancer-controller') as ChartSupport;
    const rows = CHART_SUPPORT.map((row) =>
      row === pinned
        ? {
            ...row,
            supportedUntil: '2026-11-01',
            accepted: { until: '2026-12-31', reason: 'the next chart needs a new IAM policy' },
          }
        : row,
    );
    const versionProblems = (today: string) => checkVersions(tree, today, rows).map(formatProblem);
    expect(versionProblems('2026-12-31')).toEqual([]);
    expect(acceptedUnsupported(tree, '2026-12-31', rows)).toEqual([
      `eks-prod: chart aws-load-balancer-controller ${pinned.version} is out of support, accepted until 2026-12-31: the next chart needs a new IAM policy`,
    ]);
    // Not yet out of support: nothing to note.
    expect(acceptedUnsupported(tree, '2026-10-31', rows)).toEqual([]);
    expect(acceptedUnsupported(tree, '2027-01-01', rows)).toEqual([]);
    expect(versionProblems('2027-01-01')).toEqual([
      expect.stringMatching(
        /^eks-prod: Application argocd\/aws-load-balancer-controller .*: versions: chart aws-load-balancer-controller [\d.]+: its maintainers' support ended on 2026-11-01 .*; it was accepted until 2026-12-31 \(the next chart needs a new IAM policy\)$/,
      ),
    ]);
  });

  it('reports rows without a published end once they have not been read upstream for the re-check interval', () => {
    const row = CHART_SUPPORT.find((r) => r.chart === 'kube-prometheus-stack') as ChartSupport;
    const lastDay = new Date(Date.parse(`${row.checked}T00:00:00Z`) + SUPPORT_RECHECK_DAYS * 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(supportProblem(row, lastDay)).toBeUndefined();
    const dayAfter = new Date(Date.parse(`${lastDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(supportProblem(row, dayAfter)).toMatch(
      new RegExp(
        `^its support window was last read upstream on ${row.checked}, more than ${SUPPORT_RECHECK_DAYS} days before ${dayAfter}`,
      ),
    );
    const root = copyOf('gke-prod');
    expect(checkedOn(root, 'gke-prod', dayAfter)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Application argocd\/kube-prometheus-stack .*: versions: /),
      ]),
    );
  });

  it('names the row and the field of a date that is not one', () => {
    const row = { ...(CHART_SUPPORT[0] as ChartSupport), checked: '29.11.2026' };
    expect(() => supportProblem(row, '2026-11-30')).toThrow(
      new BadSupportRow(
        `platform/versions.ts: chart ${row.chart} ${row.version}: checked "29.11.2026" is not a date (YYYY-MM-DD)`,
      ),
    );
  });
});

describe('the versions table and its page', () => {
  it('has each row in docs/versions.md with its chart and version, so the two cannot drift', () => {
    const rows = readFileSync(join(__dirname, '../../../docs/versions.md'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('|'));
    const missing = CHART_SUPPORT.filter(
      (row) => !rows.some((line) => line.includes(`\`${row.chart}\``) && line.includes(row.version)),
    ).map((row) => `${row.chart} ${row.version}`);
    expect(missing).toEqual([]);
  });
});

describe('AuthorizationPolicy DENY, and ALLOW with no rule that matches', () => {
  const scrapeOfGateway =
    /ServiceMonitor monitoring\/gateway .*: reachability: Prometheus → Service ml-platform\/gateway:8080 blocked \(scrape by ServiceMonitor monitoring\/gateway\): denied at ingress by /;
  const addPolicy = (root: string, name: string, spec: Json) =>
    writeFileSync(
      join(root, `eks-prod/mesh/AuthorizationPolicy.ml-platform.${name}.yaml`),
      toYaml({
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name, namespace: 'ml-platform' },
        spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'gateway' } }, ...spec },
      }),
    );
  const reachability = (root: string) =>
    report(root, 'eks-prod').filter((l) => l.includes(': reachability: '));

  it('reports a DENY policy matching the scrape, evaluated before the ALLOW policy that lets it in', () => {
    const root = copyOf('eks-prod');
    addPolicy(root, 'deny-monitoring', {
      action: 'DENY',
      rules: [
        { from: [{ source: { namespaces: ['monitoring'] } }], to: [{ operation: { ports: ['8080'] } }] },
      ],
    });
    expect(reachability(root)).toEqual([
      expect.stringMatching(
        new RegExp(`${scrapeOfGateway.source}AuthorizationPolicy ml-platform\\/deny-monitoring \\(DENY\\)$`),
      ),
    ]);
  });

  it('reads notNamespaces, and leaves a DENY on request paths undecided (only some requests are refused)', () => {
    const root = copyOf('eks-prod');
    addPolicy(root, 'deny-outsiders', {
      action: 'DENY',
      rules: [{ from: [{ source: { notNamespaces: ['istio-system'] } }] }],
    });
    expect(reachability(root)).toEqual([expect.stringMatching(scrapeOfGateway)]);

    const other = copyOf('eks-prod');
    addPolicy(other, 'deny-admin-paths', {
      action: 'DENY',
      rules: [
        { from: [{ source: { namespaces: ['monitoring'] } }], to: [{ operation: { paths: ['/admin/*'] } }] },
      ],
    });
    expect(reachability(other)).toEqual([]);
  });

  it('reports an ALLOW policy without rules, which allows nothing', () => {
    const root = copyOf('eks-prod');
    edit(root, 'eks-prod/mesh/AuthorizationPolicy.ml-platform.gateway-callers.yaml', (policy) => {
      delete policy.spec.rules;
    });
    expect(reachability(root)).toEqual([
      expect.stringMatching(
        new RegExp(
          `${scrapeOfGateway.source}AuthorizationPolicy ml-platform\\/gateway-callers \\(ALLOW without rules: allows nothing\\)$`,
        ),
      ),
    ]);
  });
});
