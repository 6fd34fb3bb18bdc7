import type { z } from 'zod';
import { overlaps } from '../infra/cidr';
import { clusterSchema, fleetSettingsSchema, modelSchema } from './schema';
import type { Cloud, ClusterSource, ClusterSpec, Fleet, FleetSettings, ModelSpec } from './types';

/** One problem in the fleet: the file that declared the value, the field and what is wrong. */
export interface FleetIssue {
  /** Repository-relative file, e.g. `clusters/eks-prod.ts`. */
  readonly file: string;
  /** Field path inside that file's value, e.g. `nodePools[1].minSize`. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** Thrown when the fleet does not load; its message lists every issue, one per line. */
export class FleetValidationError extends Error {
  constructor(readonly issues: readonly FleetIssue[]) {
    super(
      `The fleet is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map(formatFleetIssue).join('\n'),
    );
    this.name = 'FleetValidationError';
  }
}

export function formatFleetIssue(issue: FleetIssue): string {
  return `${issue.file}: ${issue.path || '(root)'}: ${issue.message}`;
}

/** Renders a zod/fleet path as `nodePools[1].minSize`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (value, key) =>
      value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined,
    root,
  );
}

function issuesFrom(
  file: string,
  input: unknown,
  error: z.ZodError,
  prefix: PropertyKey[] = [],
): FleetIssue[] {
  return error.issues.map((issue) => {
    let path = [...prefix, ...issue.path];
    let message = issue.message;
    if (issue.code === 'invalid_union' && 'discriminator' in issue && 'options' in issue) {
      const options = issue.options as unknown[];
      message = `unknown value ${JSON.stringify(valueAt(input, issue.path))}; allowed: ${options.join(', ')}`;
    } else if (issue.code === 'unrecognized_keys') {
      // Point at the unknown field itself, which is what the author has to delete or rename.
      path = [...path, issue.keys[0]];
      message = `unknown field${issue.keys.length > 1 ? `s ${issue.keys.join(', ')}` : ''}; check the spelling against clusters/types.ts`;
    }
    return { file, path: formatPath(path), message };
  });
}

/** Sources of the non-cluster parts of the fleet, for error messages. */
export const SETTINGS_FILE = 'clusters/defaults.ts';
export const MODELS_FILE = 'clusters/models.ts';

export interface FleetInput {
  readonly settings: FleetSettings;
  readonly models: readonly ModelSpec[];
  readonly clusters: readonly ClusterSource[];
}

/**
 * Validates the whole fleet and returns it, or throws a FleetValidationError
 * listing every problem found. Field rules come from the schemas; the rules
 * below relate values across pools, clusters and the model catalog.
 */
export function loadFleet(input: FleetInput): Fleet {
  const issues: FleetIssue[] = [];

  const settings = fleetSettingsSchema.safeParse(input.settings);
  if (!settings.success) issues.push(...issuesFrom(SETTINGS_FILE, input.settings, settings.error));

  const models: ModelSpec[] = [];
  input.models.forEach((model, index) => {
    const parsed = modelSchema.safeParse(model);
    if (parsed.success) models.push(parsed.data);
    else issues.push(...issuesFrom(MODELS_FILE, model, parsed.error, [index]));
  });
  issues.push(
    ...duplicates(
      models,
      (m) => m.name,
      (i) => ({ file: MODELS_FILE, path: `[${i}].name` }),
    ),
  );

  const clusters: { file: string; spec: ClusterSpec }[] = [];
  for (const source of input.clusters) {
    const parsed = clusterSchema.safeParse(source.spec);
    if (parsed.success) clusters.push({ file: source.file, spec: parsed.data });
    else issues.push(...issuesFrom(source.file, source.spec, parsed.error));
  }

  issues.push(
    ...duplicates(
      clusters,
      (c) => c.spec.name,
      (i) => ({ file: clusters[i].file, path: 'name' }),
    ),
    ...duplicates(
      clusters,
      (c) => c.spec.network.meshNetwork,
      (i) => ({ file: clusters[i].file, path: 'network.meshNetwork' }),
    ),
  );

  const supported = settings.success ? settings.data.supportedKubernetesVersions : [];
  // Models that failed their own checks still count as declared, so clusters
  // using them do not add "unknown model" noise to the real problem.
  const modelsByName = new Map<string, ModelSpec | undefined>(
    input.models.map((m) => [String((m as { name?: unknown }).name), undefined]),
  );
  for (const model of models) modelsByName.set(model.name, model);
  for (const { file, spec } of clusters) {
    issues.push(...clusterIssues(file, spec, supported, modelsByName));
  }
  issues.push(...cidrOverlaps(clusters));
  const source = settings.success ? settings.data.modelReplication.sourceCluster : undefined;
  const declaredClusters = input.clusters.map((c) => String((c.spec as { name?: unknown }).name));
  if (source !== undefined && !declaredClusters.includes(source)) {
    issues.push({
      file: SETTINGS_FILE,
      path: 'modelReplication.sourceCluster',
      message: `"${source}" is not a cluster of the fleet; clusters: ${declaredClusters.join(', ')}`,
    });
  }

  if (issues.length > 0) throw new FleetValidationError(issues);
  return {
    settings: settings.data as FleetSettings,
    models,
    clusters: clusters.map((c) => c.spec),
  };
}

function clusterIssues(
  file: string,
  cluster: ClusterSpec,
  supportedVersions: readonly string[],
  models: ReadonlyMap<string, ModelSpec | undefined>,
): FleetIssue[] {
  const issues: FleetIssue[] = [];
  if (supportedVersions.length > 0 && !supportedVersions.includes(cluster.kubernetesVersion)) {
    issues.push({
      file,
      path: 'kubernetesVersion',
      message: `${cluster.kubernetesVersion} is not supported; allowed: ${supportedVersions.join(', ')} (${SETTINGS_FILE})`,
    });
  }
  issues.push(
    ...duplicates(
      cluster.nodePools,
      (p) => p.name,
      (i) => ({ file, path: `nodePools[${i}].name` }),
    ),
    ...duplicates(
      cluster.models,
      (m) => m.model,
      (i) => ({ file, path: `models[${i}].model` }),
    ),
  );
  // A fallback must be able to take every pod of its spot pool: same role, same taints.
  cluster.nodePools.forEach((pool, index) => {
    if (pool.fallbackFor === undefined) return;
    const spot = cluster.nodePools.find((p) => p.name === pool.fallbackFor);
    const matches =
      spot?.capacityType === 'spot' &&
      spot.role === pool.role &&
      JSON.stringify(spot.taints) === JSON.stringify(pool.taints);
    if (!matches) {
      issues.push({
        file,
        path: `nodePools[${index}].fallbackFor`,
        message: `"${pool.fallbackFor}" must name a spot pool of the cluster with the same role and taints`,
      });
    }
  });
  const hasGpuPool = cluster.nodePools.some((pool) => pool.role === 'gpu');
  cluster.models.forEach((deployment, index) => {
    const model = models.get(deployment.model);
    if (!models.has(deployment.model)) {
      issues.push({
        file,
        path: `models[${index}].model`,
        message: `unknown model "${deployment.model}"; known: ${[...models.keys()].join(', ')} (${MODELS_FILE})`,
      });
    } else if (model?.needsGpu && !hasGpuPool) {
      issues.push({
        file,
        path: `models[${index}].model`,
        message: `model "${deployment.model}" needs a GPU but the cluster has no node pool with role "gpu"`,
      });
    }
  });
  const principal = API_PRINCIPAL[cluster.cloud];
  issues.push(
    ...duplicates(
      cluster.apiAccess as readonly object[],
      (access) => String(Reflect.get(access, principal.field)),
      (i) => ({ file, path: `apiAccess[${i}].${principal.field}` }),
      principal.reason,
    ),
  );
  const served = new Set(cluster.models.map((m) => m.model));
  cluster.batchJobs.forEach((job, index) => {
    if (!served.has(job.model)) {
      issues.push({
        file,
        path: `batchJobs[${index}].model`,
        message: `model "${job.model}" is not served in this cluster; served: ${[...served].join(', ')}`,
      });
    }
  });
  issues.push(
    ...duplicates(
      cluster.batchJobs,
      (j) => j.name,
      (i) => ({ file, path: `batchJobs[${i}].name` }),
    ),
  );
  return issues;
}

/** The field that names a principal in each cloud's `apiAccess` entries, and why it may appear once. */
const API_PRINCIPAL: Readonly<Record<Cloud, { field: string; reason: string }>> = {
  aws: {
    field: 'principalArn',
    reason: 'EKS allows one access entry per principal; give it the wider scope only',
  },
  gcp: { field: 'member', reason: 'give each member one scope, the wider one' },
  azure: { field: 'groupObjectId', reason: 'give each group one scope, the wider one' },
};

/** Reports every value after its first occurrence, naming where the first one is, and why it must be unique. */
function duplicates<T>(
  items: readonly T[],
  key: (item: T) => string,
  where: (index: number) => { file: string; path: string },
  reason = 'names must be unique',
): FleetIssue[] {
  const firstSeen = new Map<string, number>();
  const issues: FleetIssue[] = [];
  items.forEach((item, index) => {
    const value = key(item);
    const first = firstSeen.get(value);
    if (first === undefined) {
      firstSeen.set(value, index);
      return;
    }
    const original = where(first);
    issues.push({
      ...where(index),
      message: `duplicate "${value}", already used at ${original.file}: ${original.path}; ${reason}`,
    });
  });
  return issues;
}

/**
 * The clusters are joined into one mesh and peered, so no address range of one
 * cluster (VPC, pods, services) may overlap any range of another, and a
 * cluster's own three ranges must be disjoint too.
 */
function cidrOverlaps(clusters: readonly { file: string; spec: ClusterSpec }[]): FleetIssue[] {
  const ranges = clusters.flatMap(({ file, spec }) =>
    (['vpcCidr', 'podCidr', 'serviceCidr'] as const).map((field) => ({
      file,
      path: `network.${field}`,
      cidr: spec.network[field],
    })),
  );
  const issues: FleetIssue[] = [];
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const [a, b] = [ranges[i], ranges[j]];
      if (overlaps(a.cidr, b.cidr)) {
        issues.push({
          file: b.file,
          path: b.path,
          message: `${b.cidr} overlaps ${a.cidr} (${a.file}: ${a.path}); ranges of peered clusters must be disjoint`,
        });
      }
    }
  }
  return issues;
}
