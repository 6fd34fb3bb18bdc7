import type { Fleet } from '../../clusters/types';
import { createContext } from './context';
import { scanCredentials } from './credentials';
import { EXEMPT_ANNOTATION, parseExemptions } from './exemptions';
import { type ChartConfiguration, type LoadedTree, loadObjects, type UnreadableDocument } from './load';
import { ALL_RULES } from './rules';
import { ENGINE_RULES, EXEMPTION, EXEMPTION_UNUSED, UNREADABLE } from './rules/meta';
import type {
  CredentialHit,
  ExemptedFinding,
  Finding,
  PolicyObject,
  PolicyReport,
  Rule,
  RuleInfo,
} from './types';

export interface EvaluateOptions {
  readonly rules?: readonly Rule[];
  readonly credentialHits?: readonly CredentialHit[];
  readonly unreadable?: readonly UnreadableDocument[];
  readonly files?: number;
  /** Per cluster, the Secrets and ConfigMaps its charts create (contributions.json). */
  readonly chartConfiguration?: ReadonlyMap<string, ChartConfiguration>;
}

function findingAt(object: PolicyObject, rule: RuleInfo, message: string): Finding {
  return {
    ruleId: rule.id,
    severity: rule.severity,
    file: object.file,
    ...(object.line !== undefined ? { line: object.line } : {}),
    kind: object.kind,
    name: object.name,
    ...(object.namespace ? { namespace: object.namespace } : {}),
    ...(object.cluster ? { cluster: object.cluster } : {}),
    ...(object.constructPath ? { constructPath: object.constructPath } : {}),
    message,
    fix: rule.fix,
  };
}

const byLocation = (a: Finding, b: Finding) =>
  a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || a.ruleId.localeCompare(b.ruleId);

/** Runs the rules over objects already loaded; pure apart from what the rules ask the context. */
export function evaluate(
  objects: readonly PolicyObject[],
  fleet: Fleet,
  options: EvaluateOptions = {},
): PolicyReport {
  const rules = options.rules ?? ALL_RULES;
  const context = createContext(objects, fleet, options.credentialHits, options.chartConfiguration);
  const knownRuleIds = new Set(rules.map((rule) => rule.id));
  const findings: Finding[] = [];
  const exempted: ExemptedFinding[] = [];

  for (const object of objects) {
    const { reasons, problems } = parseExemptions(
      object.value.metadata?.annotations?.[EXEMPT_ANNOTATION],
      knownRuleIds,
    );
    for (const problem of problems) findings.push(findingAt(object, EXEMPTION, problem));
    const used = new Set<string>();
    for (const rule of rules) {
      for (const violation of rule.check(object, context)) {
        const finding = findingAt(object, rule, violation.message);
        const reason = reasons.get(rule.id);
        if (reason === undefined) {
          findings.push(finding);
        } else {
          exempted.push({ ...finding, reason });
          used.add(rule.id);
        }
      }
    }
    for (const ruleId of reasons.keys()) {
      if (!used.has(ruleId)) {
        findings.push(findingAt(object, EXEMPTION_UNUSED, `${ruleId} is exempted but finds nothing here`));
      }
    }
  }
  for (const doc of options.unreadable ?? []) {
    findings.push({
      ruleId: UNREADABLE.id,
      severity: UNREADABLE.severity,
      file: doc.file,
      ...(doc.line !== undefined ? { line: doc.line } : {}),
      kind: '(unknown)',
      name: `document ${doc.document}`,
      message: doc.message,
      fix: UNREADABLE.fix,
    });
  }
  return {
    rules: [
      ...rules.map(({ id, severity, title, rationale, fix }) => ({ id, severity, title, rationale, fix })),
      ...ENGINE_RULES,
    ],
    objects: objects.length,
    files: options.files ?? new Set(objects.map((object) => object.file)).size,
    findings: findings.sort(byLocation),
    exempted: exempted.sort(byLocation),
  };
}

/** Loads the YAML under the paths, scans it for credentials, and evaluates every rule. */
export function checkPaths(paths: readonly string[], fleet: Fleet): PolicyReport {
  const tree: LoadedTree = loadObjects(paths, new Set(fleet.clusters.map((cluster) => cluster.name)));
  return evaluate(tree.objects, fleet, {
    credentialHits: scanCredentials(tree.files),
    unreadable: tree.unreadable,
    files: tree.files.length,
    chartConfiguration: tree.chartConfiguration,
  });
}

/** Error-level findings decide the exit status. */
export function hasErrors(report: PolicyReport): boolean {
  return report.findings.some((finding) => finding.severity === 'error');
}
