import { spawn } from 'node:child_process';
import {
  freePort,
  type GatewayProcess,
  type StandInProcess,
  startGateway,
  startStandIn,
  waitFor,
} from '../../../gateway/dev/processes';
import { configFor, GATEWAY_ENV, metricValue, predict } from './helpers';

jest.setTimeout(60_000);

const LIMIT = 10;
let redis: ReturnType<typeof spawn> | undefined;
let redisExited: Promise<void> | undefined;
let standIn: StandInProcess | undefined;
const gateways: GatewayProcess[] = [];

/** Starts a throwaway redis-server on a free port; fails (never skips) when it is not installed. */
async function startRedis(port: number): Promise<void> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  redis = child;
  redisExited = new Promise((resolve) => child.once('exit', () => resolve()));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    child.once('error', (error) =>
      reject(
        new Error(`cannot start redis-server (install it: apt-get install redis-server): ${error.message}`),
      ),
    );
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
    waitFor(
      'redis-server to accept connections',
      () => output.includes('Ready to accept connections'),
      10_000,
    ).then(() => resolve(), reject);
  });
}

beforeAll(async () => {
  const redisPort = await freePort();
  await startRedis(redisPort);
  standIn = await startStandIn({ name: 'aws' });
  const config = configFor([standIn], {}, { limits: { rateLimit: { max: LIMIT, windowMs: 60_000 } } });
  const env = { ...GATEWAY_ENV, REDIS_URL: `redis://127.0.0.1:${redisPort}` };
  gateways.push(...(await Promise.all([startGateway(config, env), startGateway(config, env)])));
  // Both replicas report the shared store before the test starts.
  for (const gateway of gateways) {
    await waitFor(
      'the Redis connection',
      async () => (await metricValue(gateway.url, 'gateway_rate_limit_backend', { backend: 'redis' })) === 1,
    );
  }
});

afterAll(async () => {
  redis?.kill('SIGKILL');
  await Promise.all([...gateways.map((gateway) => gateway.process.stop()), standIn?.process.stop()]);
});

describe('rate limiting shared through Redis (real redis-server)', () => {
  it('two gateway replicas share one budget per key', async () => {
    const statuses: number[] = [];
    // Alternate replicas: each alone would allow LIMIT, together they must allow LIMIT in total.
    for (let index = 0; index < LIMIT + 4; index++) {
      statuses.push((await predict(gateways[index % 2].url)).status);
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(LIMIT);
    expect(statuses.slice(LIMIT)).toEqual([429, 429, 429, 429]);
  });

  it('a hung Redis costs one command timeout, is counted and logged, and the budget continues from the shared count', async () => {
    const gateway = gateways[0];
    // Hung, not gone: the connection stays open and commands time out.
    redis?.kill('SIGSTOP');
    const statuses: number[] = [];
    for (let index = 0; index < 6; index++) statuses.push((await predict(gateway.url)).status);
    // The key spent its shared budget above; memory continues from that count instead of zero.
    expect(statuses).toEqual([429, 429, 429, 429, 429, 429]);
    // Only the first decision waited for Redis; the rest went to memory at once.
    expect(await metricValue(gateway.url, 'gateway_rate_limit_redis_timeouts_total')).toBe(1);
    expect(await metricValue(gateway.url, 'gateway_rate_limit_fallbacks_total')).toBeGreaterThanOrEqual(6);
    expect(await metricValue(gateway.url, 'gateway_rate_limit_backend', { backend: 'memory' })).toBe(1);
    // The log line may still be on its way from the child process.
    await waitFor('the timeout in the log', () => gateway.process.logs.includes('a Redis command timed out'));
  });

  it('keeps limiting from local memory when Redis stops', async () => {
    redis?.kill('SIGCONT');
    redis?.kill('SIGKILL');
    await redisExited;
    const gateway = gateways[1];
    const result = await predict(gateway.url);
    expect(result.status).toBe(429);
    expect(result.json).toEqual({ error: `rate limit exceeded: ${LIMIT} requests per 1 minute` });
    expect(await metricValue(gateway.url, 'gateway_rate_limit_backend', { backend: 'memory' })).toBe(1);
  });
});
