/**
 * Fails closed when a GitHub environment the delivery workflows rely on is
 * missing or unprotected. GitHub creates an environment a job names on first
 * use, with no protection at all: a missing `infra-<cluster>` would turn the
 * apply approval off without a word. So before any job that names one runs,
 * this asks the GitHub API for each and exits 1, naming every problem, unless:
 *
 * - the environment exists;
 * - deployments are limited to the branch `main` alone (a custom branch policy
 *   list of exactly `main`), so no other branch can obtain the environment's
 *   OIDC subject, which the cloud identities trust;
 * - where approval is required (every `infra-<cluster>`), it has required
 *   reviewers, at least one, and prevents self-review.
 *
 *   npx tsx .github/scripts/check-environments.ts apply     # every infra-<cluster> of the fleet
 *   npx tsx .github/scripts/check-environments.ts publish   # the image publisher's environment
 *
 * Reads GITHUB_API_URL, GITHUB_REPOSITORY and GITHUB_TOKEN (the job needs `actions: read`).
 */
import { loadDeclaredFleet } from '../../clusters';
import { applyEnvironment } from './fleet-matrix';

/** The environment of the job that pushes the gateway image; its OIDC subject is what the registries trust. */
export const PUBLISH_ENVIRONMENT = 'gateway-image';

/** What an environment must enforce. */
export interface EnvironmentRequirement {
  /** Environment name, e.g. `infra-eks-prod`. */
  readonly name: string;
  /** Whether a person must approve each job that uses it. */
  readonly requireReviewers: boolean;
}

/** Where and as whom to ask. */
export interface GitHubApi {
  /** API root, e.g. https://api.github.com (GITHUB_API_URL). */
  readonly url: string;
  /** `owner/name` (GITHUB_REPOSITORY). */
  readonly repository: string;
  /** A token that may read the repository's environments. */
  readonly token: string;
}

/** The allowed branch. A tag or another branch would carry the same OIDC subject. */
const DEPLOY_BRANCH = 'main';

interface EnvironmentResponse {
  readonly protection_rules?: readonly {
    readonly type: string;
    readonly prevent_self_review?: boolean;
    readonly reviewers?: readonly unknown[];
  }[];
  readonly deployment_branch_policy?: {
    readonly protected_branches: boolean;
    readonly custom_branch_policies: boolean;
  } | null;
}

interface BranchPoliciesResponse {
  readonly branch_policies?: readonly { readonly name: string; readonly type?: string }[];
}

async function getJson<T>(api: GitHubApi, path: string): Promise<{ status: number; body?: T }> {
  const response = await fetch(`${api.url.replace(/\/$/, '')}/repos/${api.repository}/${path}`, {
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${api.token}`,
      'x-github-api-version': '2022-11-28',
    },
  });
  if (!response.ok) return { status: response.status };
  return { status: response.status, body: (await response.json()) as T };
}

/** Every problem with the environments, one line each; empty when all are as required. */
export async function environmentProblems(
  api: GitHubApi,
  requirements: readonly EnvironmentRequirement[],
): Promise<string[]> {
  const problems: string[] = [];
  for (const { name, requireReviewers } of requirements) {
    const path = `environments/${encodeURIComponent(name)}`;
    const environment = await getJson<EnvironmentResponse>(api, path);
    if (environment.status === 404) {
      problems.push(
        `${name}: not configured; GitHub would create it unprotected on first use (Settings → Environments)`,
      );
      continue;
    }
    if (!environment.body) {
      problems.push(
        `${name}: the GitHub API answered ${environment.status}; cannot tell how it is protected`,
      );
      continue;
    }
    const rules = environment.body.protection_rules ?? [];
    if (requireReviewers) {
      const reviewers = rules.find((rule) => rule.type === 'required_reviewers');
      if (!reviewers || (reviewers.reviewers ?? []).length === 0)
        problems.push(`${name}: no required reviewers; every job using it would run without approval`);
      else if (reviewers.prevent_self_review !== true)
        problems.push(
          `${name}: required reviewers may approve their own runs; turn on "Prevent self-review"`,
        );
    }
    const policy = environment.body.deployment_branch_policy;
    if (!policy?.custom_branch_policies) {
      problems.push(
        `${name}: deployments are not limited to ${DEPLOY_BRANCH} (deployment branches: ${
          policy ? 'protected branches' : 'no restriction'
        }); allow the branch ${DEPLOY_BRANCH} only`,
      );
      continue;
    }
    const policies = await getJson<BranchPoliciesResponse>(api, `${path}/deployment-branch-policies`);
    if (!policies.body) {
      problems.push(`${name}: the GitHub API answered ${policies.status} for its deployment branch policies`);
      continue;
    }
    const allowed = (policies.body.branch_policies ?? []).map((p) => `${p.type ?? 'branch'} ${p.name}`);
    if (allowed.length !== 1 || allowed[0] !== `branch ${DEPLOY_BRANCH}`)
      problems.push(
        `${name}: deployments allowed from [${allowed.join(', ')}]; allow the branch ${DEPLOY_BRANCH} only`,
      );
  }
  return problems;
}

/** The environments each workflow needs before it may name them. */
export function requirementsFor(purpose: string): EnvironmentRequirement[] {
  switch (purpose) {
    case 'apply':
      return loadDeclaredFleet().clusters.map((cluster) => ({
        name: applyEnvironment(cluster.name),
        requireReviewers: true,
      }));
    case 'publish':
      return [{ name: PUBLISH_ENVIRONMENT, requireReviewers: false }];
    default:
      throw new Error(`check-environments: unknown purpose '${purpose}'; expected apply or publish`);
  }
}

async function main(): Promise<number> {
  const [purpose = ''] = process.argv.slice(2);
  const missing = ['GITHUB_API_URL', 'GITHUB_REPOSITORY', 'GITHUB_TOKEN'].filter((v) => !process.env[v]);
  if (missing.length > 0) {
    console.error(`check-environments: ${missing.join(', ')} not set`);
    return 2;
  }
  const api = {
    url: process.env.GITHUB_API_URL as string,
    repository: process.env.GITHUB_REPOSITORY as string,
    token: process.env.GITHUB_TOKEN as string,
  };
  const requirements = requirementsFor(purpose);
  const problems = await environmentProblems(api, requirements);
  for (const problem of problems) console.error(`check-environments: ${problem}`);
  if (problems.length === 0)
    console.log(`check-environments: ${requirements.map((r) => r.name).join(', ')} protected as required`);
  return problems.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`check-environments: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
