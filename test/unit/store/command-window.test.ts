import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CommandWindow,
  commandFingerprint,
  commandsUnfoldData,
  emptyCommandWindow,
  lookupCommand,
  readCommands,
  rememberCommand,
} from '../../../src/store/commands.ts';

const limits = { maxCommandIds: 3, maxExpiredCommandIds: 5 };

function applyAll(ids: readonly string[], windowLimits = limits): CommandWindow {
  let window = emptyCommandWindow;
  ids.forEach((id, at) => {
    window = rememberCommand(window, { id, v: at + 1, f: commandFingerprint('Deposit', { id }) }, windowLimits);
  });
  return window;
}

describe('the command window', () => {
  it('answers a repeat of any of the most recent commands with its record, and their fingerprints match', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 20 }), (ids) => {
        const window = applyAll(ids);
        ids.slice(-limits.maxCommandIds).forEach((id) => {
          const found = lookupCommand(window, id, commandFingerprint('Deposit', { id }));
          expect(found).toMatchObject({ kind: 'repeat', record: { id, v: ids.indexOf(id) + 1 } });
        });
      }),
    );
  });

  it('recognises ids that dropped out of the window as expired, as far back as the digests reach', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 20 }), (ids) => {
        const window = applyAll(ids);
        const dropped = ids.slice(0, Math.max(0, ids.length - limits.maxCommandIds));
        dropped.slice(-limits.maxExpiredCommandIds).forEach((id) => {
          expect(lookupCommand(window, id).kind).toBe('expired');
        });
        expect(window.recent.length).toBeLessThanOrEqual(limits.maxCommandIds);
        expect(Buffer.from(window.expired, 'base64').length).toBeLessThanOrEqual(6 * limits.maxExpiredCommandIds);
      }),
    );
  });

  it('treats an id never applied as new', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 20 }),
        (ids) => {
          const [fresh, ...applied] = ids;
          expect(lookupCommand(applyAll(applied), fresh as string).kind).toBe('new');
        },
      ),
    );
  });

  it('refuses an id reused with a different fingerprint, and accepts any fingerprint for records kept without one', () => {
    const window = rememberCommand(
      rememberCommand(emptyCommandWindow, { id: 'old', v: 1 }, limits),
      { id: 'k1', v: 2, f: commandFingerprint('Deposit', { amount: 100 }) },
      limits,
    );
    expect(lookupCommand(window, 'k1', commandFingerprint('Deposit', { amount: 999999 })).kind).toBe('reused');
    expect(lookupCommand(window, 'k1', commandFingerprint('Withdraw', { amount: 100 })).kind).toBe('reused');
    expect(lookupCommand(window, 'k1', commandFingerprint('Deposit', { amount: 100 })).kind).toBe('repeat');
    expect(lookupCommand(window, 'old', commandFingerprint('Deposit', { amount: 5 })).kind).toBe('repeat');
  });

  it('fingerprints canonical JSON: key order and undefined fields do not matter, values do', () => {
    expect(commandFingerprint('Deposit', { amount: 1, description: 'x' })).toBe(
      commandFingerprint('Deposit', { description: 'x', amount: 1, note: undefined }),
    );
    expect(commandFingerprint('Deposit', { amount: 1 })).not.toBe(commandFingerprint('Deposit', { amount: 2 }));
    expect(commandFingerprint('Deposit', { amount: 1 })).not.toBe(commandFingerprint('Withdraw', { amount: 1 }));
  });

  it('reads the unfold as stored before fingerprints and digests existed, and round-trips the new one', () => {
    const old = readCommands({ ids: [{ id: 'a', v: 3, r: 7 }] });
    expect(old).toEqual({ recent: [{ id: 'a', v: 3, r: 7 }], expired: '' });
    expect(lookupCommand(old, 'a', commandFingerprint('Deposit', {}))).toMatchObject({ kind: 'repeat' });
    const window = applyAll(['a', 'b', 'c', 'd', 'e']);
    expect(readCommands(JSON.parse(JSON.stringify(commandsUnfoldData(window))))).toEqual(window);
  });
});
