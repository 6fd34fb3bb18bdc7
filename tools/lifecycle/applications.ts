/**
 * Argo CD Applications as the lifecycle commands see them: their waves, read from the cluster's
 * rendered argocd folder (the waves argocd/waves.ts computed at synthesis), and their live sync
 * and health, read with kubectl.
 */
import { execFileSync } from 'node:child_process';
import { ARGOCD_NAMESPACE, ROOT_APPLICATION, SYNC_WAVE } from '../../argocd/settings';
import { parseDocuments } from '../tree/documents';
import { readClusterYaml } from '../tree/files';
import { DIST_DIR } from '../tree/layout';
import { EXIT } from './exit-codes';
import { StepError } from './steps';

/** One wave of a cluster's Applications, in sync order. */
export interface Wave {
  readonly wave: number;
  /** Application names, sorted. */
  readonly applications: readonly string[];
}

interface ApplicationYaml {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly annotations?: Record<string, string> };
}

/** The cluster's Applications by wave, ascending, without the root (applied by hand before them). */
export function applicationWaves(cluster: string, distDir = DIST_DIR): Wave[] {
  const byWave = new Map<number, string[]>();
  for (const { file, text } of readClusterYaml(distDir, cluster)) {
    if (!file.startsWith(`${cluster}/argocd/Application.`)) continue;
    for (const document of parseDocuments(file, text)) {
      const app = document.value as ApplicationYaml | undefined;
      const name = app?.metadata?.name;
      if (app?.kind !== 'Application' || !name || name === ROOT_APPLICATION) continue;
      const wave = Number(app.metadata?.annotations?.[SYNC_WAVE] ?? '0');
      if (!Number.isInteger(wave)) throw new Error(`${file}: ${SYNC_WAVE} is not an integer`);
      byWave.set(wave, [...(byWave.get(wave) ?? []), name]);
    }
  }
  if (byWave.size === 0) {
    throw new StepError(`dist/${cluster}/argocd has no Applications; run npm run synth`, EXIT.usage);
  }
  return [...byWave.entries()]
    .sort(([a], [b]) => a - b)
    .map(([wave, applications]) => ({ wave, applications: applications.sort() }));
}

/** The live state of one Application. */
export interface ApplicationStatus {
  readonly name: string;
  /** `Synced`, `OutOfSync` or `Unknown` (absent: Argo CD has not looked at it yet). */
  readonly sync: string;
  /** `Healthy`, `Progressing`, `Degraded`, `Suspended`, `Missing` or `Unknown`. */
  readonly health: string;
  /** Argo CD's last operation message, or its first condition, when there is one. */
  readonly message?: string;
}

/** Whether an Application is where the commands want it. */
export function settled(status: ApplicationStatus): boolean {
  return status.sync === 'Synced' && status.health === 'Healthy';
}

interface ApplicationListJson {
  readonly items?: readonly {
    readonly metadata?: { readonly name?: string };
    readonly status?: {
      readonly sync?: { readonly status?: string };
      readonly health?: { readonly status?: string; readonly message?: string };
      readonly operationState?: { readonly message?: string };
      readonly conditions?: readonly { readonly message?: string }[];
    };
  }[];
}

/** Reads `kubectl get applications -o json` output. */
export function parseApplications(json: string): ApplicationStatus[] {
  let list: ApplicationListJson;
  try {
    list = JSON.parse(json) as ApplicationListJson;
  } catch (error) {
    throw new Error(`kubectl get applications: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(list.items)) throw new Error('kubectl get applications: no "items" list');
  return list.items.map((item) => {
    const status = item.status ?? {};
    const message =
      status.health?.message ?? status.operationState?.message ?? status.conditions?.[0]?.message;
    return {
      name: item.metadata?.name ?? '(unnamed)',
      sync: status.sync?.status ?? 'Unknown',
      health: status.health?.status ?? 'Unknown',
      ...(message ? { message } : {}),
    };
  });
}

/** The Applications of the cluster kubectl points at. */
export function liveApplications(): ApplicationStatus[] {
  let out: string;
  try {
    out = execFileSync('kubectl', ['-n', ARGOCD_NAMESPACE, 'get', 'applications.argoproj.io', '-o', 'json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new StepError('kubectl is not installed or not on PATH', EXIT.usage);
    throw new StepError(`kubectl get applications failed: ${(e.stderr ?? e.message).trim()}`, EXIT.failed);
  }
  return parseApplications(out);
}

/** One line per Application that is not Synced and Healthy. */
export function describeStuck(statuses: readonly ApplicationStatus[]): string[] {
  return statuses
    .filter((s) => !settled(s))
    .map((s) => `${s.name}: ${s.sync}/${s.health}${s.message ? ` (${s.message})` : ''}`);
}

/** Options of waiting for the waves. */
export interface WaitOptions {
  /** Longest wait for one wave, seconds. */
  readonly timeoutSeconds: number;
  /** Seconds between two looks. */
  readonly pollSeconds: number;
  /** Reads the live Applications (kubectl in the commands; a stand-in in tests). */
  readonly read?: () => ApplicationStatus[];
  readonly log?: (line: string) => void;
  /** Clock, for tests. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Waits wave by wave until every Application of the wave is Synced and Healthy; throws a StepError
 * listing the stuck ones (missing ones as such) when a wave does not settle within the timeout.
 */
export async function waitForWaves(waves: readonly Wave[], options: WaitOptions): Promise<void> {
  const read = options.read ?? liveApplications;
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (const { wave, applications } of waves) {
    const deadline = now() + options.timeoutSeconds * 1000;
    log(`wave ${wave}: waiting for ${applications.join(', ')}`);
    for (;;) {
      const live = new Map(read().map((s) => [s.name, s]));
      const states = applications.map(
        (name): ApplicationStatus => live.get(name) ?? { name, sync: 'Missing', health: 'Missing' },
      );
      const stuck = describeStuck(states);
      if (stuck.length === 0) {
        log(`wave ${wave}: Synced and Healthy`);
        break;
      }
      if (now() >= deadline) {
        throw new StepError(
          `wave ${wave} did not become Synced and Healthy within ${options.timeoutSeconds} s; stuck:\n  ${stuck.join('\n  ')}`,
          EXIT.failed,
        );
      }
      await sleep(options.pollSeconds * 1000);
    }
  }
}
