import type { IncomingMessage } from 'node:http';
import type { AccountState } from './account.ts';
import { guardAdmin } from './admin-guard.ts';
import type { Reply } from './api.ts';
import { CosmosError } from './errors.ts';
import { type FaultInjector, parseFaultRule } from './faults.ts';
import type { MetricsRecorder } from './metrics.ts';

// The emulator's own routes under /_emulator: fault rules, live splits, metrics (who may call them: admin-guard.ts).

export interface AdminTargets {
  account: AccountState;
  faults: FaultInjector;
  metrics: MetricsRecorder;
  /** The account key admin calls are signed with. */
  key: Buffer;
  now(): number;
}

export function handleAdmin(
  { account, faults, metrics, key, now }: AdminTargets,
  request: IncomingMessage,
  segments: string[],
  body: Buffer,
): Reply {
  guardAdmin(key, request, segments, body, now());
  const parse = () => {
    try {
      return body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as unknown);
    } catch {
      throw new CosmosError(400, 'The request body is not valid JSON.');
    }
  };
  const what = `${request.method} ${segments.slice(1).join('/')}`;
  switch (what) {
    case 'POST faults': {
      const rule = parseFaultRule(parse());
      faults.add(rule);
      return { status: 201, body: JSON.stringify({ added: rule }) };
    }
    case 'DELETE faults':
      faults.clear();
      return { status: 200, body: JSON.stringify({ cleared: true }) };
    case 'POST split': {
      const { database, container, rangeId } = parse() as {
        database?: unknown;
        container?: unknown;
        rangeId?: unknown;
      };
      if (typeof database !== 'string' || typeof container !== 'string') {
        throw new CosmosError(400, 'A split needs "database" and "container" (and optionally "rangeId").');
      }
      const children = account.split(database, container, typeof rangeId === 'string' ? rangeId : undefined);
      return { status: 200, body: JSON.stringify({ children }) };
    }
    case 'GET metrics':
      return { status: 200, body: JSON.stringify(metrics.snapshot()) };
    case 'DELETE metrics':
      metrics.reset();
      return { status: 200, body: JSON.stringify({ reset: true }) };
    default:
      throw new CosmosError(404, `Unknown emulator admin route ${what}.`);
  }
}
