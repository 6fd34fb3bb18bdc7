/**
 * The lifecycle commands (docs/operations.md):
 *   npm run bootstrap -- --cluster NAME [--dry-run] [--timeout SECONDS]
 *   npm run teardown  -- --cluster NAME [--dry-run] [--forget-protected] [--timeout SECONDS]
 *   npm run health    -- --cluster NAME [--prometheus-url URL] [--gateway-url URL]
 * Each prints every step; --dry-run prints the plan and runs nothing.
 */
import { parseArgs } from 'node:util';
import { runCli } from '../run-cli';
import { DIST_DIR, GLOBAL_ENDPOINT_STACK } from '../tree/layout';
import { bootstrapPlan } from './bootstrap';
import { clusterNamed, readStack } from './cluster';
import { EXIT, HEALTH_EXIT } from './exit-codes';
import { health } from './health';
import { execute, StepError } from './steps';
import { teardownPlan, trafficRefusal } from './teardown';

const COMMANDS = ['bootstrap', 'teardown', 'health'] as const;
type Command = (typeof COMMANDS)[number];

function positiveSeconds(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new StepError(`--${option} must be a positive number of seconds (got "${value}")`, EXIT.usage);
  }
  return seconds;
}

async function main(command: Command, argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cluster: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      timeout: { type: 'string' },
      poll: { type: 'string' },
      'forget-protected': { type: 'boolean', default: false },
      'prometheus-url': { type: 'string' },
      'gateway-url': { type: 'string' },
    },
    strict: true,
  });
  const cluster = clusterNamed(values.cluster);
  const timeoutSeconds = positiveSeconds(values.timeout, 'timeout', 900);
  const pollSeconds = positiveSeconds(values.poll, 'poll', 10);
  const dryRun = values['dry-run'];
  switch (command) {
    case 'bootstrap':
      return execute(`bootstrap ${cluster.name}`, bootstrapPlan(cluster, { timeoutSeconds, pollSeconds }), {
        dryRun,
      });
    case 'teardown': {
      const steps = teardownPlan(cluster, { timeoutSeconds, forgetProtected: values['forget-protected'] });
      // Judged from the committed tree before anything else, dry run or not.
      const refusal = trafficRefusal(cluster, readStack(GLOBAL_ENDPOINT_STACK, DIST_DIR));
      if (refusal) {
        console.error(`teardown ${cluster.name}: refused: ${refusal}`);
        return EXIT.refused;
      }
      return execute(`teardown ${cluster.name}`, steps, { dryRun });
    }
    case 'health':
      if (dryRun)
        throw new StepError('health runs no step that changes anything; it has no --dry-run', EXIT.usage);
      return health(cluster, {
        prometheusUrl: values['prometheus-url'],
        gatewayUrl: values['gateway-url'],
        apiKey: process.env.GATEWAY_API_KEY || undefined,
      });
  }
}

const [command, ...rest] = process.argv.slice(2);
runCli(async () => {
  if (!COMMANDS.includes(command as Command)) {
    console.error(`usage: tsx tools/lifecycle/cli.ts ${COMMANDS.join('|')} --cluster NAME …`);
    return EXIT.usage;
  }
  try {
    return await main(command as Command, rest);
  } catch (error) {
    console.error(`${command}: ${(error as Error).message}`);
    if (error instanceof StepError) return error.exitCode;
    // parseArgs' errors (unknown option, missing value) are usage errors; health's "cannot tell" is 2 too.
    return command === 'health' ? HEALTH_EXIT.unknown : EXIT.usage;
  }
});
