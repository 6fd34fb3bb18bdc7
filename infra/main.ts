/**
 * Entry point for the cdktf CLI (`cdktf diff|deploy <cluster>` with
 * `"app": "npx tsx infra/main.ts"`): one stack per cluster of the fleet,
 * written to `cdktf.out/` (or `$CDKTF_OUTDIR`), which git ignores. The
 * reviewed, committed Terraform JSON comes from `npm run synth` into
 * `dist/terraform/`, through `renderTerraform`.
 */
import { loadDeclaredFleet } from '../clusters';
import { fleetApp } from './render';

fleetApp(loadDeclaredFleet(), process.env.CDKTF_OUTDIR ?? 'cdktf.out').synth();
