/**
 * AlertmanagerConfig objects (monitoring.coreos.com/v1alpha1) of several clusters as one
 * alertmanager.yml, converted the way prometheus-operator converts the configuration an
 * Alertmanager names in `alertmanagerConfiguration`: camelCase fields to Alertmanager's
 * snake_case, matchers to matcher strings, receivers named `<namespace>/<name>/<receiver>`.
 *
 * Two things differ, both because one drill Alertmanager serves every cluster while each real
 * cluster has its own:
 * - each cluster's route becomes a child of a top route, selected by the `cluster` external label
 *   its Prometheus attaches (the fleet's Prometheus sets the same label), receivers prefixed
 *   with the cluster, and each inhibition rule gets `cluster="…"` on both sides, so one cluster's
 *   alerts never inhibit another's;
 * - every receiver's integrations (Slack, e-mail: no network here) are replaced by one webhook to
 *   the drill's recorder, keeping `send_resolved`; a receiver without integrations (the "null"
 *   receiver) stays without, so it drops what it gets exactly as in the fleet.
 * Routing (matchers, grouping, timings, continue, nesting) and inhibition are converted unchanged.
 */
import { ConversionError } from './prometheus-rules';

type Json = Record<string, unknown>;

/** One cluster's AlertmanagerConfig, and where it was read (for errors). */
export interface ClusterAlertmanagerConfig {
  readonly cluster: string;
  readonly object: unknown;
  readonly where: string;
}

export interface AlertmanagerRoute {
  receiver?: string;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  matchers?: string[];
  continue?: boolean;
  mute_time_intervals?: string[];
  active_time_intervals?: string[];
  routes?: AlertmanagerRoute[];
}

export interface AlertmanagerYaml {
  route: AlertmanagerRoute;
  receivers: Array<{ name: string; webhook_configs?: Array<{ url: string; send_resolved: boolean }> }>;
  inhibit_rules: Array<{ source_matchers: string[]; target_matchers: string[]; equal?: string[] }>;
}

/** The receiver that gets what matches no cluster (nothing should: the drill reports it). */
export const UNROUTED_RECEIVER = 'drill-unrouted';

const ROUTE_FIELDS: Record<string, keyof AlertmanagerRoute> = {
  receiver: 'receiver',
  groupBy: 'group_by',
  groupWait: 'group_wait',
  groupInterval: 'group_interval',
  repeatInterval: 'repeat_interval',
  matchers: 'matchers',
  continue: 'continue',
  muteTimeIntervals: 'mute_time_intervals',
  activeTimeIntervals: 'active_time_intervals',
  routes: 'routes',
};

const MATCH_TYPES = new Set(['=', '!=', '=~', '!~']);

/**
 * The alertmanager.yml for the given clusters; `webhookUrl(cluster, receiver)` is where the
 * recorder listens for that receiver's notifications.
 */
export function alertmanagerConfigToYaml(
  configs: readonly ClusterAlertmanagerConfig[],
  webhookUrl: (cluster: string, receiver: string) => string,
): AlertmanagerYaml {
  const out: AlertmanagerYaml = {
    route: { receiver: UNROUTED_RECEIVER, routes: [] },
    receivers: [
      {
        name: UNROUTED_RECEIVER,
        webhook_configs: [{ url: webhookUrl('', UNROUTED_RECEIVER), send_resolved: true }],
      },
    ],
    inhibit_rules: [],
  };
  for (const { cluster, object, where } of configs) {
    const config = asObject(object, where);
    if (config.kind !== 'AlertmanagerConfig') {
      throw new ConversionError(`${where}: kind is ${String(config.kind)}, expected AlertmanagerConfig`);
    }
    const metadata = asObject(config.metadata, `${where}: metadata`);
    const prefix = `${cluster}/${asString(metadata.namespace, `${where}: metadata.namespace`)}/${asString(metadata.name, `${where}: metadata.name`)}/`;
    const spec = asObject(config.spec, `${where}: spec`);
    for (const key of Object.keys(spec)) {
      if (!['route', 'receivers', 'inhibitRules'].includes(key)) {
        throw new ConversionError(`${where}: spec.${key} is not supported by the drill's conversion`);
      }
    }
    const receivers = asList(spec.receivers ?? [], `${where}: spec.receivers`).map((value, i) =>
      convertReceiver(value, `${where}: spec.receivers[${i}]`, prefix, cluster, webhookUrl),
    );
    const names = new Set(receivers.map((receiver) => receiver.name));
    const route = convertRoute(spec.route, `${where}: spec.route`, prefix, names);
    if (!route.receiver) throw new ConversionError(`${where}: spec.route.receiver is required`);
    route.matchers = [matcher('cluster', '=', cluster), ...(route.matchers ?? [])];
    out.route.routes?.push(route);
    out.receivers.push(...receivers);
    asList(spec.inhibitRules ?? [], `${where}: spec.inhibitRules`).forEach((value, i) => {
      out.inhibit_rules.push(convertInhibitRule(value, `${where}: spec.inhibitRules[${i}]`, cluster));
    });
  }
  return out;
}

function convertRoute(
  value: unknown,
  where: string,
  prefix: string,
  receivers: Set<string>,
): AlertmanagerRoute {
  const route = asObject(value, where);
  const out: AlertmanagerRoute = {};
  for (const [key, field] of Object.entries(route)) {
    const target = ROUTE_FIELDS[key];
    if (!target) throw new ConversionError(`${where}: unknown field ${key}`);
    const at = `${where}.${key}`;
    switch (key) {
      case 'receiver': {
        const name = prefix + asString(field, at);
        if (!receivers.has(name)) throw new ConversionError(`${at}: no receiver named ${String(field)}`);
        out.receiver = name;
        break;
      }
      case 'matchers':
        out.matchers = asList(field, at).map((m, i) => convertMatcher(m, `${at}[${i}]`));
        break;
      case 'continue':
        if (typeof field !== 'boolean') throw new ConversionError(`${at}: expected true or false`);
        out.continue = field;
        break;
      case 'routes':
        out.routes = asList(field, at).map((child, i) =>
          convertRoute(child, `${at}[${i}]`, prefix, receivers),
        );
        break;
      case 'groupBy':
      case 'muteTimeIntervals':
      case 'activeTimeIntervals':
        (out as Json)[target] = asList(field, at).map((item, i) => asString(item, `${at}[${i}]`));
        break;
      default:
        (out as Json)[target] = asString(field, at);
    }
  }
  return out;
}

function convertReceiver(
  value: unknown,
  where: string,
  prefix: string,
  cluster: string,
  webhookUrl: (cluster: string, receiver: string) => string,
): AlertmanagerYaml['receivers'][number] {
  const receiver = asObject(value, where);
  const name = asString(receiver.name, `${where}.name`);
  const integrations = Object.entries(receiver).filter(([key]) => key !== 'name');
  for (const [key, list] of integrations) {
    if (!key.endsWith('Configs')) throw new ConversionError(`${where}: unknown field ${key}`);
    asList(list, `${where}.${key}`);
  }
  const configs = integrations.flatMap(([key, list]) =>
    (list as unknown[]).map((item, i) => asObject(item, `${where}.${key}[${i}]`)),
  );
  if (configs.length === 0) return { name: prefix + name };
  // Alertmanager's default for send_resolved is true for webhooks, false for e-mail; the
  // recorder resolves when any of the receiver's integrations would.
  const sendResolved = configs.some((config) => config.sendResolved === true);
  return {
    name: prefix + name,
    webhook_configs: [{ url: webhookUrl(cluster, name), send_resolved: sendResolved }],
  };
}

function convertInhibitRule(value: unknown, where: string, cluster: string) {
  const rule = asObject(value, where);
  for (const key of Object.keys(rule)) {
    if (!['sourceMatch', 'targetMatch', 'equal'].includes(key)) {
      throw new ConversionError(`${where}: unknown field ${key}`);
    }
  }
  const side = (key: string) => [
    matcher('cluster', '=', cluster),
    ...asList(rule[key] ?? [], `${where}.${key}`).map((m, i) => convertMatcher(m, `${where}.${key}[${i}]`)),
  ];
  const out: AlertmanagerYaml['inhibit_rules'][number] = {
    source_matchers: side('sourceMatch'),
    target_matchers: side('targetMatch'),
  };
  if (rule.equal !== undefined) {
    out.equal = asList(rule.equal, `${where}.equal`).map((l, i) => asString(l, `${where}.equal[${i}]`));
  }
  return out;
}

function convertMatcher(value: unknown, where: string): string {
  const m = asObject(value, where);
  const name = asString(m.name, `${where}.name`);
  const text = asString(m.value ?? '', `${where}.value`);
  // v1alpha1 still accepts the deprecated `regex: true` for `=~`.
  const type =
    m.matchType === undefined ? (m.regex === true ? '=~' : '=') : asString(m.matchType, `${where}.matchType`);
  if (!MATCH_TYPES.has(type))
    throw new ConversionError(`${where}.matchType: ${type} is not one of = != =~ !~`);
  return matcher(name, type, text);
}

/** `name="value"`: the value quoted with Alertmanager's escapes (\\, \" and \n, as JSON writes them). */
function matcher(name: string, type: string, value: string): string {
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name))
    throw new ConversionError(`matcher label name ${name} is not a label name`);
  return `${name}${type}${JSON.stringify(value)}`;
}

function asObject(value: unknown, where: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConversionError(`${where}: expected an object`);
  }
  return value as Json;
}

function asList(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new ConversionError(`${where}: expected a list`);
  return value;
}

function asString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new ConversionError(`${where}: expected a string`);
  return value;
}
