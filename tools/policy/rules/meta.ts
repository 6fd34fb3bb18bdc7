import { EXEMPT_ANNOTATION } from '../exemptions';
import type { RuleInfo } from '../types';

/**
 * Findings the engine itself raises: about exemptions and about documents it
 * could not read. They cannot be exempted.
 */
export const EXEMPTION: RuleInfo = {
  id: 'EXEMPTION',
  severity: 'error',
  title: `${EXEMPT_ANNOTATION} is well-formed: known rule ids, each with a reason`,
  rationale:
    'An exception is a decision a reviewer must be able to judge; one without a reason, or naming a rule ' +
    'that does not exist, waives nothing and hides intent.',
  fix: 'Write the annotation as "RULE-ID=why the rule does not apply here; OTHER-ID=why".',
};

export const EXEMPTION_UNUSED: RuleInfo = {
  id: 'EXEMPTION-UNUSED',
  severity: 'warning',
  title: 'Every exemption waives a finding',
  rationale: 'An exemption that no longer waives anything would silently waive the next real problem.',
  fix: 'Remove the rule from the annotation (or the annotation itself).',
};

export const UNREADABLE: RuleInfo = {
  id: 'UNREADABLE',
  severity: 'error',
  title: 'Every YAML document is a Kubernetes object the rules can read',
  rationale: 'A document the policy cannot read is a document nothing checked.',
  fix: 'Fix the YAML, or give the document apiVersion, kind and metadata.name.',
};

export const ENGINE_RULES: readonly RuleInfo[] = [EXEMPTION, EXEMPTION_UNUSED, UNREADABLE];
