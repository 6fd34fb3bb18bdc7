/**
 * A PrometheusRule object (monitoring.coreos.com/v1) as the rules file Prometheus loads, converted
 * the way prometheus-operator does it: `spec.groups` become the file's `groups`, each field renamed
 * to Prometheus' snake_case, nothing else added or changed. Expressions, `for` durations, labels
 * and annotations pass through untouched, so the drill evaluates exactly what dist/ deploys.
 */

/** The rules file Prometheus reads (`rule_files`). */
export interface RulesFile {
  groups: RuleGroup[];
}

export interface RuleGroup {
  name: string;
  interval?: string;
  query_offset?: string;
  limit?: number;
  rules: Rule[];
}

export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Bad input, naming the object (`where`) and the field that is wrong. */
export class ConversionError extends Error {
  override name = 'ConversionError';
}

type Json = Record<string, unknown>;

const GROUP_FIELDS: Record<string, keyof RuleGroup | null> = {
  name: 'name',
  interval: 'interval',
  queryOffset: 'query_offset',
  limit: 'limit',
  rules: 'rules',
  // Thanos Ruler only; prometheus-operator leaves it out of Prometheus' files.
  partial_response_strategy: null,
};

const RULE_FIELDS: Record<string, keyof Rule> = {
  alert: 'alert',
  record: 'record',
  expr: 'expr',
  for: 'for',
  keepFiringFor: 'keep_firing_for',
  labels: 'labels',
  annotations: 'annotations',
};

/** Converts one PrometheusRule; `where` names it in errors (its file in dist/). */
export function prometheusRuleToRulesFile(object: unknown, where: string): RulesFile {
  const rule = asObject(object, where);
  if (rule.kind !== 'PrometheusRule') {
    throw new ConversionError(`${where}: kind is ${String(rule.kind)}, expected PrometheusRule`);
  }
  const spec = asObject(rule.spec, `${where}: spec`);
  if (!Array.isArray(spec.groups)) throw new ConversionError(`${where}: spec.groups must be a list`);
  return { groups: spec.groups.map((group, i) => convertGroup(group, `${where}: spec.groups[${i}]`)) };
}

function convertGroup(value: unknown, where: string): RuleGroup {
  const group = asObject(value, where);
  const out: Json = {};
  for (const [key, field] of Object.entries(group)) {
    if (!(key in GROUP_FIELDS)) throw new ConversionError(`${where}: unknown field ${key}`);
    const target = GROUP_FIELDS[key];
    if (target === null || target === 'rules') continue;
    out[target] = key === 'limit' ? asNumber(field, `${where}.${key}`) : asString(field, `${where}.${key}`);
  }
  if (typeof out.name !== 'string' || out.name === '')
    throw new ConversionError(`${where}: name is required`);
  if (!Array.isArray(group.rules)) throw new ConversionError(`${where}: rules must be a list`);
  out.rules = group.rules.map((rule, i) => convertRule(rule, `${where}.rules[${i}]`));
  return out as unknown as RuleGroup;
}

function convertRule(value: unknown, where: string): Rule {
  const rule = asObject(value, where);
  const out: Json = {};
  for (const [key, field] of Object.entries(rule)) {
    const target = RULE_FIELDS[key];
    if (!target) throw new ConversionError(`${where}: unknown field ${key}`);
    if (key === 'labels' || key === 'annotations') out[target] = asStringMap(field, `${where}.${key}`);
    // An expression may be written as a number (`expr: 1`); Prometheus reads it as a string.
    else if (key === 'expr' && typeof field === 'number') out[target] = String(field);
    else out[target] = asString(field, `${where}.${key}`);
  }
  if ((out.alert === undefined) === (out.record === undefined)) {
    throw new ConversionError(`${where}: exactly one of alert and record is required`);
  }
  if (typeof out.expr !== 'string' || out.expr.trim() === '') {
    throw new ConversionError(`${where}: expr is required`);
  }
  if (out.record !== undefined && (out.for !== undefined || out.annotations !== undefined)) {
    throw new ConversionError(`${where}: a recording rule takes no for or annotations`);
  }
  return out as unknown as Rule;
}

function asObject(value: unknown, where: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConversionError(`${where}: expected an object`);
  }
  return value as Json;
}

function asString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new ConversionError(`${where}: expected a string`);
  return value;
}

function asNumber(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ConversionError(`${where}: expected a non-negative integer`);
  }
  return value;
}

function asStringMap(value: unknown, where: string): Record<string, string> {
  const map = asObject(value, where);
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, asString(v, `${where}.${k}`)]));
}
