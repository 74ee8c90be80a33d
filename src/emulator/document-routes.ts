import {
  type ApiRequest,
  header,
  isQueryRequest,
  isTrue,
  json,
  methodNotAllowed,
  parseJson,
  partitionKeyHeader,
  preconditions,
  type Reply,
  type RequestContext,
  requirePartitionKey,
} from './api.ts';
import { executeBatch } from './batch.ts';
import type { ContainerState, StoredDocument } from './container.ts';
import {
  createDocument,
  deleteDocument,
  patchDocument,
  readDocument,
  replaceDocument,
  upsertDocument,
  type WriteResult,
  WriteSession,
} from './documents.ts';
import { badRequest } from './errors.ts';
import { allVersionsFeed, changeFeed } from './feed-routes.ts';
import { parseQuerySpec, queryPlan } from './query.ts';
import { query } from './query-routes.ts';

function documentReply(status: number, document: StoredDocument, extra: Partial<Reply> = {}): Reply {
  return {
    status,
    headers: { etag: document.etag, lsn: String(document.lsn), 'x-ms-item-lsn': String(document.lsn) },
    body: document.json,
    ...extra,
  };
}

function commitWrite(
  context: RequestContext,
  databaseId: string,
  session: WriteSession,
  result: WriteResult,
  request: ApiRequest,
): Reply {
  const committed = session.commit();
  context.journalWrite(session.container, databaseId, committed.documents);
  if (!result.document) return { status: result.status, documentsWritten: 1, headers: { lsn: String(committed.lsn) } };
  const minimal = header(request, 'prefer') === 'return=minimal';
  return documentReply(result.status, result.document, {
    documentsWritten: 1,
    ...(minimal ? { body: '' } : {}),
  });
}

export function documentResource(
  context: RequestContext,
  request: ApiRequest,
  databaseId: string,
  container: ContainerState,
  id: string,
): Reply {
  const key = requirePartitionKey(request, container);
  switch (request.verb) {
    case 'GET': {
      const { document, notModified } = readDocument(container, id, key, header(request, 'if-none-match'));
      if (notModified) return { status: 304, headers: { etag: document.etag } };
      return documentReply(200, document, { documentsRead: 1 });
    }
    case 'PUT': {
      const session = new WriteSession(container);
      const result = replaceDocument(session, id, parseJson(request), key, preconditions(request));
      return commitWrite(context, databaseId, session, result, request);
    }
    case 'DELETE': {
      const session = new WriteSession(container);
      const result = deleteDocument(session, id, key, preconditions(request));
      return commitWrite(context, databaseId, session, result, request);
    }
    case 'PATCH': {
      const session = new WriteSession(container);
      const result = patchDocument(session, id, parseJson(request), key, preconditions(request));
      return commitWrite(context, databaseId, session, result, request);
    }
    default:
      throw methodNotAllowed(request);
  }
}

/** `deleteAllItemsForPartitionKey`: every document of one logical partition goes, at one LSN. */
export function deleteLogicalPartition(
  context: RequestContext,
  request: ApiRequest,
  databaseId: string,
  container: ContainerState,
): Reply {
  const key = requirePartitionKey(request, container);
  const partition = container.findPartition(key);
  if (!partition) return { status: 200 };
  const session = new WriteSession(container);
  for (const id of [...partition.documents.keys()]) session.remove(partition, id);
  const committed = session.commit();
  context.journalWrite(container, databaseId, committed.documents);
  return { status: 200, documentsWritten: committed.documents.length };
}

export function documentFeed(
  context: RequestContext,
  request: ApiRequest,
  databaseId: string,
  container: ContainerState,
): Reply {
  if (request.verb === 'GET') {
    const aIm = header(request, 'a-im');
    if (aIm !== undefined) {
      if (aIm.toLowerCase() === 'incremental feed') return changeFeed(request, container);
      if (aIm.toLowerCase() === 'full-fidelity feed') return allVersionsFeed(request, container);
      throw badRequest(`Change feed mode A-IM: ${aIm} is neither "Incremental feed" nor "Full-Fidelity Feed".`);
    }
    return query(context, request, container, { query: 'SELECT * FROM c' });
  }
  if (request.verb !== 'POST') throw methodNotAllowed(request);
  if (isTrue(request, 'x-ms-cosmos-is-query-plan-request')) {
    return json(200, queryPlan(parseQuerySpec(parseJson(request))));
  }
  if (isTrue(request, 'x-ms-cosmos-is-batch-request')) {
    const headerKey = partitionKeyHeader(request, container);
    const atomic = header(request, 'x-ms-cosmos-batch-atomic')?.toLowerCase() !== 'false';
    // A transactional batch is scoped to one logical partition, named by the request header (the SDK always sends it).
    if (atomic && headerKey === undefined) {
      throw badRequest('A transactional batch needs its partition key in x-ms-documentdb-partitionkey.');
    }
    return executeBatch(request, container, {
      headerKey,
      atomic,
      minimal: header(request, 'prefer') === 'return=minimal',
      journal: (docs) => context.journalWrite(container, databaseId, docs),
      parse: () => parseJson(request),
    });
  }
  if (isQueryRequest(request)) return query(context, request, container, parseQuerySpec(parseJson(request)));
  const key = requirePartitionKey(request, container);
  const session = new WriteSession(container);
  const result = isTrue(request, 'x-ms-documentdb-is-upsert')
    ? upsertDocument(session, parseJson(request), key, preconditions(request))
    : createDocument(session, parseJson(request), key);
  return commitWrite(context, databaseId, session, result, request);
}
