/** The policy over the committed dist/: it must pass, and its exceptions are reviewed through this snapshot. */
import { join, relative } from 'node:path';
import { loadDeclaredFleet } from '../../../clusters';
import { checkPaths } from '../../../tools/policy/engine';

const DIST = relative(process.cwd(), join(__dirname, '..', '..', '..', 'dist'));
const report = checkPaths([DIST], loadDeclaredFleet());

it('finds no error in the rendered tree', () => {
  expect(report.objects).toBeGreaterThan(0);
  expect(
    report.findings.filter((f) => f.severity === 'error').map((f) => `${f.file}: ${f.ruleId}: ${f.message}`),
  ).toEqual([]);
});

it('has exactly the exceptions in the snapshot (a new one shows up in review here)', () => {
  const exceptions = report.exempted.map((f) => ({
    object: [f.cluster, f.namespace, f.kind, f.name].filter(Boolean).join('/'),
    rule: f.ruleId,
    reason: f.reason,
  }));
  expect(exceptions).toMatchSnapshot();
});
