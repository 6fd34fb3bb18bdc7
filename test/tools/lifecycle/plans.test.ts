import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadDeclaredFleet } from '../../../clusters';
import {
  type ApplicationStatus,
  applicationWaves,
  waitForWaves,
} from '../../../tools/lifecycle/applications';
import { bootstrapPlan, loadBalancerAddress } from '../../../tools/lifecycle/bootstrap';
import { formatPlan } from '../../../tools/lifecycle/steps';
import { protectedResources, teardownPlan, trafficRefusal } from '../../../tools/lifecycle/teardown';
import { DIST_DIR, GLOBAL_ENDPOINT_STACK, terraformFile } from '../../../tools/tree/layout';
import { lifecycle, pathWithoutTools } from './helpers';

type Json = Record<string, any>;
const fleet = loadDeclaredFleet();
const eks = fleet.clusters.find((c) => c.name === 'eks-prod') as (typeof fleet.clusters)[number];
const rendered = (stack: string): Json =>
  JSON.parse(readFileSync(join(DIST_DIR, terraformFile(stack)), 'utf8'));

/** The Applications synthesis wrote for a cluster, by name, with their waves, read here on their own. */
function renderedApplications(cluster: string): Map<string, number> {
  const dir = join(DIST_DIR, cluster, 'argocd');
  return new Map(
    readdirSync(dir)
      .filter((f) => f.startsWith('Application.'))
      .map((f) => load(readFileSync(join(dir, f), 'utf8')) as Json)
      .filter((app) => app.metadata.name !== 'root')
      .map((app) => [app.metadata.name, Number(app.metadata.annotations['argocd.argoproj.io/sync-wave'])]),
  );
}

describe('the lifecycle plans, with terraform, helm and kubectl absent', () => {
  const PATH = pathWithoutTools();

  it('bootstrap --dry-run prints every step in order and runs nothing', () => {
    const { status, stdout } = lifecycle(['bootstrap', '--cluster', 'gke-prod', '--dry-run'], { PATH });
    expect(status).toBe(0);
    const order = [
      '$ terraform -chdir=dist/terraform/gke-prod init',
      '$ terraform -chdir=dist/terraform/gke-prod apply',
      '$ npm run -s infra:outputs -- --stack gke-prod',
      'kubectl config current-context must contain "gke-prod"',
      '$ kubectl apply -f dist/gke-prod/base/Namespace.argocd.yaml',
      '$ helm upgrade --install argo-cd argo-cd --repo https://argoproj.github.io/argo-helm --version 10.1.1',
      '$ kubectl apply -f dist/gke-prod/argocd/Application.argocd.root.yaml',
      'wait wave by wave',
      'record the ingress address in clusters/gke-prod.outputs.json',
    ];
    const positions = order.map((line) => stdout.indexOf(line));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Every rendered Application but the root is waited for, in its wave.
    for (const [app, wave] of renderedApplications('gke-prod')) {
      expect(stdout).toMatch(new RegExp(`wave ${wave}: .*\\b${app}\\b`));
    }
  });

  it('bootstrap without --dry-run stops at the first program that is missing, with exit 2', () => {
    const { status, stdout, stderr } = lifecycle(['bootstrap', '--cluster', 'gke-prod'], { PATH });
    expect(status).toBe(2);
    expect(stdout).toContain('[1/9] initialise the stack gke-prod');
    expect(stdout).not.toContain('[2/9]');
    expect(stderr).toContain(
      'step 1 (initialise the stack gke-prod) failed: terraform is not installed or not on PATH',
    );
  });

  it('teardown refuses a cluster that still takes traffic through the global endpoint, dry run or not (exit 3)', () => {
    for (const args of [['--dry-run'], []]) {
      const { status, stdout, stderr } = lifecycle(['teardown', '--cluster', 'aks-prod', ...args], { PATH });
      expect(status).toBe(3);
      expect(stdout).toBe('');
      expect(stderr).toContain('aks-prod still takes traffic through the global endpoint');
      expect(stderr).toContain('withdrawnFromGlobalEndpoint: true in clusters/aks-prod.ts');
    }
  });

  it('names the fleet on a bad --cluster, and refuses bad options (exit 2)', () => {
    const unknown = lifecycle(['bootstrap', '--cluster', 'nope', '--dry-run'], { PATH });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain(
      '--cluster must name a cluster of the fleet: eks-prod, gke-prod, aks-prod (got "nope")',
    );
    const option = lifecycle(['teardown', '--cluster', 'eks-prod', '--force'], { PATH });
    expect(option.status).toBe(2);
    expect(option.stderr).toMatch(/Unknown option '--force'/);
    const timeout = lifecycle(['bootstrap', '--cluster', 'eks-prod', '--timeout', 'soon', '--dry-run'], {
      PATH,
    });
    expect(timeout.status).toBe(2);
    expect(timeout.stderr).toContain('--timeout must be a positive number of seconds (got "soon")');
  });
});

describe('the teardown plan', () => {
  const steps = teardownPlan(eks, { timeoutSeconds: 600, forgetProtected: false });
  const plan = formatPlan('teardown eks-prod', steps);

  it('goes in the reverse order of bootstrap: root, waves from the last, Argo CD, then the stack', () => {
    const waves = applicationWaves('eks-prod').map((w) => w.wave);
    const at = (text: string) => plan.indexOf(text);
    expect(at('delete the root Application only')).toBeGreaterThan(at('confirm kubectl points at eks-prod'));
    const waveAt = [...waves].reverse().map((w) => at(`delete wave ${w} `));
    expect(waveAt.every((p) => p > at('delete the root Application only'))).toBe(true);
    expect([...waveAt].sort((a, b) => a - b)).toEqual(waveAt);
    expect(at('uninstall Argo CD')).toBeGreaterThan(Math.max(...waveAt));
    // Argo CD's own Application is orphaned, never deleted with what it synced, so Argo CD runs until helm uninstall.
    expect(plan).not.toMatch(/patch applications\.argoproj\.io argo-cd /);
  });

  it('stops before destroy and says what prevent_destroy keeps and how to remove it knowingly', () => {
    const kept = protectedResources(rendered('eks-prod'));
    expect(kept).toContain('aws_s3_bucket.bucket-models_bucket_BBB6431D');
    const last = steps[steps.length - 1];
    expect(last.title).toBe(`stop before terraform destroy: ${kept.length} resources carry prevent_destroy`);
    expect(plan).toContain('--forget-protected: terraform state rm on each');
    expect(plan).toContain('remove prevent_destroy from them in infra/aws/');
    expect(plan).not.toContain('destroy the stack');
  });

  it('with --forget-protected, removes exactly those from the state, then destroys', () => {
    const forgetting = teardownPlan(eks, { timeoutSeconds: 600, forgetProtected: true });
    const [forget, destroy] = forgetting.slice(-2);
    expect(forget).toMatchObject({
      program: 'terraform',
      args: ['-chdir=dist/terraform/eks-prod', 'state', 'rm', ...protectedResources(rendered('eks-prod'))],
    });
    expect(destroy).toMatchObject({
      program: 'terraform',
      args: ['-chdir=dist/terraform/eks-prod', 'destroy'],
    });
  });

  it('lets a cluster the global endpoint no longer names go', () => {
    const endpoint = rendered(GLOBAL_ENDPOINT_STACK);
    expect(trafficRefusal(eks, endpoint)).toMatch(/still takes traffic/);
    for (const [id, record] of Object.entries(endpoint.resource.aws_route53_record as Json)) {
      if (record.set_identifier === 'eks-prod') delete endpoint.resource.aws_route53_record[id];
    }
    expect(trafficRefusal(eks, endpoint)).toBeUndefined();
  });
});

describe('waiting wave by wave', () => {
  const waves = [
    { wave: 1, applications: ['base', 'metrics-server'] },
    { wave: 2, applications: ['mesh'] },
  ];
  const clock = () => {
    let t = 0;
    return {
      now: () => t,
      sleep: async (ms: number) => {
        t += ms;
      },
    };
  };
  const ok = (name: string): ApplicationStatus => ({ name, sync: 'Synced', health: 'Healthy' });

  it('moves to the next wave once every Application of one is Synced and Healthy', async () => {
    let calls = 0;
    const read = () => {
      calls += 1;
      const statuses =
        calls === 1
          ? [ok('base'), { name: 'metrics-server', sync: 'OutOfSync', health: 'Progressing' }]
          : [ok('base'), ok('metrics-server'), ok('mesh')];
      return statuses;
    };
    const lines: string[] = [];
    await waitForWaves(waves, {
      timeoutSeconds: 60,
      pollSeconds: 5,
      read,
      log: (l) => lines.push(l),
      ...clock(),
    });
    expect(lines).toEqual([
      'wave 1: waiting for base, metrics-server',
      'wave 1: Synced and Healthy',
      'wave 2: waiting for mesh',
      'wave 2: Synced and Healthy',
    ]);
    expect(calls).toBe(3);
  });

  it('reports what is stuck, and what is missing, when a wave times out', async () => {
    const read = () => [
      ok('base'),
      { name: 'metrics-server', sync: 'Synced', health: 'Degraded', message: 'Deployment has 0/1 ready' },
    ];
    await expect(
      waitForWaves(waves, { timeoutSeconds: 30, pollSeconds: 10, read, log: () => {}, ...clock() }),
    ).rejects.toThrow(
      'wave 1 did not become Synced and Healthy within 30 s; stuck:\n  metrics-server: Synced/Degraded (Deployment has 0/1 ready)',
    );
    await expect(
      waitForWaves([waves[1]], { timeoutSeconds: 30, pollSeconds: 10, read, log: () => {}, ...clock() }),
    ).rejects.toThrow('mesh: Missing/Missing');
  });
});

describe('the ingress address bootstrap records', () => {
  it('is the load balancer address, an IP or a name, once there is one', () => {
    expect(
      loadBalancerAddress(JSON.stringify({ status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } } })),
    ).toBe('203.0.113.7');
    expect(
      loadBalancerAddress(
        JSON.stringify({ status: { loadBalancer: { ingress: [{ hostname: 'a.elb.amazonaws.com' }] } } }),
      ),
    ).toBe('a.elb.amazonaws.com');
    expect(loadBalancerAddress(JSON.stringify({ status: { loadBalancer: {} } }))).toBeUndefined();
  });

  it('bootstrap gives Helm the values of the argo-cd Application, on standard input', () => {
    const helm = bootstrapPlan(eks, { timeoutSeconds: 60, pollSeconds: 5 }).find(
      (s) => s.kind === 'command' && s.program === 'helm',
    );
    const app = load(
      readFileSync(join(DIST_DIR, 'eks-prod/argocd/Application.argocd.argo-cd.yaml'), 'utf8'),
    ) as Json;
    expect(helm && helm.kind === 'command' && load(helm.input as string)).toEqual(
      load(
        app.spec.source.helm.valuesObject
          ? JSON.stringify(app.spec.source.helm.valuesObject)
          : app.spec.source.helm.values,
      ),
    );
  });
});
