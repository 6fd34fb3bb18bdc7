import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { errorBodySchema } from '../errors';

/** OpenAPI 3 document generated from the route schemas, served at GET /docs. */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  app.addSchema(errorBodySchema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'ML prediction gateway',
        description: 'TF Serving-compatible prediction API routed to the best cloud provider.',
        version: '1.0.0',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  app.get('/docs', {
    schema: { hide: true },
    config: { pressureHandler: () => undefined },
    handler: async () => app.swagger(),
  });
}
