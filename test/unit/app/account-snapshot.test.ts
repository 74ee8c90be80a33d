import { describe, expect, it } from 'vitest';
import { accountCodec } from '../../../functions/bank/accounts.ts';

const account = {
  status: 'open',
  owner: 'ann',
  overdraftLimit: 0,
  balance: 12,
  pendingOutgoing: {},
  recentTransactionIds: ['t1'],
} as const;

const snapshot = (data: unknown) => ({ index: 3n, type: 'Snapshotted', data, meta: undefined, timestamp: new Date() });

describe('account snapshots', () => {
  it('hold the account state alone', () => {
    expect(accountCodec.decode(snapshot({ account }), 'Account-ann')).toEqual({
      type: 'Snapshotted',
      data: { account },
    });
  });

  it('still load when written by the earlier app, which also stored a version count', () => {
    expect(accountCodec.decode(snapshot({ version: 3, account }), 'Account-ann')).toEqual({
      type: 'Snapshotted',
      data: { account },
    });
  });
});
