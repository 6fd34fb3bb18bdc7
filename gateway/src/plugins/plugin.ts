import type { FastifyInstance, FastifyPluginAsync } from 'fastify';

/**
 * Marks a plugin as non-encapsulated so its hooks, decorators and handlers apply to the whole
 * server (what fastify-plugin does, without another dependency).
 */
export function globalPlugin<Options extends Record<string, unknown>>(
  plugin: (app: FastifyInstance, options: Options) => Promise<void>,
): FastifyPluginAsync<Options> {
  Object.defineProperty(plugin, Symbol.for('skip-override'), { value: true });
  return plugin as FastifyPluginAsync<Options>;
}
