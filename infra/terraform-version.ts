/**
 * The Terraform CLI every workflow installs (setup-terraform's `terraform_version`) and the
 * version the stacks are written for. One constant, so the CLI that plans, the CLI that
 * applies and the stacks' `required_version` never drift apart. The workflows read it through
 * `.github/scripts/fleet-matrix.ts`; `test/github/workflows.test.ts` fails if a workflow
 * installs anything else.
 *
 * 1.15.9 is the newest 1.x release (2026-08-19) in the Terraform repository snapshot read on
 * 2026-11-29 (1.16.0 was at rc2). It must be 1.11 or newer: the Azure stack sets Key Vault
 * secrets through a write-only attribute (`value_wo`), which older CLIs reject.
 */
export const TERRAFORM_VERSION = '1.15.9';
