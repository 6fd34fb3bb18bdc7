/**
 * A drill's report: one line per measure, some with an expectation that fails the drill (exit 1),
 * as text for people or JSON for machines.
 */
import { textTable } from '../table/table';

/** What a measure must satisfy; `ok` is computed from the measure, never given. */
export interface Expectation {
  /** How a reader sees the limit: "≤ 5 s", "= 0". */
  readonly description: string;
  readonly ok: boolean;
}

export interface Measure {
  readonly name: string;
  /** null when the thing measured never happened within the drill's wait (e.g. an alert that never fired). */
  readonly value: number | string | null;
  readonly unit?: string;
  readonly expectation?: Expectation;
}

export interface DrillReport {
  readonly scenario: string;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly machine: { readonly cores: number; readonly loadAverage: readonly number[] };
  readonly measures: readonly Measure[];
  /** What a reader must know to read the figures (timings used, what was cut). */
  readonly notes: readonly string[];
  readonly ok: boolean;
}

/** A measure that must be at most `limit` (and must have happened). */
export function atMost(name: string, value: number | null, limit: number, unit: string): Measure {
  return {
    name,
    value: value === null ? null : round(value),
    unit,
    expectation: { description: `≤ ${round(limit)} ${unit}`, ok: value !== null && value <= limit },
  };
}

/** A measure that must equal `expected`. */
export function exactly(name: string, value: number | null, expected: number, unit = ''): Measure {
  return {
    name,
    value,
    unit: unit || undefined,
    expectation: { description: `= ${expected}${unit ? ` ${unit}` : ''}`, ok: value === expected },
  };
}

/** A measure that must be at least `limit`. */
export function atLeast(name: string, value: number | null, limit: number, unit = ''): Measure {
  return {
    name,
    value: value === null ? null : round(value),
    unit: unit || undefined,
    expectation: {
      description: `≥ ${round(limit)}${unit ? ` ${unit}` : ''}`,
      ok: value !== null && value >= limit,
    },
  };
}

/** A measure reported without an expectation. */
export function observed(name: string, value: number | string | null, unit?: string): Measure {
  return { name, value: typeof value === 'number' ? round(value) : value, unit };
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}

export function buildReport(fields: Omit<DrillReport, 'ok'>): DrillReport {
  return { ...fields, ok: fields.measures.every((m) => m.expectation === undefined || m.expectation.ok) };
}

export function formatText(report: DrillReport): string {
  const rows = report.measures.map((m) => [
    m.expectation ? (m.expectation.ok ? 'ok' : 'FAIL') : '',
    m.name,
    m.value === null ? 'never' : `${m.value}${m.unit ? ` ${m.unit}` : ''}`,
    m.expectation?.description ?? '',
  ]);
  return [
    `drill ${report.scenario}: ${report.ok ? 'passed' : 'FAILED'} (${round(report.durationSeconds)} s, ${report.machine.cores} cores, load average ${report.machine.loadAverage.map((l) => l.toFixed(1)).join(' ')})`,
    ...textTable(
      [{ header: '' }, { header: 'measure' }, { header: 'value', align: 'right' }, { header: 'expected' }],
      rows,
    ),
    ...report.notes.map((note) => `note: ${note}`),
    '',
  ].join('\n');
}

export function formatJson(report: DrillReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
