import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCodec, InvalidEvent } from '../../../src/codec/index.ts';
import { accessOf } from '../../../src/store/access.ts';
import { type AppendSettings, prepareAppend } from '../../../src/store/append.ts';
import { emptyCommandWindow, lookupCommand } from '../../../src/store/commands.ts';
import { AccessStrategy, AppendTooLarge, EventTooLarge } from '../../../src/store/index.ts';
import { timelineUnfold } from '../../../src/store/span.ts';

const codec = defineCodec({ Noted: z.object({ text: z.string() }), State: z.object({ count: z.number() }) });
type Event = ReturnType<typeof codec.decode> & {};
const settings: AppendSettings = {
  tipLimits: { maxEvents: 10, maxJsonLength: 30_000 },
  writeLimits: { maxEventBytes: 1_000, maxRequestBytes: 5_000 },
  compressUnfolds: true,
  maxCommandIds: 2,
  maxExpiredCommandIds: 4,
};
const empty = { version: 0n, tip: undefined, commands: emptyCommandWindow };
const noted = (text: string): Event => ({ type: 'Noted', data: { text } });

describe('preparing an append', () => {
  it('numbers events from the current version and stores unfolds at the new version', () => {
    const current = { version: 3n, tip: { i: 0, n: 3, e: [] }, commands: emptyCommandWindow };
    const prepared = prepareAppend(
      'Log-1',
      current,
      { events: [noted('a'), noted('b')], unfolds: [{ type: 'State', data: { count: 5 } }], result: undefined },
      codec,
      { correlationId: 'c', meta: { by: 'me' } },
      settings,
    );
    expect(prepared.version).toBe(5n);
    expect(prepared.plan.tip.n).toBe(5);
    expect(prepared.plan.tip.e[0]).toMatchObject({ c: 'Noted', d: { text: 'a' }, correlationId: 'c', m: { by: 'me' } });
    expect(prepared.plan.tip.u).toEqual([expect.objectContaining({ i: 5, c: 'State', d: { count: 5 } })]);
  });

  it('remembers the command id with the version and result, keeping only the most recent ones', () => {
    const current = {
      ...empty,
      commands: {
        recent: [
          { id: 'x', v: 0 },
          { id: 'y', v: 0 },
        ],
        expired: '',
      },
    };
    const prepared = prepareAppend(
      'Log-1',
      current,
      { events: [noted('a')], unfolds: [], result: 42 },
      codec,
      { commandId: 'z' },
      settings,
    );
    expect(prepared.commands.recent).toEqual([
      { id: 'y', v: 0 },
      { id: 'z', v: 1, r: 42 },
    ]);
    expect(lookupCommand(prepared.commands, 'x')).toEqual({ kind: 'expired' });
    expect(prepared.plan.tip.u.map((u) => u.c)).toEqual(['$commands']);
  });

  it('names the version of an event that breaks its schema', () => {
    const bad = { type: 'Noted', data: { text: 1 } } as unknown as Event;
    const attempt = () =>
      prepareAppend('Log-1', empty, { events: [noted('a'), bad], unfolds: [], result: undefined }, codec, {}, settings);
    expect(attempt).toThrow(InvalidEvent);
    expect(attempt).toThrow(/version 1 of stream Log-1/);
  });

  it('rejects an event over the event limit and an append over the request limit', () => {
    const big = noted('x'.repeat(2_000));
    expect(() =>
      prepareAppend('Log-1', empty, { events: [big], unfolds: [], result: undefined }, codec, {}, settings),
    ).toThrow(EventTooLarge);
    const many = Array.from({ length: 8 }, () => noted('y'.repeat(900)));
    expect(() =>
      prepareAppend('Log-1', empty, { events: many, unfolds: [], result: undefined }, codec, {}, settings),
    ).toThrow(AppendTooLarge);
  });
});

describe('unfold bodies', () => {
  it('deflates a string-valued unfold even with compression off, as Equinox reads every string body as deflated', () => {
    const labels = defineCodec({ Label: z.string() });
    for (const compressUnfolds of [true, false]) {
      const prepared = prepareAppend(
        'Tag-1',
        empty,
        { events: [], unfolds: [{ type: 'Label', data: 'vip' }], result: undefined },
        labels,
        {},
        { ...settings, compressUnfolds },
      );
      const [unfold] = prepared.plan.tip.u;
      expect(unfold?.D).toBe(1);
      expect(timelineUnfold(unfold!).data).toBe('vip');
    }
  });
});

describe('access strategies', () => {
  const state = { count: 2 };
  const snapshot: Event = { type: 'State', data: state };
  const decided = [noted('a'), noted('b')];

  it('decide what is stored and what is kept as unfolds', () => {
    expect(accessOf(AccessStrategy.Unoptimized<Event, typeof state>()).transmute(decided, state)).toEqual({
      events: decided,
      unfolds: [],
    });
    expect(accessOf(AccessStrategy.LatestKnownEvent<Event, typeof state>()).transmute(decided, state).unfolds).toEqual([
      noted('b'),
    ]);
    const snap = AccessStrategy.Snapshot<Event, typeof state>(
      (e) => e.type === 'State',
      (s) => ({ type: 'State', data: s }),
    );
    expect(accessOf(snap).transmute(decided, state)).toEqual({ events: decided, unfolds: [snapshot] });
    const rolling = AccessStrategy.RollingState<Event, typeof state>((s) => ({ type: 'State', data: s }));
    expect(accessOf(rolling).transmute(decided, state)).toEqual({ events: [], unfolds: [snapshot] });
  });

  it('know which events are origins', () => {
    expect(accessOf(AccessStrategy.Unoptimized<Event, unknown>()).isOrigin(snapshot)).toBe(false);
    expect(accessOf(AccessStrategy.LatestKnownEvent<Event, unknown>()).isOrigin(noted('a'))).toBe(true);
  });
});
