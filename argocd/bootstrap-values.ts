/**
 * npm run -s argocd:values -- CLUSTER
 *
 * Prints the Helm values of the cluster's self-managed Argo CD, read from the
 * rendered Application in dist/, so the one-time `helm install` at bootstrap
 * and the Application that takes over afterwards install the same thing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const cluster = process.argv[2];
const file = join(__dirname, '..', 'dist', cluster ?? '', 'argocd', 'Application.argocd.argo-cd.yaml');
if (!cluster || !existsSync(file)) {
  console.error(`usage: npm run -s argocd:values -- CLUSTER (no ${file}; run npm run synth first?)`);
  process.exit(2);
}
const application = parse(readFileSync(file, 'utf8'));
process.stdout.write(stringify(application.spec.source.helm.valuesObject, { lineWidth: 0 }));
