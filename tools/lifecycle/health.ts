/**
 * npm run health -- --cluster NAME [--prometheus-url URL] [--gateway-url URL]
 *
 * Is the cluster healthy? Argo CD's Applications (Synced and Healthy), the prediction gateway's
 * readiness and providers, and Prometheus' firing critical alerts. Exit 0 healthy, 1 degraded,
 * 2 cannot tell (a check could not be made and none failed).
 *
 * Without the URL options, Prometheus and the gateway are reached with `kubectl port-forward` on
 * 127.0.0.1; `GATEWAY_API_KEY` in the environment lets it list each provider's state
 * (`/v1/providers` needs a key), otherwise the readiness' count of healthy providers is shown.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { ClusterSpec } from '../../clusters/types';
import { GATEWAY } from '../../platform/mesh/workloads';
import { MONITORING_NAMESPACE } from '../../platform/monitoring/services';
import { instantQuery } from '../rightsize/prometheus';
import { describeStuck, liveApplications } from './applications';
import { HEALTH_EXIT } from './exit-codes';

/** The Prometheus kube-prometheus-stack runs (fullnameOverride `kube-prometheus-stack`). */
const PROMETHEUS_SERVICE = { name: 'kube-prometheus-stack-prometheus', port: 9090 } as const;

/** The alerts that page: firing, severity critical (platform/monitoring/rules.ts). */
export const CRITICAL_ALERTS_QUERY = 'ALERTS{alertstate="firing",severity="critical"}';

export type CheckState = 'ok' | 'degraded' | 'unknown';

/** One check's verdict with what it saw. */
export interface CheckResult {
  readonly check: string;
  readonly state: CheckState;
  readonly lines: readonly string[];
}

/** The exit code of a set of verdicts: any degraded is degraded; otherwise any unknown is unknown. */
export function healthExit(results: readonly CheckResult[]): number {
  if (results.some((r) => r.state === 'degraded')) return HEALTH_EXIT.degraded;
  if (results.some((r) => r.state === 'unknown')) return HEALTH_EXIT.unknown;
  return HEALTH_EXIT.healthy;
}

export function checkApplications(): CheckResult {
  const check = 'Argo CD Applications';
  try {
    const apps = liveApplications();
    if (apps.length === 0)
      return { check, state: 'unknown', lines: ['no Applications: is Argo CD bootstrapped?'] };
    const stuck = describeStuck(apps);
    return stuck.length === 0
      ? { check, state: 'ok', lines: [`${apps.length} Synced and Healthy`] }
      : {
          check,
          state: 'degraded',
          lines: [`${stuck.length} of ${apps.length} not Synced and Healthy:`, ...stuck],
        };
  } catch (error) {
    return { check, state: 'unknown', lines: [(error as Error).message] };
  }
}

async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

export async function checkGateway(baseUrl: string, apiKey: string | undefined): Promise<CheckResult> {
  const check = 'gateway readiness and providers';
  let ready: { status: number; body: unknown };
  try {
    ready = await getJson(new URL(GATEWAY.readinessPath, baseUrl).href);
  } catch (error) {
    return {
      check,
      state: 'unknown',
      lines: [`cannot reach the gateway at ${baseUrl}: ${(error as Error).message}`],
    };
  }
  const body = (ready.body ?? {}) as { status?: string; healthyProviders?: number; message?: string };
  if (ready.status !== 200) {
    return {
      check,
      state: 'degraded',
      lines: [`not ready (HTTP ${ready.status}${body.message ? `: ${body.message}` : ''})`],
    };
  }
  const lines = [`ready, ${body.healthyProviders ?? '?'} healthy providers`];
  if (!apiKey) return { check, state: 'ok', lines: [...lines, 'set GATEWAY_API_KEY to list each provider'] };
  try {
    const providers = await getJson(new URL('/v1/providers', baseUrl).href, { 'x-api-key': apiKey });
    if (providers.status !== 200) {
      return {
        check,
        state: 'unknown',
        lines: [...lines, `/v1/providers answered HTTP ${providers.status}`],
      };
    }
    const list = (
      (providers.body as { providers?: { name?: string; health?: string }[] })?.providers ?? []
    ).map((p) => ({ name: p.name ?? '(unnamed)', health: p.health ?? 'unknown' }));
    const unhealthy = list.filter((p) => p.health !== 'healthy');
    return {
      check,
      state: unhealthy.length === 0 ? 'ok' : 'degraded',
      lines: [...lines, ...list.map((p) => `provider ${p.name}: ${p.health}`)],
    };
  } catch (error) {
    return { check, state: 'unknown', lines: [...lines, `/v1/providers: ${(error as Error).message}`] };
  }
}

export async function checkAlerts(prometheusUrl: string): Promise<CheckResult> {
  const check = 'firing critical alerts';
  try {
    const firing = await instantQuery(prometheusUrl, CRITICAL_ALERTS_QUERY, { timeoutMs: 10_000 });
    if (firing.length === 0) return { check, state: 'ok', lines: ['none'] };
    return {
      check,
      state: 'degraded',
      lines: firing
        .map((s) => `${s.labels.alertname}${s.labels.namespace ? ` (${s.labels.namespace})` : ''}`)
        .sort(),
    };
  } catch (error) {
    return { check, state: 'unknown', lines: [(error as Error).message] };
  }
}

/** A `kubectl port-forward` to a Service on a free loopback port, until closed. */
export async function portForward(
  namespace: string,
  service: string,
  port: number,
): Promise<{ url: string; close: () => void }> {
  const child: ChildProcess = spawn(
    'kubectl',
    ['-n', namespace, 'port-forward', '--address', '127.0.0.1', `service/${service}`, `:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(
        new Error(`kubectl port-forward to ${namespace}/${service}:${port} did not start: ${output.trim()}`),
      );
    }, 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${match[1]}`, close: () => child.kill() });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`kubectl port-forward: ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`kubectl port-forward to ${namespace}/${service} exited with ${code}: ${output.trim()}`),
      );
    });
  });
}

/** Where a check reaches its service: the URL given, or a port-forward opened for the run. */
async function reach(
  given: string | undefined,
  namespace: string,
  service: string,
  port: number,
  opened: (() => void)[],
): Promise<string> {
  if (given) return given;
  const forward = await portForward(namespace, service, port);
  opened.push(forward.close);
  return forward.url;
}

export interface HealthOptions {
  readonly prometheusUrl?: string;
  readonly gatewayUrl?: string;
  readonly apiKey?: string;
  readonly log?: (line: string) => void;
}

/** Runs every check, printing each as it goes; returns the exit code. */
export async function health(cluster: ClusterSpec, options: HealthOptions): Promise<number> {
  const log = options.log ?? ((line: string) => console.log(line));
  const opened: (() => void)[] = [];
  const results: CheckResult[] = [];
  const report = (result: CheckResult) => {
    results.push(result);
    log(`${result.state.toUpperCase().padEnd(8)} ${result.check}`);
    for (const line of result.lines) log(`         ${line}`);
  };
  log(`health of ${cluster.name}`);
  try {
    report(checkApplications());
    let gatewayUrl: string | undefined;
    try {
      gatewayUrl = await reach(options.gatewayUrl, GATEWAY.namespace, GATEWAY.service, GATEWAY.port, opened);
    } catch (error) {
      report({
        check: 'gateway readiness and providers',
        state: 'unknown',
        lines: [(error as Error).message],
      });
    }
    if (gatewayUrl) report(await checkGateway(gatewayUrl, options.apiKey));
    let prometheusUrl: string | undefined;
    try {
      prometheusUrl = await reach(
        options.prometheusUrl,
        MONITORING_NAMESPACE,
        PROMETHEUS_SERVICE.name,
        PROMETHEUS_SERVICE.port,
        opened,
      );
    } catch (error) {
      report({ check: 'firing critical alerts', state: 'unknown', lines: [(error as Error).message] });
    }
    if (prometheusUrl) report(await checkAlerts(prometheusUrl));
  } finally {
    for (const close of opened) close();
  }
  const code = healthExit(results);
  log(`${cluster.name}: ${['healthy', 'degraded', 'cannot tell'][code]}`);
  return code;
}
