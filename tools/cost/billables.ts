import { at, parseDocuments } from '../tree/documents';
import { isYamlFile } from '../tree/layout';
import { GIB, memoryBytes } from './quantity';

/**
 * What a cluster's rendered tree creates that the cloud bills: a load balancer for every Service of
 * type LoadBalancer, a disk for every claim. Some come straight from the tree's objects; most come
 * from the upstream charts, created from the values the repository gives them, so each chart the
 * tree installs says here what it creates from its values (read from its templates at the pinned
 * version), and a chart missing here fails the report.
 */

/** A disk: `count` claims of `gb` each, of a StorageClass. */
export interface BillableVolume {
  /** What claims it, e.g. `kube-prometheus-stack: Prometheus (2 replicas)`. */
  readonly owner: string;
  readonly storageClass: string;
  readonly gb: number;
  readonly count: number;
}

/** A Service of type LoadBalancer, rendered or created by a chart. */
export interface BillableLoadBalancer {
  readonly owner: string;
}

export interface ClusterBillables {
  readonly volumes: readonly BillableVolume[];
  readonly loadBalancers: readonly BillableLoadBalancer[];
}

/** Raised when the tree installs a chart whose billable objects are not known here. */
export class UnknownChartError extends Error {
  constructor(readonly charts: readonly string[]) {
    super(
      `charts whose load balancers and volumes tools/cost/billables.ts does not know: ${charts.join(', ')}; ` +
        'add what each creates from its values (or why it creates nothing billable)',
    );
    this.name = 'UnknownChartError';
  }
}

type Values = Record<string, unknown>;

/** GiB of a storage quantity (`200Gi`, `10G`): the unit the clouds' disk prices are per month. */
function gigabytes(quantity: unknown, owner: string): number {
  try {
    return memoryBytes(String(quantity)) / GIB;
  } catch {
    throw new Error(`${owner}: storage size ${String(quantity)} is not a quantity`);
  }
}

/** A PersistentVolumeClaim spec as a volume; the class is required, since its price depends on it. */
function claim(spec: unknown, owner: string, count: number): BillableVolume {
  const storageClass = at(spec, 'storageClassName');
  if (typeof storageClass !== 'string' || storageClass === '')
    throw new Error(`${owner}: a claim without a storageClassName cannot be priced`);
  return { owner, storageClass, gb: gigabytes(at(spec, 'resources', 'requests', 'storage'), owner), count };
}

const replicas = (value: unknown, fallback = 1) => (typeof value === 'number' ? value : fallback);

/** What one chart creates that is billed, from the values it is given. */
type ChartBillables = (values: Values, release: string) => ClusterBillables;

const NOTHING: ClusterBillables = { volumes: [], loadBalancers: [] };

/**
 * Charts that create neither a LoadBalancer Service nor a claim with the values given. The check
 * below still refuses values that would turn one on, so a later change is not missed.
 */
const nothingBillable: ChartBillables = (values, release) => {
  const hint = billableHint(values);
  if (hint)
    throw new Error(`${release}: its values set ${hint}; say in tools/cost/billables.ts what it creates`);
  return NOTHING;
};

/** A path in values that usually turns on a billable object, or undefined. */
function billableHint(values: unknown, path: string[] = []): string | undefined {
  if (values === null || typeof values !== 'object') return undefined;
  for (const [key, value] of Object.entries(values as Values)) {
    const here = [...path, key];
    if (key === 'type' && value === 'LoadBalancer') return `${here.join('.')}: LoadBalancer`;
    if ((key === 'persistence' || key === 'persistentVolume') && at(value, 'enabled') === true)
      return `${here.join('.')}.enabled: true`;
    if (key === 'volumeClaimTemplate' || key === 'volumeClaimTemplates') return here.join('.');
    const deeper = billableHint(value, here);
    if (deeper) return deeper;
  }
  return undefined;
}

/** Every chart the platform installs, by chart name. */
export const CHART_BILLABLES: Readonly<Record<string, ChartBillables>> = {
  // Prometheus and Alertmanager claim one volume per replica through their operator's CRs;
  // Grafana's subchart claims one volume when persistence is on (one replica: a Deployment's
  // ReadWriteOnce volume cannot be shared).
  'kube-prometheus-stack': (values, release) => {
    const volumes: BillableVolume[] = [];
    const prometheus = at(values, 'prometheus', 'prometheusSpec');
    const prometheusClaim = at(prometheus, 'storageSpec', 'volumeClaimTemplate', 'spec');
    if (prometheusClaim)
      volumes.push(claim(prometheusClaim, `${release}: Prometheus`, replicas(at(prometheus, 'replicas'))));
    const alertmanager = at(values, 'alertmanager', 'alertmanagerSpec');
    const alertmanagerClaim = at(alertmanager, 'storage', 'volumeClaimTemplate', 'spec');
    if (alertmanagerClaim)
      volumes.push(
        claim(alertmanagerClaim, `${release}: Alertmanager`, replicas(at(alertmanager, 'replicas'))),
      );
    const grafana = at(values, 'grafana', 'persistence');
    if (at(grafana, 'enabled') === true)
      volumes.push({
        owner: `${release}: Grafana`,
        storageClass: String(at(grafana, 'storageClassName')),
        gb: gigabytes(at(grafana, 'size'), `${release}: Grafana`),
        count: 1,
      });
    return { volumes, loadBalancers: [] };
  },
  // The Istio gateway chart's Service is of type LoadBalancer unless its values say otherwise.
  gateway: (values, release) =>
    (at(values, 'service', 'type') ?? 'LoadBalancer') === 'LoadBalancer'
      ? {
          volumes: [],
          loadBalancers: [{ owner: `${release}: Service ${String(at(values, 'name') ?? release)}` }],
        }
      : NOTHING,
  'argo-cd': nothingBillable,
  'aws-load-balancer-controller': nothingBillable,
  base: nothingBillable,
  'cluster-autoscaler': nothingBillable,
  cni: nothingBillable,
  'eck-operator': nothingBillable,
  'external-secrets': nothingBillable,
  'fluent-bit': nothingBillable,
  istiod: nothingBillable,
  jaeger: nothingBillable,
  'metrics-server': nothingBillable,
  'nvidia-device-plugin': nothingBillable,
  // OpenCost keeps nothing on a volume (`opencost.exporter.persistence.enabled: false`); its Service is a ClusterIP.
  opencost: nothingBillable,
  'opentelemetry-collector': nothingBillable,
  'prometheus-adapter': nothingBillable,
  'prometheus-pushgateway': nothingBillable,
  // Velero keeps its backups in the backups bucket (the storage line); no node agent, no volume.
  velero: nothingBillable,
};

/**
 * CSI drivers that mount a bucket as a volume: the bytes are billed as object storage (the storage
 * line), not as a disk.
 */
const OBJECT_STORAGE_DRIVERS: readonly string[] = [
  's3.csi.aws.com',
  'gcsfuse.csi.storage.gke.io',
  'blob.csi.azure.com',
];

/** What one rendered object is billed for (a chart's Application counts for what the chart creates). */
function objectBillables(object: Values, file: string, unknownCharts: Set<string>): ClusterBillables {
  const kind = object.kind;
  const name = String(at(object, 'metadata', 'name'));
  if (kind === 'Service' && at(object, 'spec', 'type') === 'LoadBalancer')
    return { volumes: [], loadBalancers: [{ owner: `Service ${name} (${file})` }] };
  // A claim bound to a volume of the tree is billed as that volume is.
  if (kind === 'PersistentVolumeClaim' && at(object, 'spec', 'volumeName')) return NOTHING;
  if (kind === 'PersistentVolume') {
    const driver = at(object, 'spec', 'csi', 'driver');
    if (typeof driver === 'string' && OBJECT_STORAGE_DRIVERS.includes(driver)) return NOTHING;
    throw new Error(
      `PersistentVolume ${name} (${file}): say in tools/cost/billables.ts how its ${String(driver)} volume is billed`,
    );
  }
  if (kind === 'PersistentVolumeClaim')
    return { volumes: [claim(at(object, 'spec'), `claim ${name}`, 1)], loadBalancers: [] };
  if (kind === 'StatefulSet') {
    const templates = (at(object, 'spec', 'volumeClaimTemplates') as unknown[] | undefined) ?? [];
    const count = replicas(at(object, 'spec', 'replicas'));
    return {
      volumes: templates.map((t) => claim(at(t, 'spec'), `StatefulSet ${name}`, count)),
      loadBalancers: [],
    };
  }
  if (kind === 'Elasticsearch') {
    const nodeSets = (at(object, 'spec', 'nodeSets') as unknown[] | undefined) ?? [];
    return {
      volumes: nodeSets.flatMap((set) =>
        ((at(set, 'volumeClaimTemplates') as unknown[] | undefined) ?? []).map((t) =>
          claim(
            at(t, 'spec'),
            `Elasticsearch ${name}/${String(at(set, 'name'))}`,
            replicas(at(set, 'count')),
          ),
        ),
      ),
      loadBalancers: [],
    };
  }
  if (kind === 'Application' && String(object.apiVersion).startsWith('argoproj.io/')) {
    const chart = at(object, 'spec', 'source', 'chart');
    if (typeof chart !== 'string') return NOTHING;
    const billables = CHART_BILLABLES[chart];
    if (!billables) {
      unknownCharts.add(chart);
      return NOTHING;
    }
    const values = (at(object, 'spec', 'source', 'helm', 'valuesObject') as Values | undefined) ?? {};
    return billables(values, String(at(object, 'spec', 'source', 'helm', 'releaseName') ?? name));
  }
  return NOTHING;
}

/** The load balancers and volumes of one cluster of a rendered tree (paths relative to the tree's root). */
export function clusterBillables(tree: ReadonlyMap<string, string>, cluster: string): ClusterBillables {
  const volumes: BillableVolume[] = [];
  const loadBalancers: BillableLoadBalancer[] = [];
  const unknownCharts = new Set<string>();
  for (const [file, text] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
    if (!file.startsWith(`${cluster}/`) || !isYamlFile(file)) continue;
    for (const document of parseDocuments(file, text)) {
      if (document.value === null || typeof document.value !== 'object') continue;
      const found = objectBillables(document.value as Values, file, unknownCharts);
      volumes.push(...found.volumes);
      loadBalancers.push(...found.loadBalancers);
    }
  }
  if (unknownCharts.size > 0) throw new UnknownChartError([...unknownCharts].sort());
  return { volumes, loadBalancers };
}
