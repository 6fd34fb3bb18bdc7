import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { fleetMatrix } from '../../.github/scripts/fleet-matrix';
import { loadDeclaredFleet } from '../../clusters';
import { imageDigests } from '../../clusters/images';
import { TERRAFORM_VERSION } from '../../infra/terraform-version';
import { ACTION_INPUTS } from './action-inputs';

/**
 * The delivery pipeline as a security reviewer reads it: who can mint which
 * cloud token where, what runs beside it, what is approved before it is
 * applied, and which versions run. Each block fails on the workflows as they
 * were before these rules (see docs/delivery.md).
 */
const ROOT = join(__dirname, '..', '..');
/** A GitHub expression as the workflow text writes it. */
const expr = (inner: string) => ['$', `{{ ${inner} }}`].join('');

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, string | number | boolean>;
}
interface Job {
  readonly if?: string;
  readonly needs?: string | string[];
  readonly environment?: string | { name: string };
  readonly permissions?: Record<string, string>;
  readonly strategy?: { matrix?: unknown };
  readonly concurrency?: { group: string; 'cancel-in-progress'?: boolean | string };
  readonly steps?: Step[];
}
interface Workflow {
  readonly on: Record<string, { paths?: string[]; branches?: string[] } | null>;
  readonly concurrency?: { group: string; 'cancel-in-progress'?: boolean | string };
  readonly jobs: Record<string, Job>;
}

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const workflow = (file: string) => {
  const text = read(`.github/workflows/${file}`);
  return { text, doc: parse(text) as Workflow };
};
const ci = workflow('ci.yml');
const infra = workflow('infra.yml');
const image = workflow('gateway-image.yml');
const batchImage = workflow('batch-predictor-image.yml');
const smoke = workflow('smoke.yml');
const all = [ci, infra, image, batchImage, smoke];
/** The images built here: name (as in clusters/image-digests.json), its folder, workflow, matrix field. */
const IMAGES = [
  {
    name: 'gateway',
    folder: 'gateway',
    file: 'gateway-image.yml',
    w: image,
    repository: 'gatewayRepository',
  },
  {
    name: 'batch-predictor',
    folder: 'apps/batch-predictor',
    file: 'batch-predictor-image.yml',
    w: batchImage,
    repository: 'batchPredictorRepository',
  },
] as const;
const eachImage = IMAGES.map((i) => [i.name, i] as const);
const allJobs = all.flatMap((w) => Object.entries(w.doc.jobs));
const steps = (job: Job) => job.steps ?? [];
const uses = (job: Job, action: string) => steps(job).filter((s) => s.uses?.startsWith(`${action}@`));
const script = (job: Job) =>
  steps(job)
    .map((s) => s.run ?? '')
    .join('\n');
const needsOf = (job: Job) => [job.needs ?? []].flat();
const fleet = loadDeclaredFleet();
const matrix = fleetMatrix(fleet);

/** Every job a job waits for, directly or not. */
function upstream(doc: Workflow, name: string): Set<string> {
  const seen = new Set<string>();
  const visit = (n: string) => {
    for (const need of needsOf(doc.jobs[n])) {
      if (seen.has(need)) continue;
      seen.add(need);
      visit(need);
    }
  };
  visit(name);
  return seen;
}

/** Runs one step's script with bash, as the runner would (`bash -e`), in `cwd` with `env`. */
function runStep(step: Step, cwd: string, env: Record<string, string>): Record<string, string> {
  const outputDir = mkdtempSync(join(tmpdir(), 'github-output-'));
  const output = join(outputDir, 'github-output');
  writeFileSync(output, '');
  try {
    execFileSync('bash', ['-e', '-c', step.run as string], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_OUTPUT: output, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // Annotations (::error::) go to stdout, as on a runner.
    const { stdout, stderr } = error as { stdout: Buffer; stderr: Buffer };
    throw new Error(`step failed: ${stdout}${stderr}`);
  }
  const written = readFileSync(output, 'utf8');
  rmSync(outputDir, { recursive: true, force: true });
  return Object.fromEntries(
    written
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** The delivery page's section under a heading, up to the next heading of any level. */
function deliveryDocSection(heading: string): string {
  const page = read('docs/delivery.md');
  const start = page.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/delivery.md: no section "${heading}"`);
  const rest = page.slice(start + heading.length + 2);
  const end = rest.search(/\n#{1,4} /);
  return end < 0 ? rest : rest.slice(0, end);
}
const tableRows = (section: string) =>
  section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .slice(1)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

describe.each(eachImage)(
  '1. images (%s): tagged with the version and the commit, pushed and pinned by digest',
  (name, { w, repository, folder }) => {
    const tags = steps(w.doc.jobs.fleet).find((s) => s.id === 'tags') as Step;

    it('tags <version of the image folder>-<12 characters of the commit>, once per registry repository', () => {
      const sha = '0123456789abcdef0123456789abcdef01234567';
      const out = runStep(tags, ROOT, { GITHUB_SHA: sha, MATRIX: JSON.stringify(matrix) });
      const version = JSON.parse(read(`${folder}/package.json`)).version;
      expect(out.tag).toBe(`${version}-0123456789ab`);
      const repositories = [...new Set(matrix.include.map((c) => c[repository]))].sort();
      expect(repositories.every((r) => r.endsWith(`/${name}`))).toBe(true);
      expect(out.refs.split(' ').sort()).toEqual(repositories.map((r) => `${r}:${out.tag}`));
    });

    it('pushes the archive the build job scanned, by digest, and fails when a registry holds another image', () => {
      const push = w.doc.jobs.push;
      expect(script(push)).toContain(`bash .github/scripts/push-image.sh ${name}.oci.tar "$DIGEST" $REFS`);
      expect(push.steps?.some((s) => s.run?.includes('[ "$archived" = "$DIGEST" ]'))).toBe(true);
      const pushScript = read('.github/scripts/push-image.sh');
      expect(pushScript).toContain('--all --preserve-digests');
      expect(pushScript).toContain('a tag is never pushed twice');
    });

    it('records the tag and digest as clusters/images.ts reads them (the jq of the render job, run for real)', () => {
      const render = steps(w.doc.jobs.render).find((s) => s.run?.includes('image-digests.json')) as Step;
      // Only the recording lines: synthesis is covered by the synth tests.
      const recording = {
        run: (render.run as string)
          .split('\n')
          .filter((l) => /^(jq|mv) /.test(l))
          .join('\n'),
      };
      const dir = mkdtempSync(join(tmpdir(), 'pin-'));
      try {
        mkdirSync(join(dir, 'clusters'));
        // Another image's entry stays as it is.
        const other = { other: { tag: '2.0.0-aaaaaaaaaaaa', digest: `sha256:${'d'.repeat(64)}` } };
        writeFileSync(join(dir, 'clusters', 'image-digests.json'), `${JSON.stringify(other)}\n`);
        const digest = `sha256:${'c'.repeat(64)}`;
        runStep(recording, dir, { TAG: '1.0.0-0123456789ab', DIGEST: digest });
        expect(imageDigests(join(dir, 'clusters', 'image-digests.json'))).toEqual({
          ...other,
          [name]: { tag: '1.0.0-0123456789ab', digest },
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);

describe('2. applies: the plan exists and is shown before anyone approves it, and exactly that file is applied', () => {
  const { jobs } = infra.doc;

  it('plans on main without an environment, saves the plan and shows it on the run summary', () => {
    expect(jobs['plan-main'].environment).toBeUndefined();
    const run = script(jobs['plan-main']);
    expect(run).toMatch(/terraform -chdir="\$STACK" plan .*-detailed-exitcode -out=tfplan/);
    expect(run).toMatch(
      /terraform -chdir="\$STACK" show -no-color tfplan\n[\s\S]*\} >> "\$GITHUB_STEP_SUMMARY"/,
    );
    expect(uses(jobs['plan-main'], 'actions/upload-artifact').map((s) => s.with?.name)).toContain(
      `tfplan-${expr('matrix.cluster')}`,
    );
  });

  it('applies behind the environment, after the plan, the downloaded plan file and nothing planned anew', () => {
    expect(jobs.apply.environment).toBe(`${expr('matrix.environment')}`);
    expect(upstream(infra.doc, 'apply')).toEqual(new Set(['changes', 'environments', 'fleet', 'plan-main']));
    expect(uses(jobs.apply, 'actions/download-artifact').map((s) => s.with?.name)).toEqual([
      `tfplan-${expr('matrix.cluster')}`,
    ]);
    const run = script(jobs.apply);
    expect(run).not.toMatch(/terraform[^\n]* plan /);
    expect(run).toMatch(/terraform -chdir="\$STACK" apply -input=false -lock-timeout=5m tfplan$/m);
    expect(jobs.apply.concurrency).toEqual({
      group: `terraform-${expr('matrix.cluster')}`,
      'cancel-in-progress': false,
    });
  });

  it('stores the saved plan only encrypted (it holds the prior state) and refuses to run without the key', () => {
    const run = script(jobs['plan-main']);
    expect(run).toContain('secret TERRAFORM_PLAN_KEY is not set');
    expect(run).toMatch(
      /openssl enc -aes-256-cbc -pbkdf2 [^\n]*\\\n\s+-in "\$STACK\/tfplan" -out saved\/tfplan\.enc/,
    );
    expect(uses(jobs['plan-main'], 'actions/upload-artifact').map((s) => s.with?.path)).toEqual([
      'saved/',
      'changes/',
    ]);
  });
});

describe('3. main-only power: the workflows ask for exactly the OIDC subjects docs/delivery.md gives each identity', () => {
  /** Variables that name no identity: shared by all of them. */
  const SHARED = new Set(['GCP_WORKLOAD_IDENTITY_PROVIDER', 'AZURE_TENANT_ID', 'AZURE_SUBSCRIPTION_ID']);
  const environments = (job: Job) => {
    const name = typeof job.environment === 'object' ? job.environment.name : job.environment;
    if (name === undefined) return undefined;
    return name === `${expr('matrix.environment')}` ? matrix.include.map((c) => c.environment) : [name];
  };
  /** The subject GitHub puts in a job's token, from the job's environment or the events it can run on. */
  const subjectsOf = (file: string, name: string, job: Job) => {
    const envs = environments(job);
    if (envs) return envs.map((e) => `repo:<owner>/<repo>:environment:${e}`);
    const condition = job.if ?? '';
    if (/github\.event_name == 'pull_request'/.test(condition)) return ['repo:<owner>/<repo>:pull_request'];
    if (/github\.ref == 'refs\/heads\/main'/.test(condition))
      return ['repo:<owner>/<repo>:ref:refs/heads/main'];
    throw new Error(
      `${file}: job ${name} can mint a token on any branch or event (no environment, no main-only if)`,
    );
  };

  const subjectsFromWorkflows = () => {
    const fromWorkflows = new Map<string, Set<string>>();
    for (const [file, w] of [
      ['ci.yml', ci],
      ['infra.yml', infra],
      ['gateway-image.yml', image],
      ['batch-predictor-image.yml', batchImage],
      ['smoke.yml', smoke],
    ] as const) {
      for (const [name, job] of Object.entries(w.doc.jobs)) {
        if (job.permissions?.['id-token'] !== 'write') continue;
        const variables = [...JSON.stringify(job.steps).matchAll(/vars\.([A-Z_]+)/g)]
          .map((m) => m[1])
          .filter((v) => !SHARED.has(v));
        for (const variable of variables)
          for (const subject of subjectsOf(file, name, job))
            fromWorkflows.set(variable, new Set([...(fromWorkflows.get(variable) ?? []), subject]));
      }
    }
    return fromWorkflows;
  };

  it("match docs/delivery.md's table of trust subjects, identity by identity", () => {
    const fromDocs = new Map<string, Set<string>>();
    for (const [, variables, subjects] of tableRows(deliveryDocSection('## OIDC trust subjects'))) {
      const expanded = backticked(subjects).flatMap((s) =>
        s.includes('<cluster>') ? fleet.clusters.map((c) => s.replace('<cluster>', c.name)) : [s],
      );
      for (const variable of backticked(variables).filter((v) => /^[A-Z_]+$/.test(v)))
        fromDocs.set(variable, new Set(expanded));
    }
    expect(fromDocs.size).toBe(9);
    const fromWorkflows = subjectsFromWorkflows();
    expect(Object.fromEntries([...fromWorkflows].map(([k, v]) => [k, [...v].sort()]))).toEqual(
      Object.fromEntries([...fromDocs].map(([k, v]) => [k, [...v].sort()])),
    );
  });

  it('publish and apply only from main, and refuse a run started on another branch', () => {
    for (const { w } of IMAGES) {
      expect(w.doc.jobs.fleet.if).toBe("github.ref == 'refs/heads/main'");
      // Both images are pushed from the one publisher environment the registries' identities trust.
      expect(w.doc.jobs.push.environment).toBe('gateway-image');
      expect(w.doc.jobs['refuse-off-main'].if).toBe("github.ref != 'refs/heads/main'");
    }
    expect(infra.doc.jobs['plan-main'].if).toContain("github.ref == 'refs/heads/main'");
    expect(infra.doc.jobs.apply.if).toContain("github.ref == 'refs/heads/main'");
    expect(infra.doc.jobs['refuse-off-main'].if).toBe(
      "github.event_name == 'workflow_dispatch' && github.ref != 'refs/heads/main'",
    );
    expect(script(infra.doc.jobs['refuse-off-main'])).toContain('exit 1');
  });
});

describe('4. pull-request plans: no lock, no write token beside cloud credentials, no secret value in state', () => {
  const { jobs } = infra.doc;

  it('plans without the state lock and with no token that can write', () => {
    expect(script(jobs.plan)).toMatch(/plan -input=false -lock=false /);
    expect(jobs.plan.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  });

  it('writes comments from jobs that mint no cloud token and run none of the pull request code', () => {
    for (const w of [infra, ci]) {
      const comment = w.doc.jobs.comment;
      expect(comment.permissions).toEqual({ 'pull-requests': 'write' });
      expect(uses(comment, 'actions/checkout')).toEqual([]);
      expect(steps(comment).filter((s) => s.run)).toEqual([]);
    }
    // Nothing else in a pull request may write.
    const writers = allJobs.filter(([, job]) =>
      Object.entries(job.permissions ?? {}).some(
        ([scope, level]) => level === 'write' && scope === 'pull-requests',
      ),
    );
    expect(writers.map(([name]) => name)).toEqual(['comment', 'comment']);
  });
});

describe('5. a missing or unprotected environment fails the run before a job names it', () => {
  it.each([
    ['infra.yml', 'apply', infra],
    ['gateway-image.yml', 'publish', image],
    ['batch-predictor-image.yml', 'publish', batchImage],
  ] as const)('%s: every job with an environment waits for check-environments %s', (_file, purpose, w) => {
    const named = Object.entries(w.doc.jobs).filter(([, job]) => job.environment !== undefined);
    expect(named.length).toBeGreaterThan(0);
    for (const [name] of named) {
      const checks = [...upstream(w.doc, name)].filter((n) =>
        script(w.doc.jobs[n]).includes(`npx tsx .github/scripts/check-environments.ts ${purpose}`),
      );
      expect({ job: name, checked: checks.length > 0 }).toEqual({ job: name, checked: true });
    }
  });
});

describe('6. no third-party build, scan or SBOM code where a cloud token can be minted; every architecture scanned', () => {
  /** Actions allowed in a job with id-token: write: checkout, artifacts, Terraform and the cloud logins. */
  const TRUSTED = [
    'actions/checkout',
    'actions/download-artifact',
    'actions/upload-artifact',
    'hashicorp/setup-terraform',
    'aws-actions/configure-aws-credentials',
    'aws-actions/amazon-ecr-login',
    'google-github-actions/auth',
    'azure/login',
  ];

  it('runs only the checkout, artifact, Terraform and cloud login actions beside id-token: write', () => {
    const beside = allJobs
      .filter(([, job]) => job.permissions?.['id-token'] === 'write')
      .flatMap(([name, job]) =>
        steps(job)
          .filter((s) => s.uses && !TRUSTED.includes(s.uses.split('@')[0]))
          .map((s) => `${name}: ${s.uses}`),
      );
    expect(beside).toEqual([]);
    for (const { w } of IMAGES) expect(w.doc.jobs.build.permissions).toEqual({ contents: 'read' });
  });

  it.each(eachImage)(
    '%s: builds from the repository root, which the Dockerfile copies from and its dockerignore filters',
    (_name, { w, folder }) => {
      const [buildx] = uses(w.doc.jobs.build, 'docker/build-push-action');
      expect({ context: buildx.with?.context, file: buildx.with?.file }).toEqual({
        context: '.',
        file: `${folder}/Dockerfile`,
      });
      expect(read(`${folder}/Dockerfile`)).toMatch(new RegExp(`^COPY ${folder}/package\\.json `, 'm'));
      expect(read(`${folder}/Dockerfile.dockerignore`)).toContain(`!${folder}/src`);
    },
  );

  it.each(eachImage)('%s: scans and describes each architecture it builds', (name, { w }) => {
    const build = w.doc.jobs.build;
    const [buildx] = uses(build, 'docker/build-push-action');
    const architectures = String(buildx.with?.platforms)
      .split(',')
      .map((p) => p.replace('linux/', ''));
    expect(architectures).toEqual(['amd64', 'arm64']);
    expect(buildx.with?.push).toBeUndefined();
    expect(buildx.with?.outputs).toBe(`type=oci,dest=${name}.oci.tar`);
    const scanned = uses(build, 'aquasecurity/trivy-action').map((s) => s.with?.input);
    const described = uses(build, 'anchore/sbom-action').map((s) => s.with?.image);
    expect(scanned).toEqual(architectures.map((a) => `${name}-${a}.tar`));
    expect(described).toEqual(architectures.map((a) => `docker-archive:${name}-${a}.tar`));
    for (const scan of uses(build, 'aquasecurity/trivy-action')) expect(scan.with?.['exit-code']).toBe('1');
    expect(script(build)).toContain('for arch in amd64 arm64; do');
  });
});

describe('7. current actions and runtimes', () => {
  it('use exactly the pins docs/delivery.md lists, each the commit of its release tag', () => {
    const pinned = new Set(
      all.flatMap((w) =>
        [...w.text.matchAll(/uses: ([\w./-]+)@([0-9a-f]{40}) # (v[\d.]+)$/gm)].map(
          (m) => `${m[1]} ${m[3]} ${m[2]}`,
        ),
      ),
    );
    const listed = new Set(
      tableRows(deliveryDocSection('## Pinned actions')).map(
        ([action, release, commit]) => `${backticked(action)[0]} ${release} ${backticked(commit)[0]}`,
      ),
    );
    expect([...pinned].sort()).toEqual([...listed].sort());
  });

  it('pass each action only inputs its action.yml declares at the pinned commit', () => {
    const unknown = allJobs.flatMap(([name, job]) =>
      steps(job)
        .filter((s) => s.uses && !s.uses.startsWith('./'))
        .flatMap((s) => {
          const action = (s.uses as string).split('@')[0];
          const declared = ACTION_INPUTS[action];
          if (!declared) return [`${name}: ${action} has no recorded inputs`];
          return Object.keys(s.with ?? {})
            .filter((input) => !declared.includes(input))
            .map((input) => `${name}: ${action} has no input ${input}`);
        }),
    );
    expect(unknown).toEqual([]);
  });

  it('install the project Node.js from .node-version everywhere; the image and engines agree', () => {
    const nodeMajor = read('.node-version').trim();
    const setups = allJobs.flatMap(([, job]) => uses(job, 'actions/setup-node'));
    expect(setups.length).toBeGreaterThan(0);
    for (const setup of setups) {
      expect(setup.with?.['node-version-file']).toBe('.node-version');
      expect(setup.with?.['node-version']).toBeUndefined();
    }
    for (const { folder } of IMAGES) {
      expect(read(`${folder}/Dockerfile`)).toMatch(
        new RegExp(`^ARG NODE_IMAGE=node:${nodeMajor}\\.\\d+\\.\\d+-`, 'm'),
      );
    }
    for (const file of ['package.json', ...IMAGES.map((i) => `${i.folder}/package.json`)]) {
      const engines = JSON.parse(read(file)).engines.node as string;
      const minimum = Number(/^>=(\d+)$/.exec(engines)?.[1]);
      // Supported: the project's LTS and the one before it, never an end-of-life line.
      expect({ file, minimum }).toEqual({ file, minimum: Number(nodeMajor) - 2 });
    }
  });
});

describe('8. the smaller ones', () => {
  it('pins kubeconform by version and sha256, checks the release CHECKSUMS agree, and fails closed', () => {
    const step = steps(ci.doc.jobs.check).find((s) => s.env?.KUBECONFORM_SHA256) as Step;
    expect(step.env?.KUBECONFORM_VERSION).toBe('v0.7.0');
    expect(step.env?.KUBECONFORM_SHA256).toMatch(/^[0-9a-f]{64}$/);
    expect(step.run).toContain('sha256sum --strict -c -');
    expect(step.run).toMatch(/if \[ "\$published" != "\$KUBECONFORM_SHA256" \]; then\n[^\n]*\n\s+exit 1/);
    // Off PATH: npm run validate would run it again against unpinned schema locations.
    expect(step.run).not.toMatch(/\/usr\/local\/bin|\$GITHUB_PATH/);
  });

  it("runs kubeconform per cluster at the fleet's Kubernetes version and a CRD catalog pinned to a commit", () => {
    const step = steps(ci.doc.jobs.check).find((s) => s.env?.CRDS_CATALOG) as Step;
    expect(step.env?.CRDS_CATALOG).toMatch(
      /^https:\/\/raw\.githubusercontent\.com\/datreeio\/CRDs-catalog\/[0-9a-f]{40}\//,
    );
    expect(step.run).toContain('-kubernetes-version "$version"');
    expect(ci.text).not.toMatch(/-kubernetes-version \d/);
    for (const entry of matrix.include) {
      const cluster = fleet.clusters.find((c) => c.name === entry.cluster);
      expect(entry.kubernetesVersion).toBe(`${cluster?.kubernetesVersion}.0`);
    }
  });

  it('installs the Terraform of infra/terraform-version.ts everywhere, never latest', () => {
    expect(TERRAFORM_VERSION).toMatch(/^1\.\d+\.\d+$/);
    const setups = allJobs.flatMap(([, job]) => uses(job, 'hashicorp/setup-terraform'));
    expect(setups.length).toBe(4);
    for (const setup of setups)
      expect([`${expr('matrix.terraformVersion')}`, `${expr('steps.terraform.outputs.version')}`]).toContain(
        setup.with?.terraform_version,
      );
    expect(new Set(matrix.include.map((c) => c.terraformVersion))).toEqual(new Set([TERRAFORM_VERSION]));
    const reader = steps(ci.doc.jobs.check).find((s) => s.id === 'terraform') as Step;
    expect(runStep(reader, ROOT, { MATRIX: JSON.stringify(matrix) })).toEqual({ version: TERRAFORM_VERSION });
  });

  it('cancels superseded pull-request plans and queues runs on main', () => {
    expect(infra.doc.concurrency).toEqual({
      group: `infra-${expr("github.event_name == 'pull_request' && format('pr-{0}', github.event.pull_request.number) || github.ref")}`,
      'cancel-in-progress': `${expr("github.event_name == 'pull_request'")}`,
    });
  });

  it('never leaves checkout credentials in a job', () => {
    const checkouts = allJobs.flatMap(([, job]) => uses(job, 'actions/checkout'));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const checkout of checkouts) expect(checkout.with?.['persist-credentials']).toBe(false);
  });

  it('sends no Slack message for a pull-request plan', () => {
    expect(infra.doc.jobs.notify.if).toBe("failure() && github.event_name != 'pull_request'");
  });

  it('opens the digest pull request as the GitHub App, so checks run on it', () => {
    const pin = image.doc.jobs.pin;
    const [app] = uses(pin, 'actions/create-github-app-token');
    expect(app.id).toBe('app');
    expect(uses(pin, 'peter-evans/create-pull-request')[0].with?.token).toBe(
      `${expr('steps.app.outputs.token')}`,
    );
    expect(script(pin)).not.toMatch(/npm /);
  });

  it('asks no apply approval for the digest pull request, nor for any stack whose plan changes nothing', () => {
    for (const event of ['pull_request', 'push'])
      expect(infra.doc.on[event]?.paths).toEqual([
        'infra/**',
        'clusters/**',
        '!clusters/image-digests.json',
        'dist/terraform/**',
        '.github/workflows/infra.yml',
        '.github/scripts/**',
      ]);
    const step = steps(infra.doc.jobs.changes).find((s) => s.id === 'changed') as Step;
    const dir = mkdtempSync(join(tmpdir(), 'changes-'));
    try {
      mkdirSync(join(dir, 'changes'));
      const decide = (changed: Record<string, boolean>) => {
        for (const [cluster, value] of Object.entries(changed))
          writeFileSync(join(dir, 'changes', cluster), `${value}\n`);
        return runStep(step, dir, { MATRIX: JSON.stringify(matrix) });
      };
      const none = decide({ 'eks-prod': false, 'gke-prod': false, 'aks-prod': false });
      expect(none.any).toBe('false');
      expect(JSON.parse(none.matrix)).toEqual({ include: [] });
      const one = decide({ 'eks-prod': false, 'gke-prod': true, 'aks-prod': false });
      expect(one.any).toBe('true');
      expect(JSON.parse(one.matrix).include).toEqual(matrix.include.filter((c) => c.cluster === 'gke-prod'));
      rmSync(join(dir, 'changes', 'aks-prod'));
      expect(() => decide({})).toThrow(/no plan result for aks-prod/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(infra.doc.jobs.apply.if).toContain("needs.changes.outputs.any == 'true'");
    expect(infra.doc.jobs.apply.strategy?.matrix).toBe(`${expr('fromJSON(needs.changes.outputs.matrix)')}`);
  });
});
