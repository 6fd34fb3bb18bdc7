/**
 * `npm run dev`: three stand-in model servers (aws, gcp, azure, with different latencies and
 * prices) and the gateway in front of them on 127.0.0.1:8080. Prints a request to paste.
 * API keys come from GATEWAY_API_KEYS when set, otherwise a demo key is generated.
 * Ctrl-C stops everything.
 */
import { randomBytes } from 'node:crypto';
import { type GatewayProcess, type StandInProcess, startGateway, startStandIn } from './processes';

const GATEWAY_PORT = Number(process.env.GATEWAY_PORT ?? 8080);
const CLOUDS = [
  { name: 'aws', latencyMs: 15, costPer1kRequests: 0.45, cluster: 'eks-prod' },
  { name: 'gcp', latencyMs: 25, costPer1kRequests: 0.35, cluster: 'gke-prod' },
  { name: 'azure', latencyMs: 40, costPer1kRequests: 0.3, cluster: 'aks-prod' },
];

async function main(): Promise<void> {
  const demoKey = `demo-${randomBytes(12).toString('hex')}`;
  const keys = process.env.GATEWAY_API_KEYS ?? `demo:${demoKey}`;
  const shownKey = process.env.GATEWAY_API_KEYS ? 'YOUR_KEY' : demoKey;

  const standIns: StandInProcess[] = [];
  let gateway: GatewayProcess | undefined;
  const stopAll = async () => {
    await Promise.all([gateway?.process.stop(), ...standIns.map((standIn) => standIn.process.stop())]);
  };
  process.on('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.on('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  try {
    standIns.push(
      ...(await Promise.all(
        CLOUDS.map((cloud) => startStandIn({ name: cloud.name, latencyMs: cloud.latencyMs })),
      )),
    );
    gateway = await startGateway(
      {
        listen: { host: '127.0.0.1', port: GATEWAY_PORT },
        providers: CLOUDS.map((cloud, index) => ({
          name: cloud.name,
          url: standIns[index].url,
          // In the mesh this header selects the cluster's subset; the stand-ins ignore it.
          headers: { 'x-mesh-cluster': cloud.cluster },
          costPer1kRequests: cloud.costPer1kRequests,
          models: ['iris'],
        })),
        logLevel: 'warn',
      },
      { GATEWAY_API_KEYS: keys },
    );
  } catch (error) {
    await stopAll();
    throw error;
  }

  for (const [index, cloud] of CLOUDS.entries()) {
    process.stdout.write(
      `  ${cloud.name.padEnd(6)} ${standIns[index].url}  +${cloud.latencyMs} ms, $${cloud.costPer1kRequests}/1k requests\n`,
    );
  }
  process.stdout.write(`\ngateway on ${gateway.url} (config: ${gateway.configPath})\n\nTry:\n\n`);
  process.stdout.write(
    `curl -H 'x-api-key: ${shownKey}' -H 'content-type: application/json' ` +
      `-d '{"instances": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}' ${gateway.url}/v1/models/iris:predict\n\n`,
  );
  process.stdout.write(`curl -H 'x-api-key: ${shownKey}' ${gateway.url}/v1/providers\n\n`);
  process.stdout.write('Ctrl-C stops the gateway and the stand-ins.\n');
  // Keep running while the gateway lives.
  const exit = await gateway.process.exited;
  process.stderr.write(`gateway exited (${JSON.stringify(exit)}):\n${gateway.process.logs.slice(-2_000)}\n`);
  await stopAll();
  process.exit(1);
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run dev failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
