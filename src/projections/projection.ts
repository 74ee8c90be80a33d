import type { Container, SqlParameter } from '@azure/cosmos';
import type { StreamSpan, TimelineEvent } from '../core/index.ts';
import type { ChangeFeedHandler, HandlerOutcome } from '../streams/index.ts';
import { type ActiveVersionPointer, activeVersionPointer } from './active-version.ts';
import { InvalidProjection, ViewWriteConflicts } from './errors.ts';
import { isCosmosStatus, partitionKeys } from './partition-key.ts';
import { checkViewDocument, defaultMaxViewBytes, permanentWriteFailure } from './view-checks.ts';
import { unappliedEvents, type ViewDocument, versionAfter, viewId, viewSet } from './view-document.ts';

export interface ProjectionDefinition<V> {
  /** names the projection's view set and its processor; letters, digits, "_", "." and "-" */
  readonly name: string;
  /** bump it when `apply` changes meaning: the new version rebuilds into a fresh view set from the beginning */
  readonly version: number;
  /** the views container (`ContainerNames.views`) or one you name */
  readonly container: Container;
  /** only streams of these categories are projected; others are acknowledged untouched. Default: all streams */
  readonly categories?: readonly string[];
  /** which view a stream's events go to; default: one view per stream, keyed by the stream name */
  readonly viewKey?: (stream: string) => string;
  /**
   * Folds new events of `stream` into the view (`undefined` when the view does not exist yet). Called only with
   * events the view has not applied; it may be called again with the same events if the write lost a race, so it must
   * be pure (no side effects — those belong in a reactor).
   */
  readonly apply: (view: V | undefined, events: readonly TimelineEvent[], stream: string) => V | Promise<V>;
  /** ETag conflicts tolerated per span before the span fails (and is retried by the scheduler); default 20 */
  readonly maxWriteAttempts?: number;
  /**
   * Views kept in memory with their ETag, so that the next span of a stream writes without reading the view first
   * (a stale copy — another instance wrote meanwhile — fails its `If-Match` and is read again). Default 1,000; 0 = off.
   */
  readonly cachedViews?: number;
  /**
   * The largest view document, in bytes of JSON, written (default 2,000,000: a Cosmos DB item is at most 2 MB). A
   * larger one fails the span with the permanent `ViewTooLarge` before anything is sent.
   */
  readonly maxViewBytes?: number;
}

export interface ViewQuery {
  /** a condition over the view document `c` (the view itself is `c.view`), e.g. `c.view.balance > @min` */
  readonly where?: string;
  readonly parameters?: readonly SqlParameter[];
  /** read a version other than the active one (e.g. the one being rebuilt) */
  readonly version?: number;
}

/**
 * A change-feed handler (`runProjection(projection, …)`) whose `processorName` names this version: a new version gets
 * new leases, so it starts from the beginning.
 */
export interface Projection<V> extends ChangeFeedHandler {
  readonly version: number;
  /** the view of `key` in the active version (or `options.version`) */
  read(key: string, options?: { version?: number }): Promise<V | undefined>;
  /** the stored view document, with the versions it applied per source stream */
  readDocument(key: string, options?: { version?: number }): Promise<ViewDocument<V> | undefined>;
  /** every view of the active version (or `query.version`) matching `query.where` */
  query(query?: ViewQuery): Promise<ViewDocument<V>[]>;
  /** the version readers use: the one last activated, or this version if none ever was */
  activeVersion(): Promise<number>;
  /** makes this version the one readers use */
  activate(): Promise<void>;
  /**
   * Deletes every view of a version (default: this one) and returns how many. For cleaning up the old set after a
   * switch-over, or — with the processor's checkpoints reset and its processes restarted (they cache views) —
   * rebuilding a version in place. Refuses the active version unless `evenIfActive` (readers then see no views).
   */
  deleteViews(options?: { version?: number; evenIfActive?: boolean }): Promise<number>;
  /** the projection's active-version document */
  readonly pointer: ActiveVersionPointer;
  /** counters of this process: views read and written, ETag conflicts retried, spans found already applied */
  stats(): {
    readonly reads: number;
    readonly writes: number;
    readonly conflicts: number;
    readonly alreadyApplied: number;
  };
}

const namePattern = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** Maps streams' events onto view documents, idempotently (see `ViewDocument`), with ETag-guarded writes. */
export function createProjection<V>(definition: ProjectionDefinition<V>): Projection<V> {
  const { name, version, container, apply } = definition;
  if (!namePattern.test(name)) {
    throw new InvalidProjection(
      `Projection name ${JSON.stringify(name)} must start with a letter and hold only letters, digits, "_", "." or "-".`,
    );
  }
  if (!Number.isInteger(version) || version < 1) {
    throw new InvalidProjection(`Projection ${name} has version ${version}; expected an integer ≥ 1.`);
  }
  const viewKey = definition.viewKey ?? ((stream: string) => stream);
  const maxWriteAttempts = definition.maxWriteAttempts ?? 20;
  const maxViewBytes = definition.maxViewBytes ?? defaultMaxViewBytes;
  const keyOf = partitionKeys(container);
  const pointer = activeVersionPointer(container, name);
  const set = viewSet(name, version);
  const counters = { writes: 0, conflicts: 0, alreadyApplied: 0, reads: 0 };
  const cache = new Map<string, ViewDocument<V>>();
  const cacheLimit = definition.cachedViews ?? 1_000;
  const remember = (key: string, document: ViewDocument<V> | undefined) => {
    cache.delete(key);
    if (document === undefined || cacheLimit === 0) return;
    cache.set(key, document);
    if (cache.size > cacheLimit) cache.delete(cache.keys().next().value as string);
  };

  const readDocumentIn = async (atVersion: number, key: string): Promise<ViewDocument<V> | undefined> => {
    const id = viewId(name, atVersion, key);
    const shape = { id, set: viewSet(name, atVersion), projection: name, key };
    try {
      const { resource } = await container.item(id, await keyOf(shape)).read<ViewDocument<V>>();
      return resource ?? undefined;
    } catch (error) {
      if (isCosmosStatus(error, 404)) return undefined;
      throw error;
    }
  };

  const categories = definition.categories ? new Set(definition.categories) : undefined;

  const handle = async (span: StreamSpan): Promise<HandlerOutcome> => {
    if (categories && !categories.has(span.stream.slice(0, span.stream.indexOf('-')))) return undefined;
    const key = viewKey(span.stream);
    for (let attempt = 1; attempt <= maxWriteAttempts; attempt++) {
      const cached = attempt === 1 ? cache.get(key) : undefined;
      if (!cached) counters.reads += 1;
      const current = cached ?? (await readDocumentIn(version, key));
      const events = unappliedEvents(current?.versions, span);
      if (events.length === 0) {
        counters.alreadyApplied += 1;
        const applied = BigInt(current?.versions[span.stream] ?? 0);
        return { kind: 'handled', nextIndex: applied > span.index ? applied : span.index + BigInt(span.events.length) };
      }
      const next: ViewDocument<V> = {
        id: viewId(name, version, key),
        set,
        projection: name,
        projectionVersion: version,
        key,
        versions: { ...current?.versions, [span.stream]: versionAfter(current?.versions, span.stream, events) },
        view: await apply(current?.view, events, span.stream),
        updatedAt: new Date().toISOString(),
      };
      const bytes = checkViewDocument(next, maxViewBytes);
      try {
        const { resource: written } = current
          ? await container
              .item(next.id, await keyOf({ ...next }))
              .replace(next, { accessCondition: { type: 'IfMatch', condition: current._etag ?? '' } })
          : await container.items.create(next);
        remember(key, written ? (written as ViewDocument<V>) : undefined);
        counters.writes += 1;
        return { kind: 'handled', nextIndex: BigInt(next.versions[span.stream] ?? 0) };
      } catch (error) {
        remember(key, undefined);
        const permanent = permanentWriteFailure(error, next, bytes);
        if (permanent) throw permanent;
        // 412: the view changed since it was read; 409: another writer created it first; 404: a cached view was
        // deleted. Read again and re-apply.
        if (!isCosmosStatus(error, 404, 409, 412)) throw error;
        counters.conflicts += 1;
      }
    }
    throw new ViewWriteConflicts(name, key, maxWriteAttempts);
  };

  const activeVersion = async () => (await pointer.read()) ?? version;

  return {
    name,
    version,
    processorName: `projection-${set}`,
    handle,
    async read(key, options) {
      return (await readDocumentIn(options?.version ?? (await activeVersion()), key))?.view;
    },
    async readDocument(key, options) {
      return readDocumentIn(options?.version ?? (await activeVersion()), key);
    },
    async query(query = {}) {
      const atVersion = query.version ?? (await activeVersion());
      const where = query.where ? ` AND (${query.where})` : '';
      const { resources } = await container.items
        .query<ViewDocument<V>>({
          query: `SELECT * FROM c WHERE c["set"] = @set${where}`,
          parameters: [{ name: '@set', value: viewSet(name, atVersion) }, ...(query.parameters ?? [])],
        })
        .fetchAll();
      return resources;
    },
    activeVersion,
    activate: () => pointer.switchTo(version),
    async deleteViews(options) {
      const atVersion = options?.version ?? version;
      if ((await pointer.read()) === atVersion) {
        throw new InvalidProjection(
          `Version ${atVersion} of projection ${name} is the active one; activate another first.`,
        );
      }
      if (atVersion === version) cache.clear();
      const { resources } = await container.items
        .query<{ id: string; key: string }>({
          query: 'SELECT c.id, c.key FROM c WHERE c["set"] = @set',
          parameters: [{ name: '@set', value: viewSet(name, atVersion) }],
        })
        .fetchAll();
      for (const view of resources) {
        const shape = { id: view.id, set: viewSet(name, atVersion), projection: name, key: view.key };
        try {
          await container.item(view.id, await keyOf(shape)).delete();
        } catch (error) {
          if (!isCosmosStatus(error, 404)) throw error;
        }
      }
      return resources.length;
    },
    pointer,
    stats: () => ({ ...counters }),
  };
}
