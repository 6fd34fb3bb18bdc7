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

/** A claim as kubectl returns it. */
const pvc = (namespace: string, name: string, labels: Record<string, string> = {}) => ({
  metadata: { namespace, name, labels },
  spec: { storageClassName: 'gp3' },
  status: { phase: 'Bound' },
});

/** Claims of ECK's StatefulSet (its selector labels) and of the monitoring stack, as a cluster holds them. */
const CLAIMS: Record<string, object[]> = {
  logging: [
    pvc('logging', 'elasticsearch-data-logs-es-default-0', {
      'common.k8s.elastic.co/type': 'elasticsearch',
      'elasticsearch.k8s.elastic.co/cluster-name': 'logs',
      'elasticsearch.k8s.elastic.co/statefulset-name': 'logs-es-default',
    }),
  ],
  monitoring: [
    pvc('monitoring', 'prometheus-db-prometheus-0'),
    pvc('monitoring', 'alertmanager-db-alertmanager-0'),
    { ...pvc('monitoring', 'pending-claim'), status: { phase: 'Pending' } },
  ],
};

/**
 * A fake kubectl answering as a cluster with those claims would: the Backup (its phase and spec),
 * the claims per namespace, the DataUploads and DataDownloads given, every Restore Completed. It
 * keeps what `create -f -` is given. No cluster, no velero CLI.
 */
function fakeCluster(answers: { backup: object; uploads?: object[]; downloads?: object[] }): {
  PATH: string;
  created: string;
} {
  const dir = mkdtempSync(join(tmpdir(), 'fake-cluster-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const created = join(dir, 'created.json');
  const write = (name: string, value: object) => writeFileSync(join(dir, name), JSON.stringify(value));
  write('backup.json', answers.backup);
  write('uploads.json', { items: answers.uploads ?? [] });
  write('downloads.json', { items: answers.downloads ?? [] });
  for (const [ns, items] of Object.entries(CLAIMS)) write(`pvc-${ns}.json`, { items });
  write('pvc-empty.json', { items: [] });
  writeFileSync(
    join(bin, 'kubectl'),
    `#!/bin/sh
case "$*" in
  "config current-context") echo arn:aws:eks:us-east-1:111122223333:cluster/eks-prod;;
  "create -f -") cat > "${created}";;
  "-n velero get backups.velero.io "*) cat "${dir}/backup.json";;
  "-n velero get restores.velero.io "*) echo '{"status":{"phase":"Completed"}}';;
  "-n velero get datauploads.velero.io "*) cat "${dir}/uploads.json";;
  "-n velero get datadownloads.velero.io "*) cat "${dir}/downloads.json";;
  "-n "*" get persistentvolumeclaims -o json") if [ -f "${dir}/pvc-$2.json" ]; then cat "${dir}/pvc-$2.json"; else cat "${dir}/pvc-empty.json"; fi;;
  *) echo "unexpected: $*" >&2; exit 1;;
esac
`,
  );
  chmodSync(join(bin, 'kubectl'), 0o755);
  return { PATH: `${bin}:${process.env.PATH}`, created };
}

const upload = (namespace: string, claim: string, phase: string) => ({
  spec: { sourceNamespace: namespace, sourcePVC: claim },
  status: { phase, progress: { totalBytes: 1024 } },
});

describe("the volumes' data in backup and restore", () => {
  const stateful = load(
    readFileSync(join(DIST_DIR, 'eks-prod/backup/Schedule.velero.stateful-namespaces.yaml'), 'utf8'),
  ) as Record<string, any>;
  const completed = { status: { phase: 'Completed' }, spec: stateful.spec.template };

  it('a backup of the stateful namespaces fails when a volume the policy keeps has no completed upload', () => {
    const cluster = fakeCluster({
      backup: completed,
      uploads: [upload('monitoring', 'prometheus-db-prometheus-0', 'Completed')],
    });
    const result = run(
      [
        'backup',
        '--cluster',
        'eks-prod',
        '--schedule',
        'stateful-namespaces',
        '--name',
        'v1',
        '--poll',
        '0.1',
      ],
      cluster,
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('monitoring/prometheus-db-prometheus-0: Completed (1024 bytes)');
    expect(result.stderr).toContain(
      'Backup v1 holds no data of monitoring/alertmanager-db-alertmanager-0 (no DataUpload)',
    );
    // Elasticsearch's claim is skipped by the volume policy, and a Pending claim holds no data.
    expect(result.stdout + result.stderr).not.toMatch(/elasticsearch-data|pending-claim/);
  });

  it('passes when every kept volume was uploaded', () => {
    const cluster = fakeCluster({
      backup: completed,
      uploads: [
        upload('monitoring', 'prometheus-db-prometheus-0', 'Completed'),
        upload('monitoring', 'alertmanager-db-alertmanager-0', 'Completed'),
      ],
    });
    const result = run(
      [
        'backup',
        '--cluster',
        'eks-prod',
        '--schedule',
        'stateful-namespaces',
        '--name',
        'v2',
        '--poll',
        '0.1',
      ],
      cluster,
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(readFileSync(cluster.created, 'utf8')).spec).toMatchObject({
      snapshotMoveData: true,
      snapshotVolumes: true,
    });
  });

  it('refuses to restore volume data over claims that exist (exit 3), creating no Restore', () => {
    const cluster = fakeCluster({ backup: completed });
    const result = run(
      [
        'restore',
        '--cluster',
        'eks-prod',
        '--backup',
        'v2',
        '--namespace',
        'monitoring',
        '--namespace',
        'logging',
      ],
      cluster,
    );
    expect(result.status).toBe(3);
    expect(result.stderr).toContain(
      'monitoring/prometheus-db-prometheus-0, monitoring/alertmanager-db-alertmanager-0 exist: Velero would leave their data as it is',
    );
    expect(result.stderr).not.toContain('elasticsearch-data');
    expect(() => readFileSync(cluster.created)).toThrow();
  });

  it('restores over them with --keep-existing-volumes, and reports each volume filled', () => {
    const cluster = fakeCluster({
      backup: completed,
      downloads: [
        { spec: { targetVolume: { namespace: 'monitoring', pvc: 'grafana' } }, status: { phase: 'Failed' } },
      ],
    });
    const result = run(
      ['restore', '--cluster', 'eks-prod', '--backup', 'v2', '--keep-existing-volumes', '--poll', '0.1'],
      cluster,
    );
    expect(result.stdout).toContain(
      'kept with their current data (--keep-existing-volumes): monitoring/prometheus-db-prometheus-0',
    );
    expect(result.stdout).toContain('monitoring/grafana: Failed');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('did not fill monitoring/grafana (Failed)');
  });

  it('asks nothing of the claims when the backup carries no volume data', () => {
    const cluster = fakeCluster({
      backup: { status: { phase: 'Completed' }, spec: { snapshotVolumes: false } },
    });
    const result = run(['restore', '--cluster', 'eks-prod', '--backup', 'nightly', '--poll', '0.1'], cluster);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Backup nightly carries no volume data');
  });

  it('--dry-run plans the volume steps with kubectl absent', () => {
    const PATH = pathWithoutTools();
    const backup = run(
      ['backup', '--cluster', 'gke-prod', '--schedule', 'stateful-namespaces', '--name', 'b', '--dry-run'],
      { PATH },
    );
    expect(backup.status).toBe(0);
    expect(backup.stdout).toContain('4. confirm the data of every volume of Backup b reached the bucket');
    expect(backup.stdout).toContain(
      'claims labelled common.k8s.elastic.co/type=elasticsearch (skipped by the volume policy)',
    );
    const nightly = run(['backup', '--cluster', 'gke-prod', '--name', 'n', '--dry-run'], { PATH });
    expect(nightly.stdout).not.toContain('reached the bucket');
    const restore = run(['restore', '--cluster', 'gke-prod', '--backup', 'b', '--dry-run'], { PATH });
    expect(restore.status).toBe(0);
    expect(restore.stdout).toContain('3. refuse to restore volume data over claims that exist');
    expect(restore.stdout).toMatch(/6\. report the volumes Restore b-restore-\S+ filled from the bucket/);
  });
});

/**
 * A fake kubectl for the Elasticsearch commands: it names the context, answers `get secret` with
 * the elastic user's password, and answers `exec` (curl in an Elasticsearch pod) by the API path,
 * keeping every call and what curl got on its standard input.
 */
function fakeElasticsearchKubectl(state: string): { PATH: string; calls: string; stdin: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-kubectl-es-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const calls = join(dir, 'calls');
  const stdin = join(dir, 'stdin');
  const password = Buffer.from('S3cr3t"pw').toString('base64');
  writeFileSync(
    join(bin, 'kubectl'),
    `#!/bin/sh
case "$*" in
  "config current-context") echo arn:aws:eks:us-east-1:111122223333:cluster/eks-prod;;
  *" get secret logs-es-elastic-user "*) printf '%s' '${password}';;
  *" exec "*)
    cat >> "${stdin}"; echo "$*" >> "${calls}"
    case "$*" in
      *"_slm/policy/ml-platform-logs/_execute"*) echo '{"snapshot_name":"ml-logs-2026.11.30-abc"}';;
      *"_restore"*) echo '{"snapshot":{"snapshot":"s1","indices":["ml-logs-eks-prod-2026.11.29"],"shards":{"total":2,"failed":0,"successful":2}}}';;
      *"_snapshot/log-snapshots/"*) echo '{"snapshots":[{"snapshot":"s1","state":"${state}","failures":[{"index":"ml-logs-eks-prod-2026.11.29","reason":"AccessDenied"}]}]}';;
      *) echo '{"error":"unexpected"}'; exit 22;;
    esac;;
  *) exit 1;;
esac
`,
  );
  chmodSync(join(bin, 'kubectl'), 0o755);
  return { PATH: `${bin}:${process.env.PATH}`, calls, stdin };
}

describe('npm run backup --elasticsearch and restore --snapshot', () => {
  it('--dry-run prints the SLM execution and the restore request, with kubectl absent', () => {
    const PATH = pathWithoutTools();
    const backup = run(['backup', '--cluster', 'eks-prod', '--elasticsearch', '--dry-run'], { PATH });
    expect(backup.status).toBe(0);
    expect(backup.stdout).toContain('POST _slm/policy/ml-platform-logs/_execute');
    expect(backup.stdout).toContain('3. wait until the snapshot is SUCCESS in log-snapshots');
    const restore = run(
      ['restore', '--cluster', 'eks-prod', '--snapshot', 's1', '--rename-prefix', 'restored-', '--dry-run'],
      { PATH },
    );
    expect(restore.status).toBe(0);
    expect(restore.stdout).toContain(
      'POST _snapshot/log-snapshots/s1/_restore?wait_for_completion=true {"indices":"ml-logs-*,jaeger-*","ignore_unavailable":true,"include_global_state":false,"rename_pattern":"(.+)","rename_replacement":"restored-$1"}',
    );
  });

  it("executes the policy and waits for SUCCESS (exit 0), the password only on curl's standard input", () => {
    const fake = fakeElasticsearchKubectl('SUCCESS');
    const done = run(['backup', '--cluster', 'eks-prod', '--elasticsearch', '--poll', '0.1'], fake);
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    expect(done.stdout).toContain('snapshot: ml-logs-2026.11.30-abc');
    const calls = readFileSync(fake.calls, 'utf8').trim().split('\n');
    expect(calls[0]).toContain(
      '-X POST -H Content-Type: application/json https://logs-es-http.logging.svc.cluster.local:9200/_slm/policy/ml-platform-logs/_execute',
    );
    expect(calls[1]).toContain('_snapshot/log-snapshots/ml-logs-2026.11.30-abc');
    expect(calls.join('\n')).not.toContain('S3cr3t');
    expect(readFileSync(fake.stdin, 'utf8')).toContain('user = "elastic:S3cr3t\\"pw"');
  });

  it('reports a failed snapshot with its reason (exit 1), and refuses to restore from it (exit 3)', () => {
    const fake = fakeElasticsearchKubectl('FAILED');
    const failed = run(['backup', '--cluster', 'eks-prod', '--elasticsearch', '--poll', '0.1'], fake);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(
      'snapshot ml-logs-2026.11.30-abc ended FAILED: ml-logs-eks-prod-2026.11.29: AccessDenied',
    );
    const refused = run(['restore', '--cluster', 'eks-prod', '--snapshot', 's1'], fake);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toContain('snapshot s1 is FAILED, not SUCCESS');
  });

  it('restores the indices asked from a SUCCESS snapshot, without the global state', () => {
    const fake = fakeElasticsearchKubectl('SUCCESS');
    const done = run(
      ['restore', '--cluster', 'eks-prod', '--snapshot', 's1', '--index', 'ml-logs-eks-prod-2026.11.29'],
      fake,
    );
    expect(done.status).toBe(0);
    expect(done.stdout).toContain('restored ml-logs-eks-prod-2026.11.29: 2 of 2 shards');
    const restore = readFileSync(fake.calls, 'utf8').trim().split('\n')[1];
    expect(restore).toContain(
      '_snapshot/log-snapshots/s1/_restore?wait_for_completion=true --data-binary {"indices":"ml-logs-eks-prod-2026.11.29","ignore_unavailable":true,"include_global_state":false}',
    );
  });
});
