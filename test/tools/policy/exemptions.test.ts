import { loadDeclaredFleet } from '../../../clusters';
import { evaluate, hasErrors } from '../../../tools/policy/engine';
import { EXEMPT_ANNOTATION, parseExemptions } from '../../../tools/policy/exemptions';
import type { KubeObject } from '../../../tools/policy/types';
import { asPolicyObjects, goodObjects, objectOf } from './fixtures/good-tree';

const known = new Set(['READONLY-ROOT', 'PROBES', 'RESOURCES']);
const fleet = loadDeclaredFleet();

describe('the exemption annotation', () => {
  it('keeps a ";" inside a reason (the example of the issue) and splits where the next rule id starts', () => {
    const { reasons, problems } = parseExemptions(
      'READONLY-ROOT=TF Serving writes to /tmp; mounted emptyDir; PROBES = batch runner, exits when done;',
      known,
    );
    expect(problems).toEqual([]);
    expect(Object.fromEntries(reasons)).toEqual({
      'READONLY-ROOT': 'TF Serving writes to /tmp; mounted emptyDir',
      PROBES: 'batch runner, exits when done',
    });
  });

  it.each([
    ['READONLY-ROOT', 'READONLY-ROOT is exempted without a reason'],
    ['READONLY-ROOT=   ', 'READONLY-ROOT is exempted without a reason'],
    ['NO-SUCH-RULE=because', 'NO-SUCH-RULE is not a rule'],
    ['readonly-root=lower case', '"readonly-root=lower case" is not RULE-ID=reason'],
    ['PROBES=one; PROBES=two', 'PROBES is exempted twice'],
    ['  ', 'is empty'],
  ])('%j is refused: %s', (annotation, problem) => {
    expect(parseExemptions(annotation, known).problems).toEqual([expect.stringContaining(problem)]);
  });
});

/** The good tree with the Deployment's root filesystem writable and the given annotation on it. */
function writableRootWith(annotation: string): KubeObject[] {
  const values = goodObjects();
  const deployment = objectOf(values, 'Deployment');
  deployment.metadata.annotations = { [EXEMPT_ANNOTATION]: annotation };
  deployment.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
  return values;
}

describe('exemptions in a run', () => {
  it('move the finding to the exceptions with its reason, so the run passes', () => {
    const report = evaluate(
      asPolicyObjects(writableRootWith('READONLY-ROOT=writes model cache to its root')),
      fleet,
    );
    expect(report.findings).toEqual([]);
    expect(report.exempted).toEqual([
      expect.objectContaining({
        ruleId: 'READONLY-ROOT',
        kind: 'Deployment',
        name: 'fraud-detector',
        reason: 'writes model cache to its root',
      }),
    ]);
    expect(hasErrors(report)).toBe(false);
  });

  it('without a reason waive nothing and are an error themselves', () => {
    const report = evaluate(asPolicyObjects(writableRootWith('READONLY-ROOT=')), fleet);
    expect(report.findings.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([
      'EXEMPTION: READONLY-ROOT is exempted without a reason; say why the rule does not apply here',
      'READONLY-ROOT: spec.template.spec.containers[0] "serving": securityContext.readOnlyRootFilesystem is not true',
    ]);
    expect(report.exempted).toEqual([]);
    expect(hasErrors(report)).toBe(true);
  });

  it('that waive nothing are reported as unused (a warning)', () => {
    const values = goodObjects();
    objectOf(values, 'Deployment').metadata.annotations = { [EXEMPT_ANNOTATION]: 'PROBES=old reason' };
    const report = evaluate(asPolicyObjects(values), fleet);
    expect(report.findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      ['EXEMPTION-UNUSED', 'warning', 'PROBES is exempted but finds nothing here'],
    ]);
    expect(hasErrors(report)).toBe(false);
  });
});
