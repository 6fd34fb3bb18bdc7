/** Whether a chart's values turn on a ServiceMonitor or PodMonitor of its own, anywhere in them. */
export function chartScrapesItself(values: unknown): boolean {
  if (values === null || typeof values !== 'object') return false;
  return Object.entries(values).some(
    ([key, value]) =>
      ((key === 'serviceMonitor' || key === 'podMonitor') &&
        (value as { enabled?: unknown } | null)?.enabled === true) ||
      chartScrapesItself(value),
  );
}
