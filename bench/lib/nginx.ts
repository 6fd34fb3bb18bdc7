import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '../../gateway/dev/processes';

export interface NginxProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * nginx (Debian package) as a plain keep-alive reverse proxy in front of one upstream, as the
 * reference for what proxying costs. Runs in the foreground from a temporary prefix, listening on
 * 127.0.0.1 only, with one worker process so it uses the same number of cores as the gateway.
 */
export async function startNginx(upstreamPort: number): Promise<NginxProcess> {
  const prefix = mkdtempSync(join(tmpdir(), 'bench-nginx-'));
  mkdirSync(join(prefix, 'logs'));
  const port = await freePort();
  const config = `
daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  upstream standin {
    server 127.0.0.1:${upstreamPort};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://standin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
  const configPath = join(prefix, 'nginx.conf');
  writeFileSync(configPath, config);
  const child: ChildProcess = spawn('nginx', ['-p', prefix, '-c', configPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('error', (error) =>
      reject(new Error(`cannot start nginx (apt-get install nginx): ${error.message}`)),
    );
    waitFor(
      'nginx to accept connections',
      async () => {
        if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
        return (await fetch(`http://127.0.0.1:${port}/-/stats`).catch(() => undefined))?.ok === true;
      },
      10_000,
    ).then(() => resolve(), reject);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
