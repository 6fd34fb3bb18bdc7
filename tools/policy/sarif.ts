/**
 * SARIF 2.1.0 for GitHub code scanning: one run, the rules as the tool's
 * reportingDescriptors, each finding a result located at its file (and the
 * line its document starts). Exempted findings are results too, carrying an
 * in-source suppression with the reason, so code scanning shows them as
 * suppressed rather than forgetting them.
 */
import { EXEMPT_ANNOTATION } from './exemptions';
import type { Finding, PolicyReport, RuleInfo, Severity } from './types';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const TOOL_NAME = 'ml-platform-policy';
/** The policy's README, relative to the repository root; each rule has an anchor there named after its id. */
export const POLICY_README = 'tools/policy/README.md';

const level = (severity: Severity) => (severity === 'error' ? 'error' : 'warning');

/** The README anchor of a rule: its id in lower case (`PSS-PRIVILEGED` → `pss-privileged`). */
export function ruleAnchor(ruleId: string): string {
  return ruleId.toLowerCase();
}

/**
 * Where the repository's files are browsed, e.g. `https://github.com/org/repo/blob/main/`: from
 * the fleet's Git repository and revision (the ones Argo CD syncs), so helpUri is the absolute
 * URI SARIF asks for.
 */
export function browseBase(repoUrl: string, revision: string): string {
  return `${repoUrl.replace(/\.git$/, '').replace(/\/$/, '')}/blob/${revision}/`;
}

/** SARIF reportingDescriptor of a rule: title, rationale, fix and a link to its row in the README. */
function descriptor(rule: RuleInfo, base: string | undefined) {
  const helpUri = base ? `${base}${POLICY_README}#${ruleAnchor(rule.id)}` : undefined;
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: {
      text: `${rule.title}\n\nWhy: ${rule.rationale}\n\nFix: ${rule.fix}\n\nException: ${EXEMPT_ANNOTATION}: "${rule.id}=reason" on the object.`,
      markdown:
        `**${rule.title}**\n\n**Why:** ${rule.rationale}\n\n**Fix:** ${rule.fix}\n\n` +
        `**Exception:** \`${EXEMPT_ANNOTATION}: "${rule.id}=reason"\` on the object the finding is about` +
        (helpUri ? ` ([${rule.id} in the policy README](${helpUri})).` : '.'),
    },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: level(rule.severity) },
  };
}

export interface SarifOptions {
  /** Where repository files are browsed (browseBase); without it rules carry no helpUri. */
  readonly browseBase?: string;
}

export function toSarif(report: PolicyReport, options: SarifOptions = {}): object {
  const ruleIndex = new Map(report.rules.map((rule, i) => [rule.id, i]));
  const result = (finding: Finding) => ({
    ruleId: finding.ruleId,
    ruleIndex: ruleIndex.get(finding.ruleId) ?? -1,
    level: level(finding.severity),
    message: { text: `${finding.kind}/${finding.name}: ${finding.message} (${finding.fix})` },
    locations: [
      {
        physicalLocation: {
          // Forward slashes and paths relative to the repository, as code scanning expects.
          artifactLocation: { uri: finding.file.split('\\').join('/') },
          region: { startLine: finding.line ?? 1 },
        },
        logicalLocations: [
          {
            name: finding.name,
            fullyQualifiedName: [finding.cluster, finding.namespace, finding.kind, finding.name]
              .filter(Boolean)
              .join('/'),
            kind: 'resource',
          },
        ],
      },
    ],
    ...(finding.constructPath ? { properties: { constructPath: finding.constructPath } } : {}),
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            ...(options.browseBase ? { informationUri: `${options.browseBase}${POLICY_README}` } : {}),
            rules: report.rules.map((rule) => descriptor(rule, options.browseBase)),
          },
        },
        results: [
          ...report.findings.map(result),
          ...report.exempted.map((finding) => ({
            ...result(finding),
            suppressions: [{ kind: 'inSource', status: 'accepted', justification: finding.reason }],
          })),
        ],
      },
    ],
  };
}

export function formatSarif(report: PolicyReport, options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(report, options), null, 2)}\n`;
}
