import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { checkGitOps, formatProblem } from '../../../tools/gitops/integrity';
import { synthesize } from '../../../tools/synth/synthesize';

/** A rendered tree of the declared fleet, rendered once; each test breaks its own copy. */
const pristine = mkdtempSync(join(tmpdir(), 'gitops-pristine-'));
beforeAll(() => synthesize({ outDir: join(pristine, 'dist') }));
const copies: string[] = [pristine];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

function copyOfTree(): string {
  const repo = mkdtempSync(join(tmpdir(), 'gitops-broken-'));
  copies.push(repo);
  cpSync(join(pristine, 'dist'), join(repo, 'dist'), { recursive: true });
  return repo;
}

/** Parses a rendered file, lets the test change it, writes it back. */
function edit(repo: string, file: string, change: (doc: Record<string, any>) => void): void {
  const path = join(repo, file);
  const doc = parse(readFileSync(path, 'utf8'));
  change(doc);
  writeFileSync(path, stringify(doc));
}

const problems = (repo: string) => checkGitOps(repo).map(formatProblem);
const ARGO = 'dist/eks-prod/argocd';

describe('the GitOps integrity check', () => {
  it('passes on the real rendered tree', () => {
    expect(problems(pristine)).toEqual([]);
  });

  it('fails when an Application syncs a folder that does not exist', () => {
    const repo = copyOfTree();
    rmSync(join(repo, 'dist/eks-prod/secrets'), { recursive: true });
    expect(problems(repo)).toContain(
      `${ARGO}/Application.argocd.secrets.yaml: GITOPS-PATH: Application secrets syncs dist/eks-prod/secrets, which does not exist`,
    );
  });

  it('fails when a commit empties a component folder', () => {
    const repo = copyOfTree();
    for (const file of readdirSync(join(repo, 'dist/gke-prod/base')))
      unlinkSync(join(repo, 'dist/gke-prod/base', file));
    writeFileSync(join(repo, 'dist/gke-prod/base/.keep'), '');
    expect(problems(repo)).toContain(
      'dist/gke-prod/argocd/Application.argocd.base.yaml: GITOPS-PATH: Application base syncs dist/gke-prod/base, which holds no manifests',
    );
  });

  it("fails when an Application syncs another cluster's tree", () => {
    const repo = copyOfTree();
    edit(repo, `${ARGO}/Application.argocd.secrets.yaml`, (app) => {
      app.spec.source.path = 'dist/gke-prod/secrets';
    });
    expect(problems(repo)).toEqual(
      expect.arrayContaining([
        `${ARGO}/Application.argocd.secrets.yaml: GITOPS-PATH: Application secrets syncs dist/gke-prod/secrets, outside this cluster's tree dist/eks-prod/`,
        'dist/eks-prod/secrets: GITOPS-COVERAGE: dist/eks-prod/secrets is synced by no Application',
      ]),
    );
  });

  it('fails when a folder is synced by two Applications', () => {
    const repo = copyOfTree();
    const twin = parse(readFileSync(join(repo, `${ARGO}/Application.argocd.base.yaml`), 'utf8'));
    twin.metadata.name = 'base-again';
    writeFileSync(join(repo, `${ARGO}/Application.argocd.base-again.yaml`), stringify(twin));
    expect(problems(repo)).toEqual([
      'dist/eks-prod/base: GITOPS-COVERAGE: dist/eks-prod/base is synced by 2 Applications: base, base-again',
    ]);
  });

  it('fails when the project does not allow a namespace or a cluster-scoped kind', () => {
    const repo = copyOfTree();
    edit(repo, `${ARGO}/AppProject.argocd.platform.yaml`, (project) => {
      project.spec.destinations = project.spec.destinations.filter(
        (d: { namespace: string }) => d.namespace !== 'tracing',
      );
      project.spec.clusterResourceWhitelist = project.spec.clusterResourceWhitelist.filter(
        (gk: { kind: string }) => gk.kind !== 'ClusterSecretStore',
      );
    });
    const found = problems(repo);
    expect(found).toContain(
      'dist/eks-prod/base/NetworkPolicy.tracing.default-deny.yaml: GITOPS-PROJECT: project platform does not allow namespace tracing',
    );
    expect(found).toContain(
      'dist/eks-prod/secrets/ClusterSecretStore.cloud-secrets.yaml: GITOPS-PROJECT: project platform does not allow cluster-scoped ClusterSecretStore',
    );
  });

  it('fails when a workload project object is forbidden there or the project is missing', () => {
    const repo = copyOfTree();
    edit(repo, `${ARGO}/Application.argocd.base.yaml`, (app) => {
      app.spec.project = 'apps';
    });
    edit(repo, `${ARGO}/Application.argocd.secrets.yaml`, (app) => {
      app.spec.project = 'nonexistent';
    });
    const found = problems(repo);
    expect(found).toContain(
      `${ARGO}/Application.argocd.secrets.yaml: GITOPS-PROJECT: Application secrets uses project "nonexistent", which is not defined`,
    );
    expect(found).toContain(
      'dist/eks-prod/base/ResourceQuota.ml-serving.compute.yaml: GITOPS-PROJECT: project apps forbids ResourceQuota',
    );
  });

  it('fails when a custom resource comes in the same wave as the Application installing its CRD', () => {
    const repo = copyOfTree();
    edit(repo, `${ARGO}/Application.argocd.external-secrets.yaml`, (app) => {
      app.metadata.annotations['argocd.argoproj.io/sync-wave'] = '3';
    });
    const found = problems(repo);
    expect(found).toEqual(
      expect.arrayContaining([
        `${ARGO}/ExternalSecret.argocd.argocd-notifications-secret.yaml: GITOPS-CRD-ORDER: external-secrets.io/ExternalSecret is applied in wave 3 by root, but its CRD comes from external-secrets (wave 3)`,
        'dist/eks-prod/secrets/ClusterSecretStore.cloud-secrets.yaml: GITOPS-CRD-ORDER: external-secrets.io/ClusterSecretStore is applied in wave 3 by secrets, but its CRD comes from external-secrets (wave 3)',
      ]),
    );
    // Every problem is that one: External Secrets objects now racing their CRDs, in this cluster only.
    for (const line of found) {
      expect(line).toMatch(
        /^dist\/eks-prod\/.*: GITOPS-CRD-ORDER: external-secrets\.io\/\w+ is applied in wave \d+ by .*, but its CRD comes from external-secrets \(wave 3\)$/,
      );
    }
  });

  it('fails when no Application installs the CRD of a custom resource', () => {
    const repo = copyOfTree();
    edit(repo, `${ARGO}/Application.argocd.external-secrets.yaml`, (app) => {
      delete app.metadata.annotations['ml-platform.io/provides-crds'];
    });
    expect(problems(repo)).toContain(
      'dist/eks-prod/secrets/ClusterSecretStore.cloud-secrets.yaml: GITOPS-CRD-ORDER: external-secrets.io/ClusterSecretStore: no Application installs its CRD',
    );
  });

  it('fails when a namespace is created after what goes into it', () => {
    const repo = copyOfTree();
    edit(repo, `${ARGO}/Application.argocd.base.yaml`, (app) => {
      app.metadata.annotations['argocd.argoproj.io/sync-wave'] = '5';
    });
    expect(problems(repo)).toContain(
      `${ARGO}/Application.argocd.external-secrets.yaml: GITOPS-NAMESPACE: namespace external-secrets is not created before wave 2 (external-secrets)`,
    );
  });

  it('fails when deleting or emptying an Application would delete its resources', () => {
    const repo = copyOfTree();
    edit(repo, `${ARGO}/Application.argocd.base.yaml`, (app) => {
      app.metadata.finalizers = ['resources-finalizer.argocd.argoproj.io'];
      app.spec.syncPolicy.automated.allowEmpty = true;
    });
    expect(problems(repo)).toEqual([
      `${ARGO}/Application.argocd.base.yaml: GITOPS-DELETION: Application base cascades deletion to its resources (resources-finalizer)`,
      `${ARGO}/Application.argocd.base.yaml: GITOPS-DELETION: Application base may sync an empty source (allowEmpty), pruning everything`,
    ]);
  });

  describe('ApplicationSets', () => {
    const applicationSet = (generators: unknown[], name = '{{path.basename}}') => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'components', namespace: 'argocd' },
      spec: {
        generators,
        template: {
          metadata: { name, namespace: 'argocd' },
          spec: {
            project: 'platform',
            source: {
              repoURL: 'https://git.example.com/platform/ml-platform.git',
              targetRevision: 'main',
              path: '{{path}}',
            },
            destination: { server: 'https://kubernetes.default.svc' },
            syncPolicy: { automated: { prune: true, selfHeal: true } },
          },
        },
      },
    });

    it('accepts a git directory generator that replaces a per-component Application', () => {
      const repo = copyOfTree();
      unlinkSync(join(repo, `${ARGO}/Application.argocd.base.yaml`));
      writeFileSync(
        join(repo, `${ARGO}/ApplicationSet.argocd.components.yaml`),
        stringify(
          applicationSet([
            { git: { repoURL: 'x', revision: 'main', directories: [{ path: 'dist/eks-prod/bas*' }] } },
          ]),
        ),
      );
      expect(problems(repo)).toEqual([]);
    });

    it('orders what an ApplicationSet generates like any Application: wave 0 is too early for custom resources', () => {
      const repo = copyOfTree();
      unlinkSync(join(repo, `${ARGO}/Application.argocd.secrets.yaml`));
      writeFileSync(
        join(repo, `${ARGO}/ApplicationSet.argocd.components.yaml`),
        stringify(
          applicationSet([
            { git: { repoURL: 'x', revision: 'main', directories: [{ path: 'dist/eks-prod/secrets' }] } },
          ]),
        ),
      );
      expect(problems(repo)).toEqual([
        'dist/eks-prod/secrets/ClusterSecretStore.cloud-secrets.yaml: GITOPS-CRD-ORDER: external-secrets.io/ClusterSecretStore is applied in wave 0 by secrets, but its CRD comes from external-secrets (wave 2)',
      ]);
    });

    it('fails when its generators expand to no Application', () => {
      const repo = copyOfTree();
      writeFileSync(
        join(repo, `${ARGO}/ApplicationSet.argocd.components.yaml`),
        stringify(
          applicationSet([
            { git: { repoURL: 'x', revision: 'main', directories: [{ path: 'dist/eks-prod/nothing-*' }] } },
          ]),
        ),
      );
      expect(problems(repo)).toContain(
        `${ARGO}/ApplicationSet.argocd.components.yaml: GITOPS-APPSET: ApplicationSet components generates no Application`,
      );
    });

    it('fails when its generators expand to the same Application twice', () => {
      const repo = copyOfTree();
      writeFileSync(
        join(repo, `${ARGO}/ApplicationSet.argocd.components.yaml`),
        stringify(
          applicationSet(
            [{ list: { elements: [{ path: 'dist/eks-prod/base' }, { path: 'dist/eks-prod/base' }] } }],
            'extra',
          ),
        ),
      );
      expect(problems(repo)).toContain(
        `${ARGO}/ApplicationSet.argocd.components.yaml: GITOPS-APPSET: ApplicationSet components generates Application extra more than once`,
      );
    });
  });
});
