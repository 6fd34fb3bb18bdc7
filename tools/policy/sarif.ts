/**
 * SARIF 2.1.0 for GitHub code scanning: one run, the rules as the tool's
 * reportingDescriptors, each finding a result located at its file (and the
 * line its document starts). Exempted findings are results too, carrying an
 * in-source suppression with the reason, so code scanning shows them as
 * suppressed rather than forgetting them.
 */
import type { Finding, PolicyReport, Severity } from './types';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const TOOL_NAME = 'ml-platform-policy';

const level = (severity: Severity) => (severity === 'error' ? 'error' : 'warning');

export function toSarif(report: PolicyReport): object {
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
            rules: report.rules.map((rule) => ({
              id: rule.id,
              name: rule.id,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.rationale },
              help: { text: rule.fix },
              defaultConfiguration: { level: level(rule.severity) },
            })),
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

export function formatSarif(report: PolicyReport): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}
