import {
  type ContainerState,
  documentBody,
  type Json,
  type LogicalPartition,
  type StoredDocument,
} from './container.ts';
import { badRequest, CosmosError, conflict, notFound, preconditionFailed } from './errors.ts';
import type { PartitionKeyComponent } from './partition-key-hash.ts';
import { applyPatch, type PatchOperation } from './patch.ts';
import { matchesCondition } from './query.ts';
import { journalKey, type WrittenDocument } from './records.ts';

/** Cosmos DB rejects documents over 2 MB. */
export const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

export interface Preconditions {
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
}

export interface WriteResult {
  status: number;
  document?: StoredDocument;
}

/**
 * The writes of one request (one document, or all of a transactional batch) staged on top of the container. They
 * become visible together, at one LSN, on `commit`; dropping the session rolls them back.
 */
export class WriteSession {
  private readonly changes = new Map<
    string,
    { partition: LogicalPartition; id: string; document: StoredDocument | null }
  >();
  private versions = 0;
  readonly lsn: number;
  readonly now: number;

  constructor(readonly container: ContainerState) {
    this.lsn = container.lsn + 1;
    this.now = Math.max(container.lastWriteAt, Date.now());
  }

  get size(): number {
    return this.changes.size;
  }

  current(partition: LogicalPartition, id: string): StoredDocument | undefined {
    const change = this.changes.get(`${partition.key}\u0000${id}`);
    if (change) return change.document ?? undefined;
    return partition.documents.get(id);
  }

  put(partition: LogicalPartition, id: string, content: Json, previous: StoredDocument | undefined): StoredDocument {
    const { container } = this;
    const rid = previous?.rid ?? container.nextDocumentRid();
    const etag = `"${this.lsn.toString(16).padStart(8, '0')}-${(this.versions++).toString(16).padStart(4, '0')}-0000-0000-000000000000"`;
    const body: Json = {
      ...content,
      id,
      _rid: rid,
      _self: `dbs/${container.databaseRid}/colls/${container.rid}/docs/${rid}/`,
      _etag: etag,
      _attachments: 'attachments/',
      _ts: Math.floor(this.now / 1000),
    };
    const json = JSON.stringify(body);
    if (Buffer.byteLength(json) > MAX_DOCUMENT_BYTES) {
      throw new CosmosError(413, 'Request size is too large: documents are limited to 2 MB.');
    }
    const document: StoredDocument = {
      id,
      partition,
      json,
      etag,
      rid,
      lsn: this.lsn,
      writtenAt: this.now,
      superseded: false,
    };
    this.changes.set(`${partition.key}\u0000${id}`, { partition, id, document });
    return document;
  }

  remove(partition: LogicalPartition, id: string): void {
    this.changes.set(`${partition.key}\u0000${id}`, { partition, id, document: null });
  }

  /** Makes the staged writes visible; returns the journal record of what changed. */
  commit(): { lsn: number; now: number; documents: WrittenDocument[] } {
    const { container } = this;
    container.lsn = this.lsn;
    container.lastWriteAt = this.now;
    container.apply(this.changes, { at: this.now });
    return {
      lsn: this.lsn,
      now: this.now,
      documents: [...this.changes.values()].map(({ partition, id, document }) => ({
        k: journalKey(partition.components),
        id,
        json: document ? document.json : null,
        ...(document ? { etag: document.etag, rid: document.rid } : {}),
      })),
    };
  }
}

export function validateId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0) throw badRequest('The document id must be a non-empty string.');
  if (id.length > 255) throw badRequest('The document id is longer than 255 characters.');
  if (/[/\\?#]/.test(id)) throw badRequest(`The document id "${id}" contains one of the characters / \\ ? #.`);
  return id;
}

function checkIfMatch(current: StoredDocument, preconditions: Preconditions): void {
  const { ifMatch } = preconditions;
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== current.etag) throw preconditionFailed();
}

function partitionForBody(
  container: ContainerState,
  body: Json,
  headerKey: PartitionKeyComponent[] | undefined,
): LogicalPartition {
  const fromBody = container.partitionKeyOf(body);
  if (headerKey !== undefined && JSON.stringify(headerKey) !== JSON.stringify(fromBody)) {
    throw badRequest(
      `PartitionKey extracted from document doesn't match the one specified in the header: ${JSON.stringify(
        fromBody,
      )} vs ${JSON.stringify(headerKey)}.`,
    );
  }
  return container.partition(fromBody);
}

function asDocumentBody(body: unknown): Json {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object.');
  }
  return body as Json;
}

export function createDocument(
  session: WriteSession,
  raw: unknown,
  headerKey: PartitionKeyComponent[] | undefined,
): WriteResult {
  const body = asDocumentBody(raw);
  const id = validateId(body.id);
  const partition = partitionForBody(session.container, body, headerKey);
  if (session.current(partition, id)) throw conflict();
  return { status: 201, document: session.put(partition, id, body, undefined) };
}

export function upsertDocument(
  session: WriteSession,
  raw: unknown,
  headerKey: PartitionKeyComponent[] | undefined,
  preconditions: Preconditions,
): WriteResult {
  const body = asDocumentBody(raw);
  const id = validateId(body.id);
  const partition = partitionForBody(session.container, body, headerKey);
  const current = session.current(partition, id);
  if (!current) {
    if (preconditions.ifMatch !== undefined && preconditions.ifMatch !== '*') throw preconditionFailed();
    return { status: 201, document: session.put(partition, id, body, undefined) };
  }
  checkIfMatch(current, preconditions);
  return { status: 200, document: session.put(partition, id, body, current) };
}

export function replaceDocument(
  session: WriteSession,
  id: string,
  raw: unknown,
  headerKey: PartitionKeyComponent[] | undefined,
  preconditions: Preconditions,
): WriteResult {
  const body = asDocumentBody(raw);
  if (body.id !== id) throw badRequest(`The id in the body (${String(body.id)}) does not match the URL (${id}).`);
  const partition = partitionForBody(session.container, body, headerKey);
  const current = session.current(partition, id);
  if (!current) throw notFound();
  checkIfMatch(current, preconditions);
  return { status: 200, document: session.put(partition, id, body, current) };
}

export function deleteDocument(
  session: WriteSession,
  id: string,
  key: PartitionKeyComponent[],
  preconditions: Preconditions,
): WriteResult {
  const partition = session.container.findPartition(key);
  const current = partition && session.current(partition, id);
  if (!partition || !current) throw notFound();
  checkIfMatch(current, preconditions);
  session.remove(partition, id);
  return { status: 204 };
}

export function patchDocument(
  session: WriteSession,
  id: string,
  raw: unknown,
  key: PartitionKeyComponent[],
  preconditions: Preconditions,
): WriteResult {
  const request = Array.isArray(raw) ? { operations: raw } : (raw as { operations?: unknown; condition?: unknown });
  if (!request || !Array.isArray(request.operations) || request.operations.length === 0) {
    throw badRequest('A patch request needs a non-empty "operations" array.');
  }
  if (request.operations.length > 10) throw badRequest('A patch request allows at most 10 operations.');
  const partition = session.container.findPartition(key);
  const current = partition && session.current(partition, id);
  if (!partition || !current) throw notFound();
  checkIfMatch(current, preconditions);
  const body = documentBody(current);
  if (typeof request.condition === 'string' && !matchesCondition(request.condition, body)) {
    throw preconditionFailed('The patch condition was not met by the document.');
  }
  const patched = applyPatch(body, request.operations as PatchOperation[]);
  const protectedPaths = ['/id', ...session.container.partitionKey.paths];
  for (const operation of request.operations as PatchOperation[]) {
    if (protectedPaths.includes(operation.path)) {
      throw badRequest(`The patch operation on ${operation.path} is not allowed: it is the id or partition key.`);
    }
  }
  return { status: 200, document: session.put(partition, id, patched, current) };
}

/** Point read; `notModified` when the client's `If-None-Match` etag is current (answered with 304). */
export function readDocument(
  container: ContainerState,
  id: string,
  key: PartitionKeyComponent[],
  ifNoneMatch: string | undefined,
): { document: StoredDocument; notModified: boolean } {
  const document = container.findPartition(key)?.documents.get(id);
  if (!document) throw notFound();
  const notModified = ifNoneMatch !== undefined && (ifNoneMatch === '*' || ifNoneMatch === document.etag);
  return { document, notModified };
}
