import type { FastifyInstance } from 'fastify';
import { startStandIn } from '../../../gateway/dev/model-server';

/** The stand-in answers for the model names it is given (the drill's routing tables name the fleet's models). */
describe('stand-in model names', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = await startStandIn({
      name: 'eks-prod',
      host: '127.0.0.1',
      port: 0,
      latencyMs: 0,
      errorRate: 0,
      modelVersion: '1',
      modelNames: ['fraud-detector', 'image-classifier'],
    });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => app.close());

  it.each(['fraud-detector', 'image-classifier'])('serves %s with the same network', async (model) => {
    const status = await fetch(`${url}/v1/models/${model}`);
    expect(status.status).toBe(200);
    const predict = await fetch(`${url}/v1/models/${model}:predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [[5.1, 3.5, 1.4, 0.2]] }),
    });
    expect(predict.status).toBe(200);
    expect(((await predict.json()) as { predictions: number[][] }).predictions[0]).toHaveLength(3);
  });

  it("refuses any other name, the model file's own included", async () => {
    for (const model of ['iris', 'other']) {
      const status = await fetch(`${url}/v1/models/${model}`);
      expect(status.status).toBe(404);
      expect(((await status.json()) as { error: string }).error).toBe(
        `Servable not found for request: Latest(${model})`,
      );
    }
  });
});
