import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTerraform } from '../../infra/render';
import { TERRAFORM_VERSION } from '../../infra/terraform-version';
import { GLOBAL_ENDPOINT_STACK, terraformFile } from '../../tools/tree/layout';
import { fleet } from './helpers';

describe('renderTerraform', () => {
  const files = renderTerraform(fleet);

  it('renders one stack per cluster under terraform/<cluster>/cdk.tf.json, and the global endpoint', () => {
    expect([...files.keys()].sort()).toEqual(
      [...fleet.clusters.map((c) => c.name), GLOBAL_ENDPOINT_STACK].map(terraformFile).sort(),
    );
  });

  it('renders the same bytes every time', () => {
    const again = renderTerraform(fleet);
    for (const [path, content] of files) expect(again.get(path)).toBe(content);
  });

  it('writes sorted keys, no cdktf version, no machine paths and a final newline', () => {
    for (const [path, content] of files) {
      expect(content.endsWith('}\n')).toBe(true);
      expect(content).not.toContain(tmpdir());
      expect(content).not.toContain(process.cwd());
      const json = JSON.parse(content) as { '//': { metadata: Record<string, unknown> } };
      expect(json['//'].metadata).not.toHaveProperty('version');
      expect(json['//'].metadata.stackName).toBe(path.split('/')[1]);
      const keysSorted = (value: unknown): boolean => {
        if (Array.isArray(value)) return value.every(keysSorted);
        if (value === null || typeof value !== 'object') return true;
        const keys = Object.keys(value);
        return keys.every((k, i) => i === 0 || keys[i - 1] < k) && Object.values(value).every(keysSorted);
      };
      expect(keysSorted(json)).toBe(true);
    }
  });

  it('requires the Terraform release the stacks are written for, and no 2.x', () => {
    for (const content of files.values()) {
      const terraform = (JSON.parse(content) as { terraform: { required_version: string } }).terraform;
      expect(terraform.required_version).toBe(`>= ${TERRAFORM_VERSION}, < 2.0.0`);
    }
    expect(TERRAFORM_VERSION).toMatch(/^1\.\d+\.\d+$/);
  });

  it('pins each provider to the version the bindings were generated for', () => {
    for (const content of files.values()) {
      const providers = (JSON.parse(content) as { terraform: { required_providers: object } }).terraform
        .required_providers as Record<string, { version: string }>;
      for (const provider of Object.values(providers)) expect(provider.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });
});

describe('npm run synth without Terraform installed', () => {
  it('renders dist/ as it is: rendering JSON runs no terraform binary', () => {
    // A process of its own: cdktf starts `terraform` with the process environment, which jest keeps apart.
    const emptyPath = mkdtempSync(join(tmpdir(), 'no-terraform-'));
    try {
      const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', 'tools/synth/cli.ts', '--check'], {
        cwd: join(__dirname, '..', '..'),
        encoding: 'utf8',
        env: { ...process.env, PATH: emptyPath },
      });
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('dist/ is up to date');
      expect(run.status).toBe(0);
    } finally {
      rmSync(emptyPath, { recursive: true, force: true });
    }
  });
});
