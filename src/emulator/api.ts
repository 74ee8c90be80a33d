import type { IncomingHttpHeaders } from 'node:http';
import type { AccountState } from './account.ts';
import type { ContainerState } from './container.ts';
import { badRequest, CosmosError } from './errors.ts';
import type { PartitionKeyComponent } from './partition-key-hash.ts';
import type { QueryCursors } from './query-cursors.ts';
import type { WrittenDocument } from './records.ts';

// The shapes routes work with, and helpers for reading Cosmos DB request headers.

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  documentsRead?: number;
  documentsWritten?: number;
}

export interface RequestContext {
  account: AccountState;
  queryCursors: QueryCursors;
  endpoint(): string;
  journalWrite(container: ContainerState, databaseId: string, docs: WrittenDocument[]): void;
}

export interface ApiRequest {
  verb: string;
  segments: string[];
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export function header(request: ApiRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function isTrue(request: ApiRequest, name: string): boolean {
  return header(request, name)?.toLowerCase() === 'true';
}

export function json(status: number, value: unknown, extra: Partial<Reply> = {}): Reply {
  return { status, body: JSON.stringify(value), ...extra };
}

export function parseJson(request: ApiRequest): unknown {
  if (request.body.length === 0) throw badRequest('The request body is empty; a JSON body is required.');
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

export function methodNotAllowed(request: ApiRequest): CosmosError {
  return new CosmosError(405, `${request.verb} is not supported on /${request.segments.join('/')}.`);
}

/** `x-ms-max-item-count`: the fallback when absent; `dynamic` when -1 (or 0), which lets the server decide. */
export function pageSize(request: ApiRequest, fallback: number, dynamic: number): number {
  const raw = header(request, 'x-ms-max-item-count');
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw badRequest(`x-ms-max-item-count must be an integer, not ${raw}.`);
  return value <= 0 ? dynamic : value;
}

/**
 * The partition key the request names; with `allowPrefix` (queries, change feeds), a hierarchical container also
 * takes a prefix of its components.
 */
export function partitionKeyHeader(
  request: ApiRequest,
  container: ContainerState,
  { allowPrefix = false } = {},
): PartitionKeyComponent[] | undefined {
  const raw = header(request, 'x-ms-documentdb-partitionkey');
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest(`The partition key header ${raw} is not valid JSON.`);
  }
  const paths = container.partitionKey.paths.length;
  const prefixAllowed = allowPrefix && container.partitionKey.kind === 'MultiHash';
  if (!Array.isArray(parsed) || parsed.length > paths || parsed.length < (prefixAllowed ? 1 : paths)) {
    throw badRequest(
      `The partition key ${raw} does not match the container's key definition (${container.partitionKey.paths.join(', ')}).`,
    );
  }
  return parsed.map((component: unknown) => {
    if (component !== null && typeof component === 'object' && Object.keys(component).length === 0) return undefined;
    if (component === null || ['string', 'number', 'boolean'].includes(typeof component)) {
      return component as PartitionKeyComponent;
    }
    throw badRequest(`The partition key ${raw} holds a value that cannot be a partition key.`);
  });
}

export function requirePartitionKey(request: ApiRequest, container: ContainerState): PartitionKeyComponent[] {
  const key = partitionKeyHeader(request, container);
  if (key === undefined) {
    throw badRequest('PartitionKey value must be supplied for this operation (x-ms-documentdb-partitionkey).');
  }
  return key;
}

export function preconditions(request: ApiRequest) {
  return { ifMatch: header(request, 'if-match'), ifNoneMatch: header(request, 'if-none-match') };
}

export function feedBody(rid: string, listName: string, items: string[]): string {
  return `{"_rid":${JSON.stringify(rid)},"${listName}":[${items.join(',')}],"_count":${items.length}}`;
}

export function isQueryRequest(request: ApiRequest): boolean {
  return (
    isTrue(request, 'x-ms-documentdb-isquery') ||
    (header(request, 'content-type') ?? '').startsWith('application/query+json')
  );
}
