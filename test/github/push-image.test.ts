import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * `.github/scripts/push-image.sh` and the build job's per-architecture
 * extraction, run for real: skopeo against a real registry (the `registry`
 * of the distribution project, Debian's docker-registry) on 127.0.0.1, with
 * a two-architecture OCI archive laid out here byte by byte. Fails when
 * skopeo or docker-registry is missing (.ci/run installs both).
 */
const ROOT = join(__dirname, '..', '..');
const PUSH = join(ROOT, '.github', 'scripts', 'push-image.sh');

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Writes an OCI archive with one image per architecture under one index; returns its path and index digest. */
function ociArchive(dir: string, name: string, marker: string): { archive: string; digest: string } {
  const layout = join(dir, `${name}-layout`);
  const blobs = join(layout, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const blob = (data: Buffer | string) => {
    const hex = sha256(data);
    writeFileSync(join(blobs, hex), data);
    return { digest: `sha256:${hex}`, size: Buffer.byteLength(data) };
  };
  const manifests = ['amd64', 'arm64'].map((architecture) => {
    const content = join(dir, `${name}-${architecture}`);
    mkdirSync(content, { recursive: true });
    writeFileSync(join(content, 'image.txt'), `${marker} ${architecture}\n`);
    const layerTar = execFileSync('tar', [
      '--sort=name',
      '--mtime=@0',
      '--owner=0',
      '--group=0',
      '-cf',
      '-',
      '-C',
      content,
      'image.txt',
    ]);
    const layerGz = execFileSync('gzip', ['-n', '-c'], { input: layerTar });
    const layer = blob(layerGz);
    const config = blob(
      JSON.stringify({
        architecture,
        os: 'linux',
        config: {},
        rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layerTar)}`] },
      }),
    );
    const manifest = blob(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      }),
    );
    return {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      ...manifest,
      platform: { architecture, os: 'linux' },
    };
  });
  const index = blob(
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }),
  );
  writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', ...index }],
    }),
  );
  const archive = join(dir, `${name}.oci.tar`);
  execFileSync('tar', ['-cf', archive, '-C', layout, 'oci-layout', 'index.json', 'blobs']);
  return { archive, digest: index.digest };
}

describe('push-image.sh against a registry on 127.0.0.1', () => {
  let dir: string;
  let registry: ChildProcess;
  let host: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    for (const tool of ['skopeo', 'docker-registry'])
      expect({ tool, found: spawnOk('sh', ['-c', `command -v ${tool}`]) }).toEqual({ tool, found: true });
    dir = mkdtempSync(join(tmpdir(), 'push-image-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    host = `127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'registry.yml'),
      [
        'version: 0.1',
        'log: {level: error}',
        `storage: {filesystem: {rootdirectory: ${join(dir, 'storage')}}}`,
        `http: {addr: "${host}"}`,
      ].join('\n'),
    );
    registry = spawn('docker-registry', ['serve', join(dir, 'registry.yml')], { stdio: 'ignore' });
    // Plain HTTP on loopback only, for this registry only.
    writeFileSync(join(dir, 'registries.conf'), `[[registry]]\nlocation = "${host}"\ninsecure = true\n`);
    env = { ...process.env, SKOPEO_FLAGS: `--registries-conf ${join(dir, 'registries.conf')}` };
    for (let attempt = 0; attempt < 50; attempt++) {
      const ready = await fetch(`http://${host}/v2/`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`docker-registry did not answer on ${host}`);
  });
  afterAll(() => {
    registry?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function spawnOk(command: string, args: string[]): boolean {
    try {
      execFileSync(command, args, { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }

  /** Runs the script; exit code and everything it printed. */
  function push(archive: string, digest: string, ...refs: string[]) {
    try {
      const out = execFileSync('bash', [PUSH, archive, digest, ...refs], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { code: 0, output: out.toString() };
    } catch (error) {
      const { status, stdout, stderr } = error as { status: number; stdout: Buffer; stderr: Buffer };
      return { code: status, output: `${stdout}${stderr}` };
    }
  }

  /** The digest a tag resolves to, asked of the registry directly. */
  async function resolved(repository: string, tag: string): Promise<string | null> {
    const response = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.index.v1+json' },
    });
    return response.ok ? response.headers.get('docker-content-digest') : null;
  }

  it('pushes the manifest list to every reference under its own digest, with both architectures', async () => {
    const image = ociArchive(dir, 'first', 'build one');
    const result = push(
      image.archive,
      image.digest,
      `${host}/ecr/gateway:1.0.0-aaaaaaaaaaaa`,
      `${host}/acr/gateway:1.0.0-aaaaaaaaaaaa`,
    );
    expect(result).toEqual({ code: 0, output: expect.stringContaining(`pushed as ${image.digest}`) });
    expect(await resolved('ecr/gateway', '1.0.0-aaaaaaaaaaaa')).toBe(image.digest);
    expect(await resolved('acr/gateway', '1.0.0-aaaaaaaaaaaa')).toBe(image.digest);
    const index = JSON.parse(
      execFileSync(
        'skopeo',
        [
          '--registries-conf',
          join(dir, 'registries.conf'),
          'inspect',
          '--raw',
          `docker://${host}/ecr/gateway:1.0.0-aaaaaaaaaaaa`,
        ],
        {
          env,
        },
      ).toString(),
    );
    expect(
      index.manifests.map((m: { platform: { architecture: string } }) => m.platform.architecture),
    ).toEqual(['amd64', 'arm64']);
  });

  it('leaves a tag that already holds the digest alone, so a re-run succeeds', () => {
    const image = ociArchive(dir, 'again', 'build again');
    expect(push(image.archive, image.digest, `${host}/ecr/gateway:1.0.0-bbbbbbbbbbbb`).code).toBe(0);
    expect(push(image.archive, image.digest, `${host}/ecr/gateway:1.0.0-bbbbbbbbbbbb`)).toEqual({
      code: 0,
      output: expect.stringContaining(`already holds ${image.digest}`),
    });
  });

  it('fails, naming the tag and both digests, when a tag holds another image', async () => {
    const before = ociArchive(dir, 'before', 'an earlier build');
    const after = ociArchive(dir, 'after', 'a rebuild of the same commit');
    expect(push(before.archive, before.digest, `${host}/ecr/gateway:1.0.0-cccccccccccc`).code).toBe(0);
    const result = push(
      after.archive,
      after.digest,
      `${host}/ecr/gateway:1.0.0-cccccccccccc`,
      `${host}/acr/gateway:1.0.0-cccccccccccc`,
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      `${host}/ecr/gateway:1.0.0-cccccccccccc already holds ${before.digest}, not ${after.digest}; a tag is never pushed twice`,
    );
    // The other registries still get it, so a re-run after fixing the one finishes the set.
    expect(await resolved('acr/gateway', '1.0.0-cccccccccccc')).toBe(after.digest);
    expect(await resolved('ecr/gateway', '1.0.0-cccccccccccc')).toBe(before.digest);
  });

  it('fails when the archive is not the image the digest names (what was scanned is what is pushed)', () => {
    const image = ociArchive(dir, 'scanned', 'scanned');
    const other = `sha256:${'0'.repeat(64)}`;
    const result = push(image.archive, other, `${host}/gcp/gateway:1.0.0-dddddddddddd`);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`holds ${image.digest} after the push, not ${other}`);
    expect(push(image.archive, 'latest', `${host}/gcp/gateway:x`)).toEqual({
      code: 2,
      output: expect.stringContaining("'latest' is not a sha256 digest"),
    });
  });

  it("the build job's step checks the archive's digest and extracts each architecture for the scans", () => {
    const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'gateway-image.yml'), 'utf8'));
    const step = workflow.jobs.build.steps.find((s: { name?: string }) =>
      s.name?.startsWith('The archive holds'),
    );
    const work = join(dir, 'build-job');
    mkdirSync(work);
    // Named as buildx writes it in the job: gateway.oci.tar.
    const image = ociArchive(work, 'gateway', 'the gateway');
    const run = (digest: string) =>
      execFileSync('bash', ['-e', '-c', step.run], {
        cwd: work,
        env: { ...env, DIGEST: digest },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    expect(() => run(`sha256:${'1'.repeat(64)}`)).toThrow();
    run(image.digest);
    for (const architecture of ['amd64', 'arm64']) {
      const archive = join(work, `gateway-${architecture}.tar`);
      const [manifest] = JSON.parse(execFileSync('tar', ['-xOf', archive, 'manifest.json']).toString());
      const config = JSON.parse(execFileSync('tar', ['-xOf', archive, manifest.Config]).toString());
      expect({ architecture: config.architecture, tags: manifest.RepoTags }).toEqual({
        architecture,
        tags: [`docker.io/library/gateway:${architecture}`],
      });
    }
  });
});
