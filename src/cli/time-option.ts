import { UsageError } from './usage-error.ts';

/** A position in time a command starts from: a moment, or the beginning of the feed. */
export type TimeOrBeginning = Date | 'beginning';

const isoWithZone = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/;
const relative = /^-(\d{1,6})(ms|s|m|h|d)$/;
const unitMs: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The forms a time option accepts, for messages and help texts. */
export const acceptedTimes =
  'an ISO 8601 time with a zone (2026-01-31T12:00:00Z or 2026-01-31T13:00:00+01:00), a time ago (-90s, -15m, -2h, -7d)';

/**
 * Reads a time the user typed, never guessing: ISO 8601 with seconds optional and a `Z` or `±hh:mm` offset (a time
 * without a zone is refused: it would depend on the machine's time zone), or a relative time ago (`-2h`) from `now`.
 * Returns undefined for anything else, including impossible dates (2026-02-30T…).
 */
export function parseTime(text: string, now: Date): Date | undefined {
  const ago = relative.exec(text);
  if (ago) return new Date(now.getTime() - Number(ago[1]) * (unitMs[ago[2]!] ?? 0));
  const match = isoWithZone.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '0', fraction = '0', zone, zoneHours = '0', zoneMinutes = '0'] =
    match;
  const fields = [Number(month), Number(day), Number(hour), Number(minute), Number(second)];
  const [mo, d, h, mi, s] = fields as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59 || Number(zoneHours) > 23 || Number(zoneMinutes) > 59) {
    return undefined;
  }
  const utc = Date.UTC(Number(year), mo - 1, d, h, mi, s, Math.floor(Number(`0.${fraction}`) * 1000));
  const check = new Date(utc);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return undefined;
  const offsetMinutes =
    zone === 'Z' ? 0 : (zone!.startsWith('-') ? -1 : 1) * (Number(zoneHours) * 60 + Number(zoneMinutes));
  return new Date(utc - offsetMinutes * 60_000);
}

/**
 * A time option that also takes `beginning`: parsed with `parseTime`, or a `UsageError` (exit code 2) that shows the
 * accepted forms.
 */
export function timeOrBeginning(option: string, text: string, commandPath: string, now = new Date()): TimeOrBeginning {
  if (text === 'beginning') return 'beginning';
  const time = parseTime(text, now);
  if (time === undefined) {
    throw new UsageError(
      `--${option} ${JSON.stringify(text)} is not a time: use "beginning", ${acceptedTimes}.`,
      commandPath,
    );
  }
  return time;
}

/** How a chosen start is echoed before acting on it: always in UTC. */
export function describeStart(position: TimeOrBeginning): string {
  return position === 'beginning' ? 'the beginning' : `${position.toISOString()} (UTC)`;
}
