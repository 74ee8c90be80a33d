import type { Reply } from './api.ts';
import type { ContainerState } from './container.ts';
import {
  createDocument,
  deleteDocument,
  patchDocument,
  replaceDocument,
  upsertDocument,
  validateId,
  type WriteResult,
  WriteSession,
} from './documents.ts';
import { badRequest, CosmosError, notFound } from './errors.ts';
import type { PartitionKeyComponent } from './partition-key-hash.ts';
import type { WrittenDocument } from './records.ts';

/** Cosmos DB's limit on operations in one transactional batch. */
export const MAX_BATCH_OPERATIONS = 100;

const operationTypes = new Set(['Create', 'Upsert', 'Replace', 'Delete', 'Patch', 'Read']);

interface BatchOperation {
  operationType?: string;
  id?: string;
  partitionKey?: string;
  resourceBody?: unknown;
  ifMatch?: string;
  ifNoneMatch?: string;
}

interface OperationResult {
  statusCode: number;
  requestCharge: number;
  eTag?: string;
  resourceBody?: unknown;
  message?: string;
}

export interface BatchOptions {
  headerKey: PartitionKeyComponent[] | undefined;
  atomic: boolean;
  minimal: boolean;
  journal(docs: WrittenDocument[]): void;
  parse(): unknown;
}

function operationKey(
  container: ContainerState,
  operation: BatchOperation,
  headerKey: PartitionKeyComponent[] | undefined,
): PartitionKeyComponent[] {
  if (operation.partitionKey === undefined) {
    if (headerKey === undefined) throw badRequest('A batch operation has no partition key.');
    return headerKey;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(operation.partitionKey);
  } catch {
    throw badRequest(`The batch operation partition key ${operation.partitionKey} is not valid JSON.`);
  }
  if (!Array.isArray(parsed) || parsed.length !== container.partitionKey.paths.length) {
    throw badRequest(`The batch operation partition key ${operation.partitionKey} does not match the container.`);
  }
  const key = parsed.map((component: unknown) =>
    component !== null && typeof component === 'object' ? undefined : (component as PartitionKeyComponent),
  );
  if (headerKey !== undefined && JSON.stringify(key) !== JSON.stringify(headerKey)) {
    throw badRequest('All operations of a transactional batch must target the partition key of the batch.');
  }
  return key;
}

function execute(
  session: WriteSession,
  operation: BatchOperation,
  headerKey: PartitionKeyComponent[] | undefined,
): WriteResult & { read?: boolean } {
  const key = operationKey(session.container, operation, headerKey);
  const conditions = { ifMatch: operation.ifMatch, ifNoneMatch: operation.ifNoneMatch };
  switch (operation.operationType) {
    case 'Create':
      return createDocument(session, operation.resourceBody, key);
    case 'Upsert':
      return upsertDocument(session, operation.resourceBody, key, conditions);
    case 'Replace':
      return replaceDocument(session, validateId(operation.id), operation.resourceBody, key, conditions);
    case 'Delete':
      return deleteDocument(session, validateId(operation.id), key, conditions);
    case 'Patch':
      return patchDocument(session, validateId(operation.id), operation.resourceBody, key, conditions);
    case 'Read': {
      const partition = session.container.findPartition(key);
      const document = partition && session.current(partition, validateId(operation.id));
      if (!document) throw notFound();
      if (operation.ifNoneMatch !== undefined && operation.ifNoneMatch === document.etag) {
        return { status: 304, read: true };
      }
      return { status: 200, document, read: true };
    }
    default:
      throw badRequest(`Unknown batch operation type ${JSON.stringify(operation.operationType)}.`);
  }
}

/** One operation's result, serialized (a document goes in as the JSON it is stored as). */
function resultOf(outcome: WriteResult, minimal: boolean, read: boolean): string {
  const { document } = outcome;
  if (!document) return `{"statusCode":${outcome.status},"requestCharge":1}`;
  const resource = !minimal || read ? `,"resourceBody":${document.json}` : '';
  return `{"statusCode":${outcome.status},"requestCharge":1,"eTag":${JSON.stringify(document.etag)}${resource}}`;
}

function failureOf(error: unknown): OperationResult {
  if (error instanceof CosmosError) return { statusCode: error.status, requestCharge: 1, message: error.message };
  throw error;
}

/**
 * A transactional batch (`x-ms-cosmos-batch-atomic: true`): all operations commit together at one LSN, or none do;
 * on failure the answer is 207 with the failing operation's status and 424 for every other one. Without the atomic
 * header (SDK bulk), each operation commits on its own.
 */
export function executeBatch(request: { body: Buffer }, container: ContainerState, options: BatchOptions): Reply {
  const operations = options.parse();
  if (!Array.isArray(operations) || operations.length === 0) {
    throw badRequest('A batch request body must be a non-empty array of operations.');
  }
  if (operations.length > MAX_BATCH_OPERATIONS) {
    throw badRequest(
      `Batch request has more operations than what is supported: ${operations.length} > ${MAX_BATCH_OPERATIONS}.`,
    );
  }
  if (request.body.length > 2 * 1024 * 1024)
    throw new CosmosError(413, 'Request size is too large: batches are limited to 2 MB.');
  for (const operation of operations as BatchOperation[]) {
    if (operation === null || typeof operation !== 'object' || !operationTypes.has(operation.operationType as string)) {
      throw badRequest(
        `Unknown batch operation ${JSON.stringify(operation)}: operationType must be one of ${[...operationTypes].join(', ')}.`,
      );
    }
  }
  if (!options.atomic) return executeBulk(container, operations as BatchOperation[], options);
  const session = new WriteSession(container);
  const results: string[] = [];
  let documentsRead = 0;
  for (const [index, operation] of (operations as BatchOperation[]).entries()) {
    try {
      const outcome = execute(session, operation, options.headerKey);
      if (outcome.read) documentsRead++;
      results.push(resultOf(outcome, options.minimal, outcome.read === true));
    } catch (error) {
      const failure = failureOf(error);
      const answer = operations.map((_, i) =>
        i === index
          ? failure
          : { statusCode: 424, requestCharge: 0, message: 'Failed dependency: another operation of the batch failed.' },
      );
      return { status: 207, body: JSON.stringify(answer) };
    }
  }
  const written = session.size;
  if (written > 0) {
    options.journal(session.commit().documents);
  }
  return { status: 200, body: `[${results.join(',')}]`, documentsRead, documentsWritten: written };
}

function executeBulk(container: ContainerState, operations: BatchOperation[], options: BatchOptions): Reply {
  const results: string[] = [];
  let documentsRead = 0;
  let documentsWritten = 0;
  let anyFailed = false;
  for (const operation of operations) {
    const session = new WriteSession(container);
    try {
      const outcome = execute(session, operation, undefined);
      if (outcome.read) documentsRead++;
      if (session.size > 0) {
        const committed = session.commit();
        documentsWritten += committed.documents.length;
        options.journal(committed.documents);
      }
      results.push(resultOf(outcome, options.minimal, outcome.read === true));
    } catch (error) {
      anyFailed = true;
      results.push(JSON.stringify(failureOf(error)));
    }
  }
  return { status: anyFailed ? 207 : 200, body: `[${results.join(',')}]`, documentsRead, documentsWritten };
}
