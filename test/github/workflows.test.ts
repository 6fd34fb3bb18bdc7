import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Every workflow of the repository, parsed, with its raw text (comments carry the pinned versions). */
const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, '.github', 'workflows');
const workflows = readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((file) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    return { file, text, doc: parse(text) as Workflow };
  });

interface Step {
  readonly uses?: string;
  readonly run?: string;
}
interface Job {
  readonly needs?: string | string[];
  readonly permissions?: Record<string, string> | string;
  readonly 'timeout-minutes'?: number;
  readonly steps?: Step[];
  readonly uses?: string;
}
interface Workflow {
  readonly on: unknown;
  readonly permissions?: Record<string, string> | string;
  readonly jobs: Record<string, Job>;
}

const each = workflows.map((w) => [w.file, w] as const);

/** Scopes GitHub allows in `permissions`; a typo would silently grant nothing (or fail at run time). */
const SCOPES = new Set([
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'id-token',
  'issues',
  'discussions',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
]);

describe('GitHub workflows', () => {
  it('are the pipelines the platform needs', () => {
    expect(workflows.map((w) => w.file)).toEqual([
      'batch-predictor-image.yml',
      'ci.yml',
      'gateway-image.yml',
      'infra.yml',
      'smoke.yml',
    ]);
  });

  it.each(each)('%s: every job needs only jobs that exist', (_file, { doc }) => {
    const jobs = new Set(Object.keys(doc.jobs));
    const missing = Object.entries(doc.jobs).flatMap(([name, job]) =>
      [job.needs ?? []].flat().flatMap((need) => (jobs.has(need) ? [] : [`${name} needs ${need}`])),
    );
    expect(missing).toEqual([]);
  });

  it.each(each)(
    '%s: every third-party action is pinned to a full commit SHA, with its version beside it',
    (_file, w) => {
      const uses = Object.values(w.doc.jobs).flatMap((job) => [
        ...(job.uses ? [job.uses] : []),
        ...(job.steps ?? []).flatMap((s) => (s.uses ? [s.uses] : [])),
      ]);
      expect(uses.length).toBeGreaterThan(0);
      const unpinned = uses.filter((u) => !u.startsWith('./') && !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(u));
      expect(unpinned).toEqual([]);
      // The SHA is unreadable on its own: the line says which release it is.
      const uncommented = w.text
        .split('\n')
        .filter((line) => /uses: [^.]/.test(line) && !/@[0-9a-f]{40} # v?\d+(\.\d+)*$/.test(line.trim()));
      expect(uncommented).toEqual([]);
    },
  );

  it.each(each)(
    '%s: declares least-privilege permissions for the workflow and every job',
    (_file, { doc }) => {
      // Nothing by default: a job without its own block would inherit the repository's default token.
      expect(doc.permissions).toEqual({});
      for (const [name, job] of Object.entries(doc.jobs)) {
        expect({ job: name, declared: job.permissions !== undefined }).toEqual({ job: name, declared: true });
        expect(typeof job.permissions).toBe('object');
        for (const [scope, level] of Object.entries(job.permissions as Record<string, string>)) {
          expect({ job: name, scope, known: SCOPES.has(scope) }).toEqual({ job: name, scope, known: true });
          expect(['read', 'write', 'none']).toContain(level);
        }
      }
    },
  );

  it.each(each)('%s: bounds every job in time', (_file, { doc }) => {
    const unbounded = Object.entries(doc.jobs).filter(([, job]) => !(Number(job['timeout-minutes']) > 0));
    expect(unbounded.map(([name]) => name)).toEqual([]);
  });

  it.each(each)(
    '%s: never runs untrusted event text as shell, never runs fork code with a write token',
    (_file, w) => {
      const events =
        typeof w.doc.on === 'string'
          ? [w.doc.on]
          : Array.isArray(w.doc.on)
            ? w.doc.on
            : Object.keys(w.doc.on as object);
      expect(events).not.toContain('pull_request_target');
      // No expression at all inside a script: every value (github.base_ref included) reaches it
      // through `env`, so no text can become shell syntax.
      const injected = Object.values(w.doc.jobs)
        .flatMap((job) => job.steps ?? [])
        .filter((s) => s.run?.includes('${{'));
      expect(injected.map((s) => s.run)).toEqual([]);
    },
  );

  it.each(each)('%s: tells Slack when it fails', (_file, { doc }) => {
    const notify = doc.jobs.notify;
    expect(notify).toBeDefined();
    expect(String((notify as Job & { if?: string }).if)).toContain('failure()');
    // It waits for every other job, so any of them failing is reported.
    const others = Object.keys(doc.jobs).filter((name) => name !== 'notify');
    expect(new Set([notify.needs ?? []].flat())).toEqual(new Set(others));
  });

  it('refer only to scripts that exist', () => {
    const scripts = workflows.flatMap((w) =>
      [...w.text.matchAll(/\.github\/scripts\/[\w.-]+/g)].map((m) => m[0]),
    );
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(existsSync(join(ROOT, script))).toBe(true);
  });
});
