/**
 * Exemptions: `policy.mlplatform.io/exempt: "RULE-ID=reason; OTHER-ID=reason"`
 * on the object a finding is about. A reason may itself contain `;` (as in
 * "TF Serving writes to /tmp; mounted emptyDir"): an entry only starts where a
 * `;` is followed by something shaped like a rule id and `=`.
 */
import { EXEMPT_ANNOTATION } from '../../platform/kernel/annotations';

export { EXEMPT_ANNOTATION };

/** Rule ids are upper-case words joined by hyphens. */
const RULE_ID = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$/;
const ENTRY_START = /;\s*(?=[A-Z][A-Z0-9-]*\s*=)/;

export interface ParsedExemptions {
  /** Reason per exempted rule id. */
  readonly reasons: ReadonlyMap<string, string>;
  /** What is wrong with the annotation; each is reported as an EXEMPTION error. */
  readonly problems: readonly string[];
}

export function parseExemptions(
  annotation: string | undefined,
  knownRuleIds: ReadonlySet<string>,
): ParsedExemptions {
  const reasons = new Map<string, string>();
  const problems: string[] = [];
  if (annotation === undefined) return { reasons, problems };
  const entries = annotation
    .split(ENTRY_START)
    .map((entry) => entry.trim().replace(/;$/, '').trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0)
    problems.push(`${EXEMPT_ANNOTATION} is empty; name a rule and a reason, or remove it`);
  for (const entry of entries) {
    const separator = entry.indexOf('=');
    const ruleId = (separator < 0 ? entry : entry.slice(0, separator)).trim();
    const reason = separator < 0 ? '' : entry.slice(separator + 1).trim();
    if (!RULE_ID.test(ruleId)) {
      problems.push(`"${entry}" is not RULE-ID=reason`);
    } else if (!knownRuleIds.has(ruleId)) {
      problems.push(`${ruleId} is not a rule; see tools/policy/README.md for the rule ids`);
    } else if (reason === '') {
      problems.push(`${ruleId} is exempted without a reason; say why the rule does not apply here`);
    } else if (reasons.has(ruleId)) {
      problems.push(`${ruleId} is exempted twice; give one reason`);
    } else {
      reasons.set(ruleId, reason);
    }
  }
  return { reasons, problems };
}
