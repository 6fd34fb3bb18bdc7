import { watchFile } from 'node:fs';
import { parseArgs } from 'node:util';
import type { FastifyBaseLogger } from 'fastify';
import { ApiKeyStore } from './auth/keys';
import { ConfigError, loadConfigFile } from './config';
import { buildServer } from './server';

/**
 * Entry point: `npm run gateway -- --config FILE`. API keys come from the file named in the
 * config (`auth.apiKeysFile`, the mounted Secret) or from GATEWAY_API_KEYS. On SIGTERM/SIGINT
 * the gateway fails readiness, stops accepting connections, lets in-flight requests finish
 * (up to shutdown.drainTimeoutMs) and exits.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' } } });
  if (!values.config) {
    process.stderr.write('usage: npm run gateway -- --config FILE\n');
    process.exit(2);
  }
  const config = loadConfigFile(values.config);
  const apiKeys = loadApiKeys(config.auth.apiKeysFile);
  const app = await buildServer(config, { apiKeys });
  // A stray rejection is a bug to log, not a reason to take every replica down (Node exits on one by default).
  process.on('unhandledRejection', (reason) => {
    app.log.error({ err: reason }, 'unhandled promise rejection');
  });
  await app.listen({ host: config.listen.host, port: config.listen.port });
  if (config.auth.apiKeysFile) {
    watchApiKeys(config.auth.apiKeysFile, config.auth.reloadIntervalMs, apiKeys, app.log);
  }

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    app.gateway.draining = true;
    app.log.info({ signal }, 'draining in-flight requests');
    const forceExit = setTimeout(() => {
      app.log.error('drain timeout reached, exiting with requests still in flight');
      process.exit(1);
    }, config.shutdown.drainTimeoutMs);
    forceExit.unref();
    try {
      await app.close();
      app.log.info('drained, exiting');
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'error while closing');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * Kubernetes updates a mounted Secret in place; the keys are reloaded when the file changes, so
 * rotating a key needs no restart. A file that fails to load keeps the previous keys in force.
 */
function watchApiKeys(file: string, intervalMs: number, keys: ApiKeyStore, log: FastifyBaseLogger): void {
  watchFile(file, { interval: intervalMs, persistent: false }, (current, previous) => {
    if (current.mtimeMs === previous.mtimeMs && current.size === previous.size) return;
    try {
      const reloaded = ApiKeyStore.fromFile(file);
      keys.replaceWith(reloaded);
      log.info({ keys: reloaded.size }, 'API keys reloaded');
    } catch (error) {
      log.error(
        { err: (error as Error).message },
        'API keys file changed but could not be loaded; keeping the previous keys',
      );
    }
  });
}

function loadApiKeys(file: string | undefined): ApiKeyStore {
  if (file) return ApiKeyStore.fromFile(file);
  const fromEnvironment = process.env.GATEWAY_API_KEYS;
  if (fromEnvironment) return ApiKeyStore.fromEnvironment(fromEnvironment);
  throw new ConfigError('no API keys: set auth.apiKeysFile in the config or GATEWAY_API_KEYS');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
