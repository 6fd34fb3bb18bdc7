import type { Finding, PolicyReport, Severity } from './types';

/** Findings and exemptions per rule, for the summary. */
export interface RuleSummary {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly findings: number;
  readonly exempted: number;
}

export function summarize(report: PolicyReport): {
  readonly errors: number;
  readonly warnings: number;
  readonly exempted: number;
  readonly byRule: readonly RuleSummary[];
} {
  const count = (list: readonly Finding[], ruleId: string) => list.filter((f) => f.ruleId === ruleId).length;
  const byRule = report.rules
    .map((rule) => ({
      ruleId: rule.id,
      severity: rule.severity,
      findings: count(report.findings, rule.id),
      exempted: count(report.exempted, rule.id),
    }))
    .filter((row) => row.findings > 0 || row.exempted > 0);
  return {
    errors: report.findings.filter((f) => f.severity === 'error').length,
    warnings: report.findings.filter((f) => f.severity === 'warning').length,
    exempted: report.exempted.length,
    byRule,
  };
}

function subject(finding: Finding): string {
  return `${finding.file}: ${finding.kind}/${finding.name}`;
}

/** `file: Kind/name: RULE-ID: message (fix)` per finding, the exceptions, then a summary per rule and severity. */
export function formatText(report: PolicyReport): string {
  const lines: string[] = [];
  const summary = summarize(report);
  for (const severity of ['error', 'warning'] as const) {
    const findings = report.findings.filter((f) => f.severity === severity);
    if (findings.length === 0) continue;
    lines.push(`${severity === 'error' ? 'Errors' : 'Warnings'} (${findings.length}):`);
    for (const finding of findings) {
      lines.push(`${subject(finding)}: ${finding.ruleId}: ${finding.message} (${finding.fix})`);
      if (finding.constructPath) lines.push(`    rendered by ${finding.constructPath}`);
    }
    lines.push('');
  }
  if (report.exempted.length > 0) {
    lines.push(`Exceptions (${report.exempted.length}):`);
    for (const finding of report.exempted) {
      lines.push(`${subject(finding)}: ${finding.ruleId}: ${finding.message}`);
      lines.push(`    exempt because: ${finding.reason}`);
    }
    lines.push('');
  }
  if (summary.byRule.length > 0) {
    const width = Math.max(...summary.byRule.map((row) => row.ruleId.length));
    lines.push('Per rule:');
    for (const row of summary.byRule) {
      lines.push(
        `  ${row.ruleId.padEnd(width)}  ${row.severity.padEnd(7)}  ${row.findings} finding${row.findings === 1 ? '' : 's'}` +
          (row.exempted > 0 ? `, ${row.exempted} exempted` : ''),
      );
    }
    lines.push('');
  }
  lines.push(
    `policy: ${report.rules.length} rules over ${report.objects} objects in ${report.files} files: ` +
      `${summary.errors} errors, ${summary.warnings} warnings, ${summary.exempted} exempted`,
  );
  return `${lines.join('\n')}\n`;
}

export function formatJson(report: PolicyReport): string {
  const { byRule, ...totals } = summarize(report);
  return `${JSON.stringify(
    {
      summary: { objects: report.objects, files: report.files, ...totals, byRule },
      findings: report.findings,
      exempted: report.exempted,
      rules: report.rules,
    },
    null,
    2,
  )}\n`;
}
