import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { freePort } from '../../../gateway/dev/processes';
import { UpstreamClient } from '../../../gateway/src/upstream/client';

/**
 * The upstream client against small loopback servers that misbehave in specific ways: each
 * failure must map to the outcome the retry rules depend on.
 */
const servers: Array<Server | ReturnType<typeof createHttpServer>> = [];
const sockets: Socket[] = [];

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<string> {
  servers.push(server);
  server.on('connection', (socket: Socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

function clientFor(url: string, headers: Record<string, string> = {}) {
  return new UpstreamClient([{ name: 'p', url, headers }], {
    connectTimeoutMs: 500,
    connectionsPerProvider: 4,
    maxResponseBytes: 1_000,
  });
}

const post = (timeoutMs = 1_000, signal?: AbortSignal) => ({
  method: 'POST' as const,
  path: '/v1/models/iris:predict',
  headers: { 'content-type': 'application/json' },
  body: Buffer.from('{"instances":[[1,2,3,4]]}'),
  timeoutMs,
  signal,
});

describe('upstream client', () => {
  it('returns the response, sends the provider headers and keeps the URL path prefix', async () => {
    let seen: { url?: string; headers?: IncomingHttpHeaders } = {};
    const url = await listen(
      createHttpServer((request, response) => {
        seen = { url: request.url, headers: request.headers };
        response.writeHead(200, { 'content-type': 'application/json', 'retry-after': '3' });
        response.end('{"predictions":[[1]]}');
      }),
    );
    const client = clientFor(`${url}/tfs/`, { 'x-mesh-cluster': 'eks-prod' });
    const { outcome, response } = await client.send('p', post());
    await client.close();
    expect(outcome).toEqual({ kind: 'response', status: 200 });
    expect(response?.body.toString()).toBe('{"predictions":[[1]]}');
    expect(response?.headers['retry-after']).toBe('3');
    expect(seen.url).toBe('/tfs/v1/models/iris:predict');
    expect(seen.headers?.['x-mesh-cluster']).toBe('eks-prod');
  });

  it('reports a refused connection as never sent', async () => {
    const client = clientFor(`http://127.0.0.1:${await freePort()}`);
    const { outcome } = await client.send('p', post());
    await client.close();
    expect(outcome).toMatchObject({ kind: 'not-sent', reason: 'ECONNREFUSED' });
  });

  it('reports a connection closed after the request was written as possibly processed', async () => {
    const url = await listen(
      createTcpServer((socket) => {
        socket.once('data', () => socket.destroy());
      }),
    );
    const client = clientFor(url);
    const { outcome } = await client.send('p', post());
    await client.close();
    expect(outcome.kind).toBe('reset-after-send');
  });

  it('reports a silent upstream as a timeout', async () => {
    const url = await listen(createTcpServer(() => {}));
    const client = clientFor(url);
    const { outcome } = await client.send('p', post(200));
    await client.destroy();
    expect(outcome).toEqual({ kind: 'timeout' });
  });

  it('refuses a response larger than the limit', async () => {
    const url = await listen(
      createHttpServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ predictions: Array(1_000).fill(1) }));
      }),
    );
    const client = clientFor(url);
    const { outcome, response } = await client.send('p', post());
    await client.close();
    expect(outcome).toEqual({ kind: 'response', status: 502 });
    expect(response).toBeUndefined();
  });

  it('reports a request abandoned by the client as cancelled', async () => {
    const url = await listen(createTcpServer(() => {}));
    const client = clientFor(url);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const { outcome } = await client.send('p', post(5_000, controller.signal));
    await client.destroy();
    expect(outcome).toEqual({ kind: 'cancelled' });
  });

  it.each<[string, Record<string, string>, string, boolean]>([
    [
      "the mesh's connection termination (may have been processed)",
      {},
      'upstream connect error or disconnect/reset before headers. reset reason: connection termination',
      false,
    ],
    [
      "the mesh's connect failure",
      {},
      'upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: delayed connect error: 111',
      true,
    ],
    [
      "the mesh's circuit-breaker overflow",
      { 'x-envoy-overloaded': 'true' },
      'upstream connect error or disconnect/reset before headers. reset reason: overflow',
      true,
    ],
    [
      "HTTP/2's refused stream",
      {},
      'upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote refused stream reset',
      true,
    ],
    [
      "the mesh's remote reset",
      {},
      'upstream connect error or disconnect/reset before headers. reset reason: remote reset',
      false,
    ],
    ['no endpoint in the mesh', {}, 'no healthy upstream', true],
    [
      "the provider's own overload answer (Retry-After)",
      { 'retry-after': '1' },
      '{"error":"overloaded"}',
      true,
    ],
    ['a bare 503', {}, '{"error":"unavailable"}', false],
  ])('a 503 from %s is marked as not processed: %s', async (_name, headers, body, notProcessed) => {
    const url = await listen(
      createHttpServer((_request, response) => {
        response.writeHead(503, headers);
        response.end(body);
      }),
    );
    const client = clientFor(url);
    const { outcome } = await client.send('p', post());
    await client.close();
    expect(outcome).toEqual({ kind: 'response', status: 503, notProcessed });
  });

  it('refuses a status outside 200-599 and says why', async () => {
    const url = await listen(
      createTcpServer((socket) => {
        socket.once('data', () =>
          socket.end('HTTP/1.1 999 Strange\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}'),
        );
      }),
    );
    const client = clientFor(url);
    const result = await client.send('p', post());
    await client.destroy();
    expect(result.outcome).toEqual({ kind: 'response', status: 502 });
    expect(result.response).toBeUndefined();
    expect(result.problem).toContain('invalid status (999)');
  });

  it('sends health checks on a connection of their own, not behind predictions in a busy pool', async () => {
    const url = await listen(
      createHttpServer((request, response) => {
        // Predictions hang; status answers at once.
        if (request.method === 'POST') return;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"model_version_status":[]}');
      }),
    );
    const client = new UpstreamClient([{ name: 'p', url, headers: {} }], {
      connectTimeoutMs: 500,
      connectionsPerProvider: 1,
      maxResponseBytes: 1_000,
    });
    const hung = client.send('p', post(2_000));
    const check = await client.send('p', {
      method: 'GET',
      path: '/v1/models/iris',
      headers: {},
      timeoutMs: 1_000,
      pool: 'health',
    });
    expect(check.outcome).toEqual({ kind: 'response', status: 200 });
    await hung;
    await client.destroy();
  });
});
