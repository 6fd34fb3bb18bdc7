/**
 * npm run drill -- --scenario NAME [--json] [--target CLUSTER] [--verbose]
 * (--target: the cluster cloud-outage cuts or slow-cloud slows; by default the busiest provider)
 * npm run drill -- --cleanup
 *
 * Builds the fleet in a box (box.ts) from the declared fleet and dist/, runs one scenario, tears
 * everything down (also when the scenario fails or on Ctrl-C) and prints the report. Exit code
 * 0 when every expectation held, 1 when one failed, 2 when the drill could not run.
 * `--cleanup` only removes what an earlier, crashed run left behind.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadDeclaredFleet } from '../../clusters';
import { runCli } from '../run-cli';
import { DIST_DIR } from '../tree/layout';
import { Box } from './box';
import { canCreateNamespaces, drillNamespaces, removeAll, takeLock } from './network';
import { readRenderedCluster } from './rendered';
import { buildReport, formatJson, formatText } from './report';
import { SCENARIOS } from './scenarios';

/** Shorter than the fleet's 15–30 s scrape and 30 s evaluation, so a drill takes minutes. */
export const DRILL_TIMINGS = { scrapeIntervalS: 1, evaluationIntervalS: 1 };
const API_KEY_COUNT = 8;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string' },
      target: { type: 'string' },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      cleanup: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const can = canCreateNamespaces();
  if (!can.ok) {
    console.error(`drill: ${can.why}`);
    return 2;
  }
  const lock = takeLock();
  if (!lock.ok) {
    console.error(`drill: another drill is running (pid ${lock.holder}); wait for it or stop it`);
    return 2;
  }
  try {
    return await drill(values);
  } finally {
    lock.release();
  }
}

async function drill(values: {
  scenario?: string;
  target?: string;
  json: boolean;
  verbose: boolean;
  cleanup: boolean;
}): Promise<number> {
  if (values.cleanup) {
    const removed = removeAll();
    console.error(removed.length ? `removed ${removed.join(', ')}` : 'nothing to remove');
    return 0;
  }
  const scenario = values.scenario ? SCENARIOS[values.scenario] : undefined;
  if (!scenario) {
    console.error(
      `--scenario must be one of ${Object.keys(SCENARIOS).join(', ')}, got ${values.scenario ?? 'nothing'}`,
    );
    return 2;
  }
  const fleet = loadDeclaredFleet();
  const clusters = fleet.clusters.map((spec) => ({
    spec,
    rendered: readRenderedCluster(DIST_DIR, spec.name),
  }));
  if (values.target && !clusters.some((c) => c.spec.name === values.target)) {
    console.error(
      `--target must be a cluster of the fleet (${clusters.map((c) => c.spec.name).join(', ')}), got ${values.target}`,
    );
    return 2;
  }
  const log = (line: string) => {
    if (!values.json || values.verbose) console.error(`drill: ${line}`);
  };
  const leftovers = drillNamespaces();
  if (leftovers.length > 0) {
    log(`removing what an earlier run left: ${leftovers.join(', ')}`);
    removeAll();
  }
  const box = new Box({
    clusters,
    timings: DRILL_TIMINGS,
    apiKeys: Array.from({ length: API_KEY_COUNT }, () => `drill-${randomBytes(16).toString('hex')}`),
    verbose: values.verbose,
  });
  const interrupted = new Promise<never>((_, reject) => {
    const stop = (signal: string) => reject(new Error(`interrupted (${signal}); the box was torn down`));
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  const startedAt = new Date();
  try {
    log(`starting the box: ${clusters.map((c) => c.spec.name).join(', ')} and monitoring`);
    await Promise.race([box.start(), interrupted]);
    log(
      `box ready after ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s; running ${values.scenario}`,
    );
    const result = await Promise.race([
      scenario({
        box,
        clusters: clusters.map((c) => c.spec.name),
        evaluationIntervalS: DRILL_TIMINGS.evaluationIntervalS,
        target: values.target,
        log,
      }),
      interrupted,
    ]);
    const report = buildReport({
      scenario: values.scenario as string,
      startedAt: startedAt.toISOString(),
      durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
      machine: { cores: cpus().length, loadAverage: loadavg() },
      measures: result.measures,
      notes: [
        ...result.notes,
        `Prometheus: scrape and evaluation every ${DRILL_TIMINGS.scrapeIntervalS} s / ${DRILL_TIMINGS.evaluationIntervalS} s; rules, routing and Job commands from dist/ unchanged`,
      ],
    });
    process.stdout.write(values.json ? formatJson(report) : formatText(report));
    return report.ok ? 0 : 1;
  } finally {
    await box.stop();
  }
}

runCli(main);
