/**
 * npm run check:cluster: dist/ passes, and each check fails on a copy of the tree with a defect
 * put back, naming the object. The defects are those the bring-up found by hand (CNI off, the
 * istio-system network label, the EKS StorageClasses, GKE's critical priority, metrics.k8s.io and
 * the adapter's port, the webhook fields istiod rewrites, the Pushgateway's port, an unnamed port
 * of a multi-port Service), plus one of each other kind.
 */
import type { Flow } from '../../../platform/kernel/contribution';
import { checkClusterTree, checkTree } from '../../../tools/check-cluster/check';
import { ClusterModel } from '../../../tools/check-cluster/model';
import { formatProblem } from '../../../tools/check-cluster/problem';
import { requiredFlows } from '../../../tools/check-cluster/reachability';
import { readClusterTree } from '../../../tools/check-cluster/tree';
import { DIST_DIR } from '../../../tools/tree/layout';
import { cloudOf, copyOf, edit, editContributions, type Json, remove, report } from './tree-copies';

describe('the rendered tree', () => {
  it('passes every check on every cluster', () => {
    expect(checkTree(DIST_DIR, cloudOf).map(formatProblem)).toEqual([]);
  });

  it.each(['eks-prod', 'gke-prod', 'aks-prod'])('passes as an unchanged copy (%s)', (cluster) => {
    expect(report(copyOf(cluster), cluster)).toEqual([]);
  });
});

describe('1. references', () => {
  it('a claim asking for a StorageClass nobody creates (gp3 on EKS), and the wave it blocks', () => {
    const root = copyOf('eks-prod');
    remove(root, 'eks-prod/base/StorageClass.gp3.yaml');
    const lines = report(root, 'eks-prod');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^eks-prod: Application argocd\/kube-prometheus-stack \(eks-prod\/argocd\/Application\.argocd\.kube-prometheus-stack\.yaml\): references: spec\.source\.helm\.valuesObject\.prometheus\.prometheusSpec\.storageSpec\.volumeClaimTemplate\.spec\.storageClassName: StorageClass "gp3" does not exist/,
        ),
        expect.stringMatching(
          /Application argocd\/kube-prometheus-stack .*: sync: Application kube-prometheus-stack \(wave 4\) can never become Healthy: .*the root Application waits on wave 4, so waves after it never sync \(.*jaeger/,
        ),
      ]),
    );
  });

  it("a critical PriorityClass outside kube-system without GKE's quota scoped to it", () => {
    const root = copyOf('gke-prod');
    remove(root, 'gke-prod/base/ResourceQuota.logging.priority-system-node-critical.yaml');
    expect(report(root, 'gke-prod')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^gke-prod: Application argocd\/fluent-bit .*: references: .*priorityClassName: PriorityClass "system-node-critical" outside kube-system needs a ResourceQuota scoped to it in namespace logging/,
        ),
      ]),
    );
  });

  it('CPU-based HPAs where nothing serves metrics.k8s.io (EKS without metrics-server)', () => {
    const root = copyOf('eks-prod');
    remove(root, 'eks-prod/argocd/Application.argocd.metrics-server.yaml');
    editContributions(root, 'eks-prod', (declared) => {
      const objects = declared.base.chartObjects as Json;
      objects.releases = objects.releases.filter((r: string) => r !== 'metrics-server');
      objects.apiBackends = objects.apiBackends.filter((b: Json) => b.release !== 'metrics-server');
      objects.services = objects.services.filter((s: Json) => s.name !== 'metrics-server');
    });
    expect(report(root, 'eks-prod')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^eks-prod: HorizontalPodAutoscaler ml-platform\/gateway .*: references: scales on CPU or memory, but nothing serves metrics\.k8s\.io/,
        ),
      ]),
    );
  });

  it('a monitor naming a port its Service does not have, and a Service selecting no pods', () => {
    const root = copyOf('eks-prod');
    edit(root, 'eks-prod/monitoring/ServiceMonitor.monitoring.gateway.yaml', (monitor) => {
      monitor.spec.endpoints[0].port = 'metrics';
    });
    edit(root, 'eks-prod/gateway/Service.ml-platform.gateway.yaml', (service) => {
      service.spec.selector = { 'app.kubernetes.io/name': 'gateway-typo' };
    });
    const lines = report(root, 'eks-prod');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /ServiceMonitor monitoring\/gateway .*: references: endpoint port "metrics" is not a port of Service ml-platform\/gateway/,
        ),
        expect.stringMatching(
          /Service ml-platform\/gateway \(eks-prod\/gateway\/Service\.ml-platform\.gateway\.yaml\): references: selector \{"app\.kubernetes\.io\/name":"gateway-typo"\} matches no pods in ml-platform/,
        ),
      ]),
    );
  });

  it('a missing ServiceAccount and a Secret volume nothing produces', () => {
    const root = copyOf('eks-prod');
    remove(root, 'eks-prod/gateway/ServiceAccount.ml-platform.gateway.yaml');
    remove(root, 'eks-prod/gateway/ExternalSecret.ml-platform.gateway-redis.yaml');
    const lines = report(root, 'eks-prod');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /Deployment ml-platform\/gateway .*: references: ServiceAccount ml-platform\/gateway does not exist/,
        ),
        expect.stringMatching(
          /Deployment ml-platform\/gateway .*: references: .*Secret ml-platform\/gateway-redis/,
        ),
      ]),
    );
  });

  it('a DestinationRule subset matching no pod of this cluster, and a route to an undefined subset', () => {
    const root = copyOf('eks-prod');
    edit(root, 'eks-prod/model-serving/DestinationRule.ml-serving.fraud-detector.yaml', (rule) => {
      const own = rule.spec.subsets.find((s: Json) => s.labels['topology.istio.io/cluster'] === 'eks-prod');
      own.labels.version = '99';
      rule.spec.subsets = rule.spec.subsets.filter((s: Json) => s.name !== 'gke-prod-v3');
    });
    const lines = report(root, 'eks-prod');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /DestinationRule ml-serving\/fraud-detector .*: references: subset eks-prod-v\d .*"version":"99".* matches no pod behind Service ml-serving\/fraud-detector/,
        ),
        expect.stringMatching(
          /VirtualService ml-serving\/fraud-detector .*: references: http route destination .* subset gke-prod-v3 is defined by no DestinationRule/,
        ),
      ]),
    );
  });

  it('istio-system without the mesh network label istiod puts the cluster on', () => {
    const root = copyOf('eks-prod');
    edit(root, 'eks-prod/base/Namespace.istio-system.yaml', (namespace) => {
      delete namespace.metadata.labels['topology.istio.io/network'];
    });
    expect(report(root, 'eks-prod')).toEqual([
      expect.stringMatching(
        /^eks-prod: Namespace istio-system \(eks-prod\/base\/Namespace\.istio-system\.yaml\): references: istiod puts this cluster on mesh network "network-aws", but namespace istio-system is labelled topology\.istio\.io\/network=\(none\)/,
      ),
    ]);
  });

  it('a chart Service with several ports and one without a name (the Jaeger collector)', () => {
    const root = copyOf('eks-prod');
    editContributions(root, 'eks-prod', (declared) => {
      const jaeger = (declared.tracing.chartObjects as Json).services.find((s: Json) => s.name === 'jaeger');
      const otlpHttp = jaeger.ports.find((p: Json) => p.port === 4318);
      otlpHttp.name = undefined;
    });
    expect(report(root, 'eks-prod')).toEqual([
      expect.stringMatching(
        /^eks-prod: Service tracing\/jaeger \(eks-prod\/contributions\.json\): references: has several ports and one without a name/,
      ),
    ]);
  });
});

describe('2. chart objects', () => {
  it('a chart whose objects no component declares', () => {
    const root = copyOf('eks-prod');
    editContributions(root, 'eks-prod', (declared) => {
      delete declared.secrets.chartObjects;
    });
    expect(report(root, 'eks-prod')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^eks-prod: Application argocd\/external-secrets .*: chart-objects: chart external-secrets 2\.9\.0: no component declares what it creates/,
        ),
        // And what refers into it no longer resolves.
        expect.stringMatching(/PodMonitor monitoring\/external-secrets .*: references: selects no pods/),
      ]),
    );
  });

  it('a tree without contributions.json', () => {
    const root = copyOf('eks-prod');
    remove(root, 'eks-prod/contributions.json');
    expect(report(root, 'eks-prod')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /Application argocd\/istiod .*: chart-objects: chart istiod 1\.30\.3: the tree has no eks-prod\/contributions\.json/,
        ),
      ]),
    );
  });
});

describe('3. admission after mutation', () => {
  it('refuses every meshed pod in a restricted namespace when istiod injects without CNI', () => {
    const root = copyOf('eks-prod');
    edit(root, 'eks-prod/argocd/Application.argocd.istiod.yaml', (app) => {
      app.spec.source.helm.valuesObject.cni.enabled = false;
    });
    const lines = report(root, 'eks-prod');
    const refused = lines.filter((l) => l.includes(': admission: '));
    expect(refused).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^eks-prod: Deployment ml-platform\/gateway \(eks-prod\/gateway\/Deployment\.ml-platform\.gateway\.yaml\): admission: Pod Security "restricted" of namespace ml-platform refuses the pods after istiod injects its sidecar \(without the CNI node agent\): .*"istio-init".*NET_ADMIN, NET_RAW/,
        ),
        expect.stringMatching(/CronJob ml-serving\/nightly-fraud-scoring .*: admission: /),
      ]),
    );
    // The gateway's Application never becomes Healthy, and the waves after it wait.
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /Application argocd\/gateway .*: sync: Application gateway \(wave \d\) can never become Healthy/,
        ),
      ]),
    );
  });

  it('reports istiod injecting for a CNI agent that no Application installs', () => {
    const root = copyOf('eks-prod');
    remove(root, 'eks-prod/argocd/Application.argocd.istio-cni.yaml');
    expect(report(root, 'eks-prod')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /Application argocd\/istiod .*: admission: istiod injects for the Istio CNI node agent \(cni\.enabled\), but no Application installs the cni chart/,
        ),
      ]),
    );
  });

  it('refuses a chart whose pods need more than their namespace allows', () => {
    const root = copyOf('eks-prod');
    edit(root, 'eks-prod/base/Namespace.logging.yaml', (namespace) => {
      namespace.metadata.labels['pod-security.kubernetes.io/enforce'] = 'restricted';
    });
    expect(report(root, 'eks-prod')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /Application argocd\/fluent-bit .*: admission: pods of fluent-bit in logging need Pod Security "privileged", but namespace logging enforces "restricted"/,
        ),
      ]),
    );
  });

  it("refuses Velero's root data mover pods in a restricted namespace, and no more than that", () => {
    const root = copyOf('eks-prod');
    edit(root, 'eks-prod/base/Namespace.velero.yaml', (namespace) => {
      namespace.metadata.labels['pod-security.kubernetes.io/enforce'] = 'restricted';
    });
    expect(report(root, 'eks-prod').filter((l) => l.includes(': admission: '))).toEqual([
      'eks-prod: Application argocd/velero (eks-prod/argocd/Application.argocd.velero.yaml): admission: pods of velero in velero need Pod Security "baseline", but namespace velero enforces "restricted"',
      'eks-prod: Application argocd/velero (eks-prod/argocd/Application.argocd.velero.yaml): admission: pods of velero in velero need Pod Security "baseline", but namespace velero enforces "restricted"',
    ]);
  });
});

describe('4. reachability', () => {
  it('checks the flows the platform needs, found in the objects themselves', () => {
    const flows = (cluster: string) =>
      requiredFlows(new ClusterModel(readClusterTree(DIST_DIR, cluster))).map((flow) => {
        const end = (e: Json) => e.what ?? e.name ?? e.namespace;
        return `${end(flow.from)} → ${end(flow.to)}:${(flow.to as Json).port} (${flow.reason})`;
      });
    expect(flows('eks-prod')).toEqual(
      expect.arrayContaining([
        // The API server to every webhook and APIService backend.
        'API server → Service monitoring/prometheus-adapter (a chart of model-serving):6443 (APIService v1beta1.custom.metrics.k8s.io)',
        'API server → Service kube-system/metrics-server (a chart of base):10250 (APIService v1beta1.metrics.k8s.io)',
        'API server → Service istio-system/istiod (a chart of mesh):15017 (MutatingWebhookConfiguration istio-sidecar-injector)',
        // Prometheus to every scrape target.
        'Prometheus → Service monitoring/pushgateway (a chart of data-sync):9091 (scrape by ServiceMonitor monitoring/pushgateway)',
        'Prometheus → Deployment ml-platform/gateway:15090 (scrape by PodMonitor monitoring/envoy-stats)',
        // Clients to what their configuration names (a mounted ConfigMap, chart values).
        'Deployment ml-platform/gateway → Service ml-serving/model-serving:8501 (calls http://model-serving.ml-serving.svc.cluster.local:8501)',
        'pods of otel-collector → Service tracing/jaeger (a chart of tracing):4317 (chart otel-collector calls jaeger.tracing.svc.cluster.local:4317)',
        'pods of fluent-bit → Service logging/logs-es-http (a chart of logging):9200 (chart fluent-bit calls logs-es-http.logging.svc.cluster.local)',
        // Sidecars to istiod and to the mesh's tracing provider; everything to DNS.
        'Deployment ml-platform/gateway → Service istio-system/istiod (a chart of mesh):15012 (sidecar to istiod (xDS, certificates))',
        'Deployment ml-platform/gateway → Service tracing/otel-collector (a chart of tracing):4317 (sidecar spans to otel-collector.tracing.svc.cluster.local:4317)',
        'Deployment ml-platform/gateway → kube-system:53 (DNS)',
      ]),
    );
    expect(flows('aks-prod')).toEqual(
      expect.arrayContaining([
        'CronJob ml-serving/model-sync → Service monitoring/pushgateway (a chart of data-sync):9091 (calls http://pushgateway.monitoring.svc.cluster.local:9091)',
      ]),
    );
  });

  it('blocks the API server from the Prometheus adapter behind custom.metrics.k8s.io', () => {
    const root = copyOf('eks-prod');
    edit(root, 'eks-prod/base/NetworkPolicy.monitoring.allow-ingress.yaml', (policy) => {
      policy.spec.ingress = policy.spec.ingress.filter(
        (rule: Json) => !(rule.ports ?? []).some((p: Json) => p.port === 6443),
      );
    });
    // Found twice: from the APIService the chart registers, and from the flow monitoring declares.
    expect(report(root, 'eks-prod')).toEqual([
      expect.stringMatching(
        /^eks-prod: APIService v1beta1\.custom\.metrics\.k8s\.io \(eks-prod\/contributions\.json\): reachability: API server → Service monitoring\/prometheus-adapter \(a chart of model-serving\):6443 blocked \(APIService v1beta1\.custom\.metrics\.k8s\.io\): denied at ingress by NetworkPolicy monitoring\/allow-ingress/,
      ),
      expect.stringMatching(
        /^eks-prod: contributions contributions\.json \(eks-prod\/contributions\.json\): reachability: API server → namespace monitoring:6443 blocked \(monitoring: the API server calls the Prometheus adapter/,
      ),
    ]);
  });

  it('blocks the replication Jobs from the Pushgateway they push to', () => {
    const root = copyOf('aks-prod');
    edit(root, 'aks-prod/base/NetworkPolicy.ml-serving.allow-egress.yaml', (policy) => {
      policy.spec.egress = policy.spec.egress.filter(
        (rule: Json) => !(rule.ports ?? []).some((p: Json) => p.port === 9091),
      );
    });
    expect(report(root, 'aks-prod')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^aks-prod: CronJob ml-serving\/model-sync \(aks-prod\/data-sync\/CronJob\.ml-serving\.model-sync\.yaml\): reachability: CronJob ml-serving\/model-sync → Service monitoring\/pushgateway \(a chart of data-sync\):9091 blocked \(calls http:\/\/pushgateway\.monitoring\.svc\.cluster\.local:9091\): denied at egress by .*NetworkPolicy ml-serving\/allow-egress/,
        ),
      ]),
    );
  });

  it('blocks a scrape the mesh does not authorize, naming the AuthorizationPolicy', () => {
    const root = copyOf('eks-prod');
    edit(root, 'eks-prod/mesh/AuthorizationPolicy.ml-platform.gateway-callers.yaml', (policy) => {
      policy.spec.rules = policy.spec.rules.filter(
        (rule: Json) => !rule.from[0].source.principals[0].includes('/sa/prometheus'),
      );
    });
    expect(report(root, 'eks-prod')).toEqual([
      expect.stringMatching(
        /ServiceMonitor monitoring\/gateway .*: reachability: Prometheus → Service ml-platform\/gateway:8080 blocked \(scrape by ServiceMonitor monitoring\/gateway\): denied at ingress by AuthorizationPolicy ml-platform\/gateway-callers/,
      ),
    ]);
  });

  it('reports an opening for Prometheus into a namespace nothing scrapes', () => {
    const root = copyOf('eks-prod');
    remove(root, 'eks-prod/monitoring/ServiceMonitor.monitoring.istiod.yaml');
    expect(report(root, 'eks-prod')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /NetworkPolicy istio-system\/allow-ingress .*: reachability: lets Prometheus \(namespace monitoring\) into istio-system, but no ServiceMonitor, PodMonitor or chart's own monitor scrapes anything there/,
        ),
      ]),
    );
  });

  describe('pods acting as a cloud identity reach where the cloud profile says its credentials come from', () => {
    /** Drops the egress rule to GKE's metadata server from a namespace's policy. */
    const withoutMetadata = (root: string, namespace: string) =>
      edit(root, `gke-prod/base/NetworkPolicy.${namespace}.allow-egress.yaml`, (policy) => {
        const rules = policy.spec.egress as Json[];
        policy.spec.egress = rules.filter(
          (rule) => !(rule.to ?? []).some((peer: Json) => peer.ipBlock?.cidr === '169.254.169.254/32'),
        );
        expect(policy.spec.egress.length).toBe(rules.length - 1);
      });
    const blocked = (serviceAccount: string) =>
      `→ the GKE metadata server (169.254.169.254/32):80 blocked: ServiceAccount ${serviceAccount} carries iam.gke.io/gcp-service-account`;

    it('reports each annotated pod whose namespace has no egress to the GKE metadata server, naming its object', () => {
      const root = copyOf('gke-prod');
      for (const namespace of ['ml-serving', 'velero', 'logging']) withoutMetadata(root, namespace);
      const lines = report(root, 'gke-prod');
      expect(lines).toEqual(
        expect.arrayContaining([
          // A rendered workload: its Deployment.
          expect.stringContaining(
            `gke-prod: Deployment ml-serving/fraud-detector-v4 (gke-prod/model-serving/Deployment.ml-serving.fraud-detector-v4.yaml): reachability: Deployment ml-serving/fraud-detector-v4 ${blocked('ml-serving/model-serving')}`,
          ),
          expect.stringContaining(
            `gke-prod: CronJob ml-serving/model-sync (gke-prod/data-sync/CronJob.ml-serving.model-sync.yaml): reachability: CronJob ml-serving/model-sync ${blocked('ml-serving/data-sync')}`,
          ),
          // A chart whose values annotate its ServiceAccount: the Application.
          expect.stringContaining(
            `gke-prod: Application argocd/velero (gke-prod/argocd/Application.argocd.velero.yaml): reachability: pods of velero in velero ${blocked('velero/velero-server')}`,
          ),
          // The operator's Elasticsearch pods run as a rendered ServiceAccount.
          expect.stringContaining(
            `gke-prod: ServiceAccount logging/elasticsearch (gke-prod/logging/ServiceAccount.logging.elasticsearch.yaml): reachability: pods of eck-operator in logging ${blocked('logging/elasticsearch')}`,
          ),
        ]),
      );
      // Only the namespaces that lost the rule, and every line names the deciding policies.
      expect(lines.filter((line) => line.includes('GKE metadata server'))).toHaveLength(lines.length);
      for (const line of lines)
        expect(line).toMatch(/denied at egress by NetworkPolicy (ml-serving|velero|logging)\//);
    });

    it('asks nothing of clusters whose identities fetch credentials on 443 (EKS, AKS)', () => {
      expect(cloudOf('eks-prod').workloadIdentityEndpoint).toBeUndefined();
      expect(cloudOf('aks-prod').workloadIdentityEndpoint).toBeUndefined();
      expect(cloudOf('gke-prod').workloadIdentityEndpoint).toMatchObject({
        serviceAccountAnnotation: 'iam.gke.io/gcp-service-account',
      });
    });
  });

  describe('flows the components declare', () => {
    const declare = (root: string, flows: Flow[]) =>
      editContributions(root, 'eks-prod', (declared) => {
        declared.gateway = { ...(declared.gateway ?? {}), flows };
      });

    it('passes a declared flow the policies allow', () => {
      const root = copyOf('eks-prod');
      declare(root, [
        {
          reason: 'the gateway calls the model servers',
          from: { namespace: 'ml-platform', pods: { 'app.kubernetes.io/name': 'gateway' } },
          to: { namespace: 'ml-serving', pods: { 'app.kubernetes.io/component': 'model-serving' } },
          ports: [8501],
        },
      ]);
      expect(report(root, 'eks-prod')).toEqual([]);
    });

    it('reports a declared flow the policies block, with the deciding policy', () => {
      const root = copyOf('eks-prod');
      declare(root, [
        {
          reason: 'the gateway reads Prometheus',
          from: { namespace: 'ml-platform', pods: { 'app.kubernetes.io/name': 'gateway' } },
          to: { namespace: 'monitoring', pods: { 'app.kubernetes.io/name': 'prometheus' } },
          ports: [9090],
        },
        {
          reason: 'the API server calls a webhook in ml-serving',
          from: { apiServer: true },
          to: { namespace: 'ml-serving' },
          ports: [9443],
        },
      ]);
      expect(report(root, 'eks-prod')).toEqual([
        'eks-prod: contributions contributions.json (eks-prod/contributions.json): reachability: API server → namespace ml-serving:9443 blocked (gateway: the API server calls a webhook in ml-serving): denied at ingress by NetworkPolicy ml-serving/allow-ingress, NetworkPolicy ml-serving/allow-same-namespace, NetworkPolicy ml-serving/default-deny',
        expect.stringMatching(
          /^eks-prod: contributions contributions\.json \(eks-prod\/contributions\.json\): reachability: ml-platform\{app\.kubernetes\.io\/name=gateway\} → monitoring\{app\.kubernetes\.io\/name=prometheus\}:9090 blocked \(gateway: the gateway reads Prometheus\): denied at (egress|ingress) by NetworkPolicy /,
        ),
      ]);
    });
  });
});

describe('5. APIs', () => {
  it('an API removed before 1.35, a deprecated Istio version and a kind no CRD provides', () => {
    const root = copyOf('eks-prod');
    edit(root, 'eks-prod/gateway/PodDisruptionBudget.ml-platform.gateway.yaml', (pdb) => {
      pdb.apiVersion = 'policy/v1beta1';
    });
    edit(root, 'eks-prod/mesh/DestinationRule.ml-platform.gateway.yaml', (rule) => {
      rule.apiVersion = 'networking.istio.io/v1beta1';
    });
    edit(root, 'eks-prod/monitoring/PrometheusRule.monitoring.ml-platform.yaml', (rule) => {
      rule.apiVersion = 'monitoring.example.com/v1';
    });
    expect(report(root, 'eks-prod').filter((l) => l.includes(': apis: '))).toEqual([
      'eks-prod: PodDisruptionBudget ml-platform/gateway (eks-prod/gateway/PodDisruptionBudget.ml-platform.gateway.yaml): apis: policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25; the fleet runs 1.35',
      'eks-prod: DestinationRule ml-platform/gateway (eks-prod/mesh/DestinationRule.ml-platform.gateway.yaml): apis: networking.istio.io/v1beta1 is deprecated; use networking.istio.io/v1',
      'eks-prod: PrometheusRule monitoring/ml-platform (eks-prod/monitoring/PrometheusRule.monitoring.ml-platform.yaml): apis: no CRD of the cluster provides monitoring.example.com/PrometheusRule (neither rendered, declared by a chart nor installed by the cloud)',
    ]);
  });

  it('trusts the snapshot API only where the cloud profile says the cloud installs it', () => {
    const file = 'eks-prod/backup/VolumeSnapshotClass.velero-ebs-csi-aws-com.yaml';
    const tree = readClusterTree(DIST_DIR, 'eks-prod');
    expect(tree.objects.some((o) => o.kind === 'VolumeSnapshotClass')).toBe(true);
    expect(cloudOf('eks-prod').customResources).toContain('snapshot.storage.k8s.io/VolumeSnapshotClass');
    const withoutSnapshotApi = { ...cloudOf('eks-prod'), customResources: [] };
    expect(
      checkClusterTree(tree, withoutSnapshotApi)
        .map(formatProblem)
        .filter((l) => l.includes(': apis: ')),
    ).toEqual([
      `eks-prod: VolumeSnapshotClass velero-ebs-csi-aws-com (${file}): apis: no CRD of the cluster provides snapshot.storage.k8s.io/VolumeSnapshotClass (neither rendered, declared by a chart nor installed by the cloud)`,
    ]);
  });
});

describe('6. sync', () => {
  it('an Application that does not ignore the webhook fields istiod rewrites', () => {
    const root = copyOf('eks-prod');
    edit(root, 'eks-prod/argocd/Application.argocd.istiod.yaml', (app) => {
      app.spec.ignoreDifferences = app.spec.ignoreDifferences.filter(
        (d: Json) => d.name !== 'istio-validator-istio-system',
      );
    });
    expect(report(root, 'eks-prod')).toEqual([
      'eks-prod: Application argocd/istiod (eks-prod/argocd/Application.argocd.istiod.yaml): sync: ValidatingWebhookConfiguration istio-validator-istio-system is rewritten by its controller at .webhooks[]?.failurePolicy, which Application istiod does not ignore: it is OutOfSync forever and self-heal keeps reverting it',
    ]);
  });

  it('says nothing of waves when Argo CD does not wait on Application health', () => {
    const root = copyOf('eks-prod');
    remove(root, 'eks-prod/base/StorageClass.gp3.yaml');
    edit(root, 'eks-prod/argocd/Application.argocd.argo-cd.yaml', (app) => {
      delete app.spec.source.helm.valuesObject.configs.cm[
        'resource.customizations.health.argoproj.io_Application'
      ];
    });
    const sync = report(root, 'eks-prod').filter((l) => l.includes(': sync: '));
    expect(sync.length).toBeGreaterThan(0);
    expect(sync.filter((l) => l.includes('waves after it'))).toEqual([]);
  });
});

describe('7. team labels', () => {
  it("a Deployment, a CronJob and Kibana whose pods lack their component's team", () => {
    const root = copyOf('eks-prod');
    edit(root, 'eks-prod/model-serving/Deployment.ml-serving.feature-server.yaml', (deployment) => {
      delete deployment.spec.template.metadata.labels.team;
    });
    edit(root, 'eks-prod/model-serving/CronJob.ml-serving.nightly-fraud-scoring.yaml', (cronJob) => {
      cronJob.spec.jobTemplate.spec.template.metadata.labels.team = 'platform';
    });
    edit(root, 'eks-prod/logging/Kibana.logging.logs.yaml', (kibana) => {
      delete kibana.spec.podTemplate.metadata;
    });
    expect(report(root, 'eks-prod')).toEqual([
      'eks-prod: Kibana logging/logs (eks-prod/logging/Kibana.logging.logs.yaml): team-labels: pod template spec.podTemplate has no team label; component logging belongs to team observability',
      'eks-prod: CronJob ml-serving/nightly-fraud-scoring (eks-prod/model-serving/CronJob.ml-serving.nightly-fraud-scoring.yaml): team-labels: pod template spec.jobTemplate.spec.template has team=platform; component model-serving belongs to team ml-serving',
      'eks-prod: Deployment ml-serving/feature-server (eks-prod/model-serving/Deployment.ml-serving.feature-server.yaml): team-labels: pod template spec.template has no team label; component model-serving belongs to team ml-serving',
    ]);
  });

  it('a chart whose values no longer label its pods, at each declared path', () => {
    const root = copyOf('eks-prod');
    edit(root, 'eks-prod/argocd/Application.argocd.kube-prometheus-stack.yaml', (app) => {
      const values = app.spec.source.helm.valuesObject;
      delete values.grafana.podLabels;
      values['kube-state-metrics'].podLabels.team = 'ml-serving';
    });
    expect(report(root, 'eks-prod')).toEqual([
      'eks-prod: Application argocd/kube-prometheus-stack (eks-prod/argocd/Application.argocd.kube-prometheus-stack.yaml): team-labels: chart kube-prometheus-stack 88.5.3: values grafana.podLabels carry no team label; its pods belong to team observability (component monitoring)',
      'eks-prod: Application argocd/kube-prometheus-stack (eks-prod/argocd/Application.argocd.kube-prometheus-stack.yaml): team-labels: chart kube-prometheus-stack 88.5.3: values kube-state-metrics.podLabels set team=ml-serving; its pods belong to team observability (component monitoring)',
    ]);
  });

  it('a chart whose component does not say where its values label the pods, and a component without a team', () => {
    const root = copyOf('eks-prod');
    editContributions(root, 'eks-prod', (declared) => {
      delete declared.tracing.chartObjects.podLabelValues;
      delete declared.gateway.team;
    });
    expect(report(root, 'eks-prod')).toEqual([
      'eks-prod: Application argocd/jaeger (eks-prod/argocd/Application.argocd.jaeger.yaml): team-labels: chart jaeger 4.11.1: component tracing declares no values that label its pods (chartObjects.podLabelValues with release jaeger in eks-prod/contributions.json)',
      'eks-prod: Application argocd/otel-collector (eks-prod/argocd/Application.argocd.otel-collector.yaml): team-labels: chart opentelemetry-collector 0.170.0: component tracing declares no values that label its pods (chartObjects.podLabelValues with release otel-collector in eks-prod/contributions.json)',
      'eks-prod: Deployment ml-platform/gateway (eks-prod/gateway/Deployment.ml-platform.gateway.yaml): team-labels: Deployment runs pods, but component gateway declares no team (Contribution.team in eks-prod/contributions.json)',
    ]);
  });
});
