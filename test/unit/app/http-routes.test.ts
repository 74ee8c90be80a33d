import { describe, expect, it } from 'vitest';
import { BankRuleViolations } from '../../../functions/domain/errors.ts';
import { errorResponse } from '../../../functions/http/responses.ts';
import { createBankRoutes } from '../../../functions/http/routes.ts';
import type { BankService } from '../../../functions/service.ts';
import { matchRoute } from '../../../src/http/index.ts';
import { AppendTooLarge, EventTooLarge, MaxResyncsExhausted, StaleExpectedVersion } from '../../../src/store/index.ts';

const unused = async () => {
  throw new Error('not called');
};
const service: BankService = {
  commandAccount: unused,
  requestTransfer: unused,
  transfer: unused,
  balance: unused,
  statement: unused,
};
const routes = createBankRoutes(service);

describe('the HTTP routes', () => {
  it('match paths below /api to routes, with their parameters decoded', () => {
    const match = matchRoute(routes, 'post', '/api/accounts/a%2Db/deposit');
    expect(match).toMatchObject({ route: { name: 'deposit' }, params: { id: 'a-b' } });
    expect(matchRoute(routes, 'GET', '/api/accounts/42')).toMatchObject({ route: { name: 'getAccount' } });
    expect(matchRoute(routes, 'GET', '/api/accounts/42/statement')).toMatchObject({ route: { name: 'getStatement' } });
  });

  it('tell an unknown path (404) from a known path with the wrong method (405)', () => {
    expect(matchRoute(routes, 'GET', '/api/accounts/42/deposit')).toEqual({ error: 405 });
    expect(matchRoute(routes, 'GET', '/api/loans/42')).toEqual({ error: 404 });
    expect(matchRoute(routes, 'GET', '/accounts/42')).toEqual({ error: 404 });
  });

  it('answer 500 without details when the service fails unexpectedly, and report the error', async () => {
    const logged: unknown[] = [];
    const failing = createBankRoutes(
      { ...service, balance: async () => Promise.reject(new Error('socket hang up')) },
      {
        log: (_message, error) => logged.push(error),
      },
    );
    const getAccount = failing.find((route) => route.name === 'getAccount');
    const response = await getAccount?.handle({
      method: 'GET',
      params: { id: '42' },
      header: () => undefined,
      body: '',
    });
    expect(response).toEqual({
      status: 500,
      body: { error: 'InternalError', message: 'The request failed; see the app logs.' },
    });
    expect(String(logged[0])).toContain('socket hang up');
  });

  it('refuse an If-Match header that is not a version', async () => {
    const deposit = routes.find((route) => route.name === 'deposit');
    const response = await deposit?.handle({
      method: 'POST',
      params: { id: '42' },
      header: (name) => (name === 'if-match' ? 'W/"abc"' : undefined),
      body: '{"amount": 5}',
    });
    expect(response?.status).toBe(400);
  });
});

describe('the error answers', () => {
  const statusOf = (error: unknown) => errorResponse(error, () => {}).status;

  it('map refusals, stale versions, oversized writes and write races to their HTTP statuses', () => {
    expect(statusOf(BankRuleViolations.accountNotFound('1'))).toBe(404);
    expect(statusOf(BankRuleViolations.insufficientFunds('1', 5, 0))).toBe(409);
    expect(statusOf(new StaleExpectedVersion('Account-1', 1n, 2n))).toBe(412);
    expect(statusOf(new EventTooLarge('Account-1', 3n, 'Deposited', 3_000_000, 2_000_000))).toBe(413);
    expect(statusOf(new AppendTooLarge('Account-1', 3n, 200, 3_000_000, 2_000_000))).toBe(413);
    expect(errorResponse(new MaxResyncsExhausted('Account-1', 3, 7n), () => {})).toMatchObject({
      status: 503,
      headers: { 'retry-after': '1' },
    });
    expect(statusOf(new Error('boom'))).toBe(500);
  });
});
