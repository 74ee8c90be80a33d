import { setTimeout as sleep } from 'node:timers/promises';
import { BulkOperationType, type Container, type JSONObject, type OperationInput } from '@azure/cosmos';
import {
  AppendUnavailable,
  type BatchRetry,
  batchRetryDelay,
  defaultBatchRetry,
  isTransientOperationStatus,
} from './batch-retry.ts';
import type { AppendPlan } from './calving.ts';
import type { BatchDocument, TipDocument } from './documents.ts';
import { tipId } from './documents.ts';
import { AppendRejected, WrongExpectedVersion } from './errors.ts';
import { asBatchDocument } from './span.ts';

/** The thin I/O edge of the store: every request the store makes to Cosmos DB is in this file. */

export type TipRead =
  | { readonly status: 'found'; readonly tip: TipDocument; readonly etag: string }
  | { readonly status: 'notFound' }
  | { readonly status: 'notModified' };

/** One point read of the tip; with `etag`, a conditional read that an unchanged tip answers with 304. */
export async function readTip(container: Container, stream: string, etag?: string): Promise<TipRead> {
  const response = await container
    .item(tipId, stream)
    .read<Record<string, unknown>>(
      etag === undefined ? {} : { accessCondition: { type: 'IfNoneMatch', condition: etag } },
    );
  if (response.statusCode === 304) return { status: 'notModified' };
  if (response.statusCode === 404 || response.resource === undefined) return { status: 'notFound' };
  const tip = asBatchDocument(response.resource) as TipDocument;
  if (!Array.isArray(tip.u)) tip.u = [];
  return { status: 'found', tip, etag: response.etag ?? tip._etag ?? '' };
}

/**
 * Writes an append as ONE transactional batch: replace the tip if its etag is still `expectedEtag` (create it for
 * a new stream), plus create the calved batch. Cosmos runs it atomically: on a conflict (412 on the replace, 409 on
 * a create) nothing is written and `WrongExpectedVersion` is thrown. An operation failing with a transient status
 * (see `isTransientOperationStatus`) sends the batch again after a backoff, up to `retry.maxAttempts`, then throws
 * `AppendUnavailable`. Resolves to the new tip's etag.
 */
export async function appendToStream(
  container: Container,
  stream: string,
  plan: AppendPlan,
  expectedEtag: string | undefined,
  expectedVersion: bigint,
  retry: BatchRetry = defaultBatchRetry,
): Promise<string> {
  const tipOperation: OperationInput =
    expectedEtag === undefined
      ? { operationType: BulkOperationType.Create, resourceBody: plan.tip as unknown as JSONObject }
      : {
          operationType: BulkOperationType.Replace,
          id: tipId,
          ifMatch: expectedEtag,
          resourceBody: plan.tip as unknown as JSONObject,
        };
  const operations: OperationInput[] = [tipOperation];
  if (plan.calved)
    operations.push({ operationType: BulkOperationType.Create, resourceBody: plan.calved as unknown as JSONObject });
  for (let attempt = 1; ; attempt++) {
    const response = await container.items.batch(operations, stream).catch((error: unknown) => {
      const code = refusedStatus(error);
      throw code === 400 || code === 413
        ? new AppendRejected(stream, expectedVersion, code, undefined, { cause: error })
        : error;
    });
    const results = response.result ?? [];
    const failed = results.find((result) => result.statusCode >= 400 && result.statusCode !== 424);
    if (failed === undefined && results.length === operations.length) {
      return results[0]?.eTag ?? '';
    }
    const status = failed?.statusCode;
    if (status === 412 || status === 409) throw new WrongExpectedVersion(stream, expectedVersion);
    if (status === undefined || !isTransientOperationStatus(status)) {
      const at = failed === undefined ? -1 : results.indexOf(failed);
      const document = at === 0 ? tipId : at === 1 ? plan.calved?.id : undefined;
      throw new AppendRejected(stream, expectedVersion, status ?? response.code, document);
    }
    if (attempt >= retry.maxAttempts) throw new AppendUnavailable(stream, status, attempt);
    const retryAfter = Number(response.headers?.['x-ms-retry-after-ms']);
    await sleep(batchRetryDelay(retry, attempt, Number.isFinite(retryAfter) ? retryAfter : undefined));
  }
}

/** The status of a refused request: the SDK wraps a refused batch in an Error whose `cause` carries it. */
function refusedStatus(error: unknown): unknown {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  return code ?? cause?.code;
}

/** The stream's batches before version `before`, newest first, fetched a page at a time as the caller consumes them. */
export async function* batchesBackward(
  container: Container,
  stream: string,
  before: number,
): AsyncGenerator<BatchDocument> {
  const iterator = container.items.query<Record<string, unknown>>(
    {
      query: 'SELECT * FROM c WHERE c.id != @tip AND c.i < @before ORDER BY c.i DESC',
      parameters: [
        { name: '@tip', value: tipId },
        { name: '@before', value: before },
      ],
    },
    { partitionKey: stream, maxItemCount: 10 },
  );
  while (iterator.hasMoreResults()) {
    const page = await iterator.fetchNext();
    for (const document of page.resources ?? []) yield asBatchDocument(document);
  }
}

/**
 * Every tip or batch of the stream holding events in [from, to), in order of `i`: one partition-scoped query read
 * `pageSize` documents per request, following the continuation only as the caller consumes them, so a long stream
 * is never held in one response.
 */
export async function* documentsInRange(
  container: Container,
  stream: string,
  range: { readonly from: number; readonly to: number; readonly direction: 'forward' | 'backward' },
  pageSize: number,
): AsyncGenerator<BatchDocument> {
  const order = range.direction === 'forward' ? 'ASC' : 'DESC';
  const pages = container.items.query<Record<string, unknown>>(
    {
      query: `SELECT * FROM c WHERE c.n > @from AND c.i < @to ORDER BY c.i ${order}`,
      parameters: [
        { name: '@from', value: range.from },
        { name: '@to', value: range.to },
      ],
    },
    { partitionKey: stream, maxItemCount: pageSize },
  );
  while (pages.hasMoreResults()) {
    const page = await pages.fetchNext();
    for (const document of page.resources ?? []) yield asBatchDocument(document);
  }
}

/**
 * The tips of every stream whose name starts with `prefix`: a cross-partition query read `pageSize` tips per
 * request, following the continuation as the caller consumes them.
 */
export async function* tipsWithPrefix(
  container: Container,
  prefix: string,
  pageSize: number,
): AsyncGenerator<{ p: string; n: number }> {
  const pages = container.items.query<{ p: string; n: number }>(
    {
      query: 'SELECT c.p, c.n FROM c WHERE c.id = @tip AND STARTSWITH(c.p, @prefix)',
      parameters: [
        { name: '@tip', value: tipId },
        { name: '@prefix', value: prefix },
      ],
    },
    { maxItemCount: pageSize },
  );
  while (pages.hasMoreResults()) {
    const page = await pages.fetchNext();
    yield* page.resources ?? [];
  }
}
