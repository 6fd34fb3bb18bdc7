import type { ApiKeyStore } from '../auth/keys';
import { presentedKey } from '../auth/keys';
import { forbidden, unauthorized } from '../errors';
import type { GatewayMetrics } from '../metrics/metrics';
import { globalPlugin } from './plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** Id of the API key that authenticated the request (never the key itself). */
    apiKeyId: string | undefined;
  }
  interface FastifyContextConfig {
    /** Routes that require an API key set this to true. */
    auth?: boolean;
  }
}

/**
 * API-key authentication for routes with `config.auth`. Missing or unknown keys are 401, a
 * disabled key is 403. The key is only ever hashed; logs and metrics see the key's id at most.
 */
export const authPlugin = globalPlugin<{ keys: ApiKeyStore; metrics: GatewayMetrics }>(
  async (app, { keys, metrics }) => {
    app.decorateRequest('apiKeyId', undefined);
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.config.auth !== true) return;
      const key = presentedKey(request.headers);
      if (key === undefined) {
        metrics.authFailures.inc({ reason: 'missing' });
        throw unauthorized('missing API key: send x-api-key or Authorization: Bearer');
      }
      const check = keys.check(key);
      if (check.result === 'unknown') {
        metrics.authFailures.inc({ reason: 'unknown' });
        throw unauthorized('invalid API key');
      }
      if (check.result === 'disabled') {
        metrics.authFailures.inc({ reason: 'disabled' });
        throw forbidden('API key is disabled');
      }
      request.apiKeyId = check.id;
    });
  },
);
