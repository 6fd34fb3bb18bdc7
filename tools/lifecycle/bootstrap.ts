/**
 * npm run bootstrap -- --cluster NAME [--dry-run] [--timeout SECONDS]
 *
 * Brings a cluster up from nothing, in order: apply its stack, record its outputs, install Argo CD
 * from its pinned chart with its own Application's values, apply the root Application, wait wave
 * by wave until every Application is Synced and Healthy, and record the ingress address the global
 * endpoint needs. Exit codes: tools/lifecycle/exit-codes.ts (docs/operations.md).
 */
import { ARGOCD_CHART, ARGOCD_NAMESPACE, ROOT_APPLICATION } from '../../argocd/settings';
import { outputsFile } from '../../clusters/outputs';
import type { ClusterSpec } from '../../clusters/types';
import { INGRESS_GATEWAY, ISTIO_NAMESPACE } from '../../platform/mesh/workloads';
import { bootstrapValues } from '../gitops/bootstrap-values';
import { DIST_DIR, DIST_FOLDER, GLOBAL_ENDPOINT_STACK } from '../tree/layout';
import { applicationWaves, waitForWaves } from './applications';
import { capture, confirmContext, recordOutput, stackDir } from './cluster';
import { EXIT } from './exit-codes';
import { type Step, StepError } from './steps';

/** How long and how often the waiting steps look. */
export interface BootstrapOptions {
  /** Longest wait for one wave of Applications, and for the ingress address, seconds. */
  readonly timeoutSeconds: number;
  readonly pollSeconds: number;
  readonly distDir?: string;
}

/** The ingress load balancer's address in a `kubectl get service -o json` answer, if it has one yet. */
export function loadBalancerAddress(serviceJson: string): string | undefined {
  const service = JSON.parse(serviceJson) as {
    status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
  };
  const ingress = service.status?.loadBalancer?.ingress?.[0];
  return ingress?.ip ?? ingress?.hostname;
}

export function bootstrapPlan(cluster: ClusterSpec, options: BootstrapOptions): Step[] {
  const distDir = options.distDir ?? DIST_DIR;
  const waves = applicationWaves(cluster.name, distDir);
  const { name } = cluster;
  return [
    {
      kind: 'command',
      title: `initialise the stack ${name}`,
      program: 'terraform',
      args: [stackDir(name), 'init'],
    },
    {
      kind: 'command',
      title: `apply the stack ${name} (Terraform asks before changing anything)`,
      program: 'terraform',
      args: [stackDir(name), 'apply'],
    },
    {
      kind: 'command',
      title: `record its outputs in ${outputsFile(cluster)}`,
      program: 'npm',
      args: ['run', '-s', 'infra:outputs', '--', '--stack', name],
    },
    confirmContext(cluster),
    {
      kind: 'command',
      title: `create the ${ARGOCD_NAMESPACE} namespace (the base component manages it afterwards)`,
      program: 'kubectl',
      args: ['apply', '-f', `${DIST_FOLDER}/${name}/base/Namespace.${ARGOCD_NAMESPACE}.yaml`],
    },
    {
      kind: 'command',
      title: `install Argo CD from ${ARGOCD_CHART.chart} ${ARGOCD_CHART.version} with its Application's values`,
      program: 'helm',
      args: [
        'upgrade',
        '--install',
        'argo-cd',
        ARGOCD_CHART.chart,
        '--repo',
        ARGOCD_CHART.repoURL,
        '--version',
        ARGOCD_CHART.version,
        '--namespace',
        ARGOCD_NAMESPACE,
        '--values',
        '-',
        '--wait',
      ],
      input: bootstrapValues(name),
      inputDescription: `argocdValues(${name}), as npm run -s argocd:values -- ${name} prints them`,
    },
    {
      kind: 'command',
      title: 'apply the root Application: from here on, everything comes from Git',
      program: 'kubectl',
      args: [
        'apply',
        '-f',
        `${DIST_FOLDER}/${name}/argocd/Application.${ARGOCD_NAMESPACE}.${ROOT_APPLICATION}.yaml`,
      ],
    },
    {
      kind: 'task',
      title: `wait wave by wave until the Applications are Synced and Healthy (${options.timeoutSeconds} s per wave)`,
      describe: waves.map((w) => `wave ${w.wave}: ${w.applications.join(', ')}`),
      run: () =>
        waitForWaves(waves, { timeoutSeconds: options.timeoutSeconds, pollSeconds: options.pollSeconds }),
    },
    {
      kind: 'task',
      title: `record the ingress address in ${outputsFile(cluster)} for the global endpoint`,
      describe: [
        `kubectl -n ${ISTIO_NAMESPACE} get service ${INGRESS_GATEWAY.name}: status.loadBalancer.ingress[0]`,
        `then npm run synth, review, commit, and apply the ${GLOBAL_ENDPOINT_STACK} stack ` +
          `(terraform ${stackDir(GLOBAL_ENDPOINT_STACK)} apply) to add ${name} to the global endpoint`,
      ],
      run: async () => {
        const deadline = Date.now() + options.timeoutSeconds * 1000;
        for (;;) {
          const address = loadBalancerAddress(
            capture('kubectl', ['-n', ISTIO_NAMESPACE, 'get', 'service', INGRESS_GATEWAY.name, '-o', 'json']),
          );
          if (address) {
            recordOutput(cluster, 'ingressAddress', address);
            console.log(`ingressAddress: ${address} (written to ${outputsFile(cluster)})`);
            return;
          }
          if (Date.now() >= deadline) {
            throw new StepError(
              `the ingress gateway's Service has no load balancer address after ${options.timeoutSeconds} s`,
              EXIT.failed,
            );
          }
          await new Promise((r) => setTimeout(r, options.pollSeconds * 1000));
        }
      },
    },
  ];
}
