import { type ApiRequest, feedBody, header, pageSize, type Reply } from './api.ts';
import { type FeedStart, inScope, readChangeFeed } from './change-feed.ts';
import { changeJson, readHistory } from './change-history.ts';
import type { ContainerState } from './container.ts';
import { badRequest } from './errors.ts';
import { feedDocumentJson } from './feed-document.ts';
import { addressedScope } from './request-scope.ts';

// The change-feed routes: latest version, and all versions and deletes.

/** Change-feed pages default to this many documents when the client does not say (`x-ms-max-item-count`). */
const DEFAULT_FEED_PAGE = 1000;

function feedStart(request: ApiRequest): FeedStart {
  const ifNoneMatch = header(request, 'if-none-match');
  if (ifNoneMatch === '*') return { kind: 'now' };
  if (ifNoneMatch !== undefined && ifNoneMatch !== '') {
    const lsn = Number(ifNoneMatch.replace(/"/g, ''));
    if (!Number.isInteger(lsn) || lsn < 0) throw badRequest(`The change feed continuation ${ifNoneMatch} is invalid.`);
    return { kind: 'continuation', lsn };
  }
  const since = header(request, 'if-modified-since');
  if (since !== undefined) {
    const at = Date.parse(since);
    if (Number.isNaN(at)) throw badRequest(`If-Modified-Since ${since} is not a valid date.`);
    return { kind: 'time', at };
  }
  return { kind: 'beginning' };
}

/** The latest-version change feed. */
export function changeFeed(request: ApiRequest, container: ContainerState): Reply {
  const scope = addressedScope(request, container);
  const page = readChangeFeed(
    container,
    scope,
    feedStart(request),
    pageSize(request, DEFAULT_FEED_PAGE, DEFAULT_FEED_PAGE),
  );
  const range = scope.ranges.length === 1 ? scope.ranges[0]! : undefined;
  const headers = {
    etag: `"${page.continuationLsn}"`,
    lsn: String(container.lsn),
    // As the service does: the range's session token ends with its newest LSN (what lag estimators read).
    ...(range
      ? {
          'x-ms-documentdb-partitionkeyrangeid': range.id,
          'x-ms-session-token': `${range.id}:-1#${range.log.at(-1)?.lsn ?? container.lsn}`,
        }
      : {}),
  };
  // A 304 must carry the etag too: without it the SDK would restart the range from the beginning.
  if (page.documents.length === 0) return { status: 304, headers };
  return {
    status: 200,
    headers: { ...headers, 'x-ms-item-count': String(page.documents.length) },
    body: feedBody(container.rid, 'Documents', page.documents.map(feedDocumentJson)),
    documentsRead: page.documents.length,
  };
}

/** The "all versions and deletes" change feed: every change kept by the container's retention, from now or later. */
export function allVersionsFeed(request: ApiRequest, container: ContainerState): Reply {
  const since = container.historyStartLsn();
  if (since === undefined) {
    throw badRequest(
      `The all versions and deletes change feed of container ${container.id} needs a change feed policy with a retention (changeFeedPolicy.retentionDuration in minutes).`,
    );
  }
  const scope = addressedScope(request, container);
  const start = feedStart(request);
  if (start.kind === 'beginning' || start.kind === 'time') {
    throw badRequest(
      'The all versions and deletes change feed starts only from now or from a continuation, not from the beginning or a point in time.',
    );
  }
  const afterLsn = start.kind === 'now' ? container.lsn : start.lsn;
  if (afterLsn < since) {
    throw badRequest(
      `The change feed continuation at LSN ${afterLsn} is outside the retention of container ${container.id} (changes are kept from LSN ${since + 1}): start from now.`,
    );
  }
  const changes = readHistory(
    scope.ranges.map((range) => range.history),
    afterLsn,
    pageSize(request, DEFAULT_FEED_PAGE, DEFAULT_FEED_PAGE),
    (change) => inScope(change.partition, scope),
  );
  const continuationLsn = changes.length > 0 ? changes[changes.length - 1]!.lsn : Math.max(afterLsn, container.lsn);
  const headers = {
    etag: `"${continuationLsn}"`,
    lsn: String(container.lsn),
    ...(scope.ranges.length === 1 ? { 'x-ms-documentdb-partitionkeyrangeid': scope.ranges[0]!.id } : {}),
  };
  if (changes.length === 0) return { status: 304, headers };
  const keyPaths = container.partitionKey.paths;
  return {
    status: 200,
    headers: { ...headers, 'x-ms-item-count': String(changes.length) },
    body: feedBody(
      container.rid,
      'Documents',
      changes.map((change) => changeJson(change, keyPaths)),
    ),
    documentsRead: changes.length,
  };
}
