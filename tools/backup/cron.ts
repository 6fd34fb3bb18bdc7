/**
 * The longest wait between two runs of a cron schedule (five fields, UTC): what a recovery point
 * of data copied on that schedule can be at worst. Day of month and month must be `*`: the
 * platform's schedules repeat daily or weekly, and a monthly one would need a calendar.
 */

const WEEK_MINUTES = 7 * 24 * 60;

/** The values a cron field allows, from `*`, `*\/n`, `a-b`, `a-b/n` and lists of them. */
function fieldValues(field: string, min: number, max: number, where: string): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) throw new Error(`${where}: "${part}" is not a cron field this reader understands`);
    const [, , from, to, step] = match;
    const start = from === undefined ? min : Number(from);
    const end = to !== undefined ? Number(to) : from === undefined || step !== undefined ? max : start;
    const by = step === undefined ? 1 : Number(step);
    if (start < min || end > max || by < 1)
      throw new Error(`${where}: "${part}" is out of range ${min}-${max}`);
    for (let v = start; v <= end; v += by) values.add(v);
  }
  return values;
}

/** The longest gap between two consecutive runs of `cron`, in seconds. */
export function longestGapSeconds(cron: string, where = 'cron'): number {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`${where}: "${cron}" must have five fields`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  if (dayOfMonth !== '*' || month !== '*') {
    throw new Error(`${where}: "${cron}": only schedules with day of month and month "*" are read`);
  }
  const minutes = fieldValues(minute, 0, 59, where);
  const hours = fieldValues(hour, 0, 23, where);
  const days = fieldValues(dayOfWeek.replace(/\b7\b/g, '0'), 0, 6, where);
  const runs: number[] = [];
  for (let t = 0; t < WEEK_MINUTES; t++) {
    const day = Math.floor(t / 1440);
    if (days.has(day) && hours.has(Math.floor(t / 60) % 24) && minutes.has(t % 60)) runs.push(t);
  }
  if (runs.length === 0) throw new Error(`${where}: "${cron}" never runs`);
  let longest = runs[0] + WEEK_MINUTES - runs[runs.length - 1];
  for (let i = 1; i < runs.length; i++) longest = Math.max(longest, runs[i] - runs[i - 1]);
  return longest * 60;
}

/** Seconds as a person says them: `15 min`, `6 h`, `1 day 2 h`. */
export function humanDuration(seconds: number): string {
  if (seconds === 0) return '0';
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const parts = [
    days ? `${days} day${days > 1 ? 's' : ''}` : '',
    hours ? `${hours} h` : '',
    minutes ? `${minutes} min` : '',
  ];
  return parts.filter(Boolean).join(' ') || `${seconds} s`;
}

/** Day fields of an Elasticsearch cron that mean "every day": `*` or `?` (no value). */
const ANY_DAY = new Set(['*', '?']);

/**
 * The longest gap of an Elasticsearch (Quartz-style) cron schedule, as SLM takes them: seconds,
 * minutes, hours, day of month, month, day of week and an optional year, UTC. Read when it repeats
 * daily (both day fields `*` or `?`, month and year `*`) and starts on one second of the minute;
 * anything else is refused by name.
 */
export function elasticsearchCronGapSeconds(cron: string, where = 'SLM schedule'): number {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 6 && fields.length !== 7)
    throw new Error(`${where}: "${cron}" must have six or seven fields (seconds first)`);
  const [second, minute, hour, dayOfMonth, month, dayOfWeek, year = '*'] = fields;
  if (!/^\d{1,2}$/.test(second) || Number(second) > 59)
    throw new Error(`${where}: "${cron}": only schedules on one second of the minute are read`);
  if (!ANY_DAY.has(dayOfMonth) || !ANY_DAY.has(dayOfWeek) || month !== '*' || year !== '*') {
    throw new Error(
      `${where}: "${cron}": only daily schedules are read (day of month and day of week "*" or "?", month and year "*")`,
    );
  }
  return longestGapSeconds(`${minute} ${hour} * * *`, where);
}
