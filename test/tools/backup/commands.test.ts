import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { DIST_DIR } from '../../../tools/tree/layout';
import { pathWithoutTools, ROOT } from '../lifecycle/helpers';

function run(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'tools/backup/cli.ts', ...args], {
    cwd: ROOT,
    env: { HOME: process.env.HOME, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A fake kubectl first on PATH: it names the context, keeps what `create -f -` is given, and
 * answers `get` with the phase the test sets. No cluster, no velero CLI.
 */
function fakeKubectl(phase: string): { PATH: string; created: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-kubectl-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const created = join(dir, 'created.json');
  writeFileSync(
    join(bin, 'kubectl'),
    `#!/bin/sh\ncase "$*" in\n  "config current-context") echo arn:aws:eks:us-east-1:111122223333:cluster/eks-prod;;\n  "create -f -") cat > "${created}";;\n  *" get "*) echo '{"status":{"phase":"${phase}","failureReason":"bucket unreachable"}}';;\n  *) exit 1;;\nesac\n`,
  );
  chmodSync(join(bin, 'kubectl'), 0o755);
  return { PATH: `${bin}:${process.env.PATH}`, created };
}

describe('npm run backup and restore', () => {
  it('--dry-run prints a Backup made from the rendered Schedule, with kubectl absent', () => {
    const { status, stdout } = run(
      ['backup', '--cluster', 'gke-prod', '--schedule', 'stateful-namespaces', '--name', 'b1', '--dry-run'],
      {
        PATH: pathWithoutTools(),
      },
    );
    expect(status).toBe(0);
    const schedule = load(
      readFileSync(join(DIST_DIR, 'gke-prod/backup/Schedule.velero.stateful-namespaces.yaml'), 'utf8'),
    ) as Record<string, any>;
    const manifest = JSON.parse(/standard input: (\{.*\}) \(the template/.exec(stdout)?.[1] as string);
    expect(manifest).toEqual({
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: { name: 'b1', namespace: 'velero' },
      spec: schedule.spec.template,
    });
    expect(stdout).toContain('3. wait until backups.velero.io b1 is Completed');
  });

  it('names the Schedules there are, and wants --backup to restore (exit 2)', () => {
    const PATH = pathWithoutTools();
    const bad = run(['backup', '--cluster', 'eks-prod', '--schedule', 'hourly', '--dry-run'], { PATH });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(
      '--schedule must name a Schedule rendered for eks-prod: cluster, stateful-namespaces (got "hourly")',
    );
    const restore = run(['restore', '--cluster', 'eks-prod', '--dry-run'], { PATH });
    expect(restore.status).toBe(2);
    expect(restore.stderr).toContain('--backup must name the Backup to restore');
  });

  it('creates the Backup and waits for Velero to complete it (exit 0), or reports its failure (exit 1)', () => {
    const ok = fakeKubectl('Completed');
    const done = run(['backup', '--cluster', 'eks-prod', '--name', 'b2', '--poll', '0.1'], ok);
    expect(done.status).toBe(0);
    expect(JSON.parse(readFileSync(ok.created, 'utf8')).metadata.name).toBe('b2');
    expect(done.stdout).toContain('b2: Completed');
    const failing = fakeKubectl('PartiallyFailed');
    const failed = run(['backup', '--cluster', 'eks-prod', '--name', 'b3', '--poll', '0.1'], failing);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('backups.velero.io b3 ended PartiallyFailed: bucket unreachable');
  });

  it('restores only what is missing, from a Completed backup, of the namespaces asked', () => {
    const ok = fakeKubectl('Completed');
    const done = run(
      ['restore', '--cluster', 'eks-prod', '--backup', 'b2', '--namespace', 'logging', '--poll', '0.1'],
      ok,
    );
    expect(done.status).toBe(0);
    expect(JSON.parse(readFileSync(ok.created, 'utf8')).spec).toEqual({
      backupName: 'b2',
      includedNamespaces: ['logging'],
      existingResourcePolicy: 'none',
    });
  });
});
