import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.ts';
import { parseTime, timeOrBeginning } from '../../../src/cli/time-option.ts';
import { UsageError } from '../../../src/cli/usage-error.ts';
import { captureIo } from './capture-io.ts';

const now = new Date('2026-11-29T12:00:00.000Z');
const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** `date` written as ISO 8601 in the zone `offsetMinutes` east of UTC. */
function inZone(date: Date, offsetMinutes: number): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const zone =
    offsetMinutes === 0
      ? 'Z'
      : `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  return `${local.toISOString().slice(0, 23)}${zone}`;
}

describe('time options', () => {
  it('read any ISO 8601 time with a zone as the same instant, whatever the zone', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (date, offset) => {
          expect(parseTime(inZone(date, offset), now)?.getTime()).toBe(date.getTime());
        },
      ),
    );
  });

  it('refuse a time without a zone, which would depend on the machine it runs on', () => {
    expect(parseTime('2026-11-29T10:00:00', now)).toBeUndefined();
    expect(parseTime('2026-11-29', now)).toBeUndefined();
  });

  it('refuse what is not a time at all, and impossible dates', () => {
    for (const text of [
      'not-a-date',
      '1',
      'Mon, 01 Jan 2001 00:00:00 GMT',
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2h',
      '-2y',
      '',
    ]) {
      expect({ text, time: parseTime(text, now) }).toEqual({ text, time: undefined });
    }
  });

  it('read a time ago relative to now', () => {
    expect(parseTime('-2h', now)?.toISOString()).toBe('2026-11-29T10:00:00.000Z');
    expect(parseTime('-90s', now)?.toISOString()).toBe('2026-11-29T11:58:30.000Z');
    expect(parseTime('-7d', now)?.toISOString()).toBe('2026-11-22T12:00:00.000Z');
  });

  it('make anything else a usage error that lists the accepted forms', () => {
    expect(timeOrBeginning('to', 'beginning', 'x')).toBe('beginning');
    expect(() => timeOrBeginning('to', '2026-11-29T10:00:00', 'x')).toThrow(UsageError);
    expect(() => timeOrBeginning('to', 'yesterday', 'x')).toThrow(
      /--to "yesterday" is not a time: use "beginning", an ISO 8601 time with a zone/,
    );
  });

  it('the CLI refuses a zoneless --to and --from with exit code 2 before connecting to anything', async () => {
    for (const argv of [
      ['checkpoints', 'rewind', '--processor', 'p', '--to', '2026-11-29T10:00:00'],
      ['replay', 'p', '--from', 'not-a-date'],
    ]) {
      const { io, out } = captureIo({ COSMOS_ENDPOINT: 'http://127.0.0.1:1' });
      expect(await runCli(argv, io)).toBe(2);
      expect(out.stderr).toContain('is not a time');
    }
  });
});

describe('a time ago on the command line', () => {
  it('is taken as the value of the option before it (--from -2h), not as an unknown option', async () => {
    const { io, out } = captureIo({ COSMOS_ENDPOINT: 'http://127.0.0.1:1' });
    // The time parses, so the command goes on to load the app and fails there, on the missing module.
    const code = await runCli(['replay', 'p', '--from', '-2h', '--app', './nowhere.js'], io);
    expect(out.stderr).not.toContain('ambiguous');
    expect(code).toBe(2);
    expect(out.stderr).toContain('does not exist');
  });
});
