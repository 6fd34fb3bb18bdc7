/**
 * The Terraform CLI every workflow installs (setup-terraform's `terraform_version`) and the
 * version the stacks are written for (each stack's `required_version` is `>=` it, below 2.0).
 * One constant, so the CLI that plans, the CLI that applies and the stacks never drift apart.
 * The workflows read it through `.github/scripts/fleet-matrix.ts`; `test/github/workflows.test.ts`
 * fails if a workflow installs anything else.
 *
 * 1.16.3 is the newest 1.x release found on 2026-11-29: hashicorp/terraform's "Cleanup after 1.16.3
 * release" pull request (#39234, 2026-09-16); the release page itself could not be read from here,
 * re-check it. It must be 1.11 or newer: the Azure stack sets Key Vault secrets through a
 * write-only attribute (`value_wo`), which older CLIs reject.
 */
export const TERRAFORM_VERSION = '1.16.3';
