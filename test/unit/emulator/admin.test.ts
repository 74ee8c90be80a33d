import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AccountState } from '../../../src/emulator/account.ts';
import { handleAdmin } from '../../../src/emulator/admin.ts';
import { adminRequestHeaders } from '../../../src/emulator/admin-guard.ts';
import { CosmosError } from '../../../src/emulator/errors.ts';
import { FaultInjector, parseFaultRule } from '../../../src/emulator/faults.ts';
import { MetricsRecorder } from '../../../src/emulator/metrics.ts';
import { WELL_KNOWN_EMULATOR_KEY } from '../../../src/emulator/types.ts';

const key = WELL_KNOWN_EMULATOR_KEY;

function targets() {
  return {
    account: new AccountState(1, () => {}),
    faults: new FaultInjector(),
    metrics: new MetricsRecorder(),
    key: Buffer.from(key, 'base64'),
    now: Date.now,
  };
}

const from = (remoteAddress: string, method: string, route = 'metrics') =>
  ({
    method,
    socket: { remoteAddress },
    headers: adminRequestHeaders(key, method, route),
  }) as unknown as IncomingMessage;

describe('the emulator admin routes', () => {
  it('refuse callers that are not on loopback with 403', () => {
    const admin = targets();
    for (const address of ['10.0.0.7', '192.168.1.20', '::ffff:10.0.0.7']) {
      const call = () => handleAdmin(admin, from(address, 'GET'), ['_emulator', 'metrics'], Buffer.alloc(0));
      expect(call).toThrow(CosmosError);
      expect(call).toThrow(/only served on loopback/);
    }
    const rule = Buffer.from(JSON.stringify({ operation: 'any', status: 503 }));
    expect(() => handleAdmin(admin, from('10.0.0.7', 'POST', 'faults'), ['_emulator', 'faults'], rule)).toThrow(
      CosmosError,
    );
    expect(admin.faults.take('read')).toBeUndefined();
  });

  it('serve callers on IPv4 and IPv6 loopback', () => {
    const admin = targets();
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const reply = handleAdmin(admin, from(address, 'GET'), ['_emulator', 'metrics'], Buffer.alloc(0));
      expect(reply.status).toBe(200);
    }
  });
});

describe('fault rules', () => {
  it('hit exactly `count` matching requests, then retire', () => {
    const faults = new FaultInjector();
    faults.add({ operation: 'write', status: 429, count: 2 });
    expect(faults.take('read')).toBeUndefined();
    expect(faults.take('write')?.status).toBe(429);
    expect(faults.take('write')?.status).toBe(429);
    expect(faults.take('write')).toBeUndefined();
  });

  it('never hit with probability 0 and always hit with probability 1', () => {
    const faults = new FaultInjector();
    faults.add({ operation: 'query', status: 503, probability: 0 });
    for (let i = 0; i < 200; i++) expect(faults.take('query')).toBeUndefined();
    faults.clear();
    faults.add({ operation: 'query', status: 503, probability: 1, count: 200 });
    for (let i = 0; i < 200; i++) expect(faults.take('query')?.status).toBe(503);
  });

  it('hit about the given share of requests and do not count the ones they spare', () => {
    const faults = new FaultInjector();
    faults.add({ operation: 'any', status: 408, probability: 0.5, count: 1000 });
    let hits = 0;
    for (let i = 0; i < 1000; i++) if (faults.take('changefeed')) hits++;
    expect(hits).toBeGreaterThan(350);
    expect(hits).toBeLessThan(650);
  });

  it('never hit metadata requests, even with operation "any"', () => {
    const faults = new FaultInjector();
    faults.add({ operation: 'any', status: 503 });
    expect(faults.take('metadata')).toBeUndefined();
    expect(faults.take('batch')?.status).toBe(503);
  });

  it('are refused when a field is out of range', () => {
    for (const bad of [
      { operation: 'everything', status: 429 },
      { operation: 'read', status: 500 },
      { operation: 'read', status: 400 },
      { operation: 'read' },
      { operation: 'read', status: 429, probability: 2 },
      { operation: 'read', status: 429, count: -1 },
      { operation: 'read', status: 429, retryAfterMs: 'soon' },
      null,
    ]) {
      expect(() => parseFaultRule(bad)).toThrow(CosmosError);
    }
  });
});
