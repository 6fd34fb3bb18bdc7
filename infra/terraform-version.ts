/**
 * The Terraform release the stacks are written for and CI runs: the newest 1.x release found on
 * 2026-11-29 (1.16.3, listed among hashicorp/terraform's release tags in a public dependency-update
 * issue of 2026-09-21; the release page itself could not be reached from here, re-check it).
 * Every stack requires at least this version (`required_version`), below 2.0.
 */
export const TERRAFORM_VERSION = '1.16.3';
