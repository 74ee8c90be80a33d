import type { IncomingMessage } from 'node:http';
import type { OperationKind } from './types.ts';

const is = (request: IncomingMessage, name: string, value: string) =>
  String(request.headers[name] ?? '').toLowerCase() === value;

/** The operation class of a request, for metrics and fault matching. */
export function classify(verb: string, segments: readonly string[], request: IncomingMessage): OperationKind {
  if (segments[4] === 'operations') return 'write';
  if (segments.length < 5 || segments[4] !== 'docs') return 'metadata';
  if (segments.length === 6) return verb === 'GET' ? 'read' : 'write';
  // Either change-feed mode: "Incremental feed" or "Full-Fidelity Feed" (all versions and deletes).
  if (verb === 'GET') return request.headers['a-im'] !== undefined ? 'changefeed' : 'query';
  if (is(request, 'x-ms-cosmos-is-query-plan-request', 'true')) return 'metadata';
  if (is(request, 'x-ms-cosmos-is-batch-request', 'true')) return 'batch';
  const isQuery =
    is(request, 'x-ms-documentdb-isquery', 'true') ||
    String(request.headers['content-type'] ?? '').startsWith('application/query+json');
  return isQuery ? 'query' : 'write';
}
