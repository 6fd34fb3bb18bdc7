import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  environmentProblems,
  type GitHubApi,
  PUBLISH_ENVIRONMENT,
  requirementsFor,
} from '../../.github/scripts/check-environments';

/**
 * A stand-in for the GitHub REST API on 127.0.0.1, answering the two
 * environment endpoints from a table, so the check runs over real HTTP.
 */
type Environments = Record<string, { environment: object; branchPolicies?: object } | { status: number }>;

const protectedEnvironment = (reviewers = 1, preventSelfReview = true) => ({
  environment: {
    protection_rules: [
      {
        type: 'required_reviewers',
        prevent_self_review: preventSelfReview,
        reviewers: Array(reviewers).fill({}),
      },
    ],
    deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
  },
  branchPolicies: { branch_policies: [{ name: 'main', type: 'branch' }] },
});

describe('check-environments: fails closed when an environment is missing or unprotected', () => {
  let server: Server;
  let api: GitHubApi;
  let table: Environments = {};
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.headers.authorization} ${req.url}`);
      const match = /^\/repos\/acme\/ml-platform\/environments\/([^/]+)(\/deployment-branch-policies)?$/.exec(
        req.url ?? '',
      );
      const entry = match ? table[decodeURIComponent(match[1])] : undefined;
      const reply = (status: number, body?: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body ?? { message: 'Not Found' }));
      };
      if (!entry) return reply(404);
      if ('status' in entry)
        return reply(entry.status, { message: 'Resource not accessible by integration' });
      return reply(200, match?.[2] ? entry.branchPolicies : entry.environment);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    api = { url: `http://127.0.0.1:${port}`, repository: 'acme/ml-platform', token: 't0ken' };
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const check = (environments: Environments, requireReviewers = true) => {
    table = environments;
    return environmentProblems(
      api,
      Object.keys({ 'infra-eks-prod': 1, ...environments }).map((name) => ({ name, requireReviewers })),
    );
  };

  it('accepts an environment with reviewers who cannot approve their own runs, deployable from main only', async () => {
    expect(await check({ 'infra-eks-prod': protectedEnvironment() })).toEqual([]);
    expect(seen.at(-1)).toBe(
      'Bearer t0ken /repos/acme/ml-platform/environments/infra-eks-prod/deployment-branch-policies',
    );
  });

  it('refuses a missing environment, which GitHub would create unprotected', async () => {
    expect(await check({})).toEqual([
      expect.stringMatching(/^infra-eks-prod: not configured; GitHub would create it unprotected/),
    ]);
  });

  it('refuses an environment without reviewers, or whose reviewers may approve themselves', async () => {
    expect(await check({ 'infra-eks-prod': protectedEnvironment(0) })).toEqual([
      expect.stringMatching(/^infra-eks-prod: no required reviewers/),
    ]);
    expect(await check({ 'infra-eks-prod': protectedEnvironment(2, false) })).toEqual([
      expect.stringMatching(/^infra-eks-prod: required reviewers may approve their own runs/),
    ]);
  });

  it('refuses deployments from any branch, from protected branches, or from main and another branch', async () => {
    const base = protectedEnvironment();
    const anyBranch = { ...base, environment: { ...base.environment, deployment_branch_policy: null } };
    expect(await check({ 'infra-eks-prod': anyBranch })).toEqual([
      expect.stringMatching(/not limited to main \(deployment branches: no restriction\)/),
    ]);
    const protectedBranches = {
      ...base,
      environment: {
        ...base.environment,
        deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
      },
    };
    expect(await check({ 'infra-eks-prod': protectedBranches })).toEqual([
      expect.stringMatching(/not limited to main \(deployment branches: protected branches\)/),
    ]);
    const twoBranches = {
      ...base,
      branchPolicies: {
        branch_policies: [
          { name: 'main', type: 'branch' },
          { name: 'release/*', type: 'branch' },
        ],
      },
    };
    expect(await check({ 'infra-eks-prod': twoBranches })).toEqual([
      'infra-eks-prod: deployments allowed from [branch main, branch release/*]; allow the branch main only',
    ]);
    const tag = { ...base, branchPolicies: { branch_policies: [{ name: 'main', type: 'tag' }] } };
    expect(await check({ 'infra-eks-prod': tag })).toEqual([
      'infra-eks-prod: deployments allowed from [tag main]; allow the branch main only',
    ]);
  });

  it('refuses when the API will not say (a token without actions: read)', async () => {
    expect(await check({ 'infra-eks-prod': { status: 403 } })).toEqual([
      'infra-eks-prod: the GitHub API answered 403; cannot tell how it is protected',
    ]);
  });

  it('lists every problem of every environment at once', async () => {
    const problems = await check({ 'infra-gke-prod': protectedEnvironment(0) });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['infra-eks-prod', 'infra-gke-prod']);
  });

  it('does not ask the publisher environment for reviewers, but does limit it to main', async () => {
    const unreviewed = protectedEnvironment(0);
    table = { [PUBLISH_ENVIRONMENT]: unreviewed };
    expect(await environmentProblems(api, requirementsFor('publish'))).toEqual([]);
  });

  it('checks one apply environment per cluster of the fleet, and refuses an unknown purpose', () => {
    expect(requirementsFor('apply')).toEqual([
      { name: 'infra-eks-prod', requireReviewers: true },
      { name: 'infra-gke-prod', requireReviewers: true },
      { name: 'infra-aks-prod', requireReviewers: true },
    ]);
    expect(() => requirementsFor('deploy')).toThrow(/unknown purpose 'deploy'; expected apply or publish/);
  });
});
