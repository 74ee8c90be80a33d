import type { SqlParameter } from '@azure/cosmos';
import type { StreamSpan } from '../core/index.ts';
import type { ChangeFeedHandler, HandlerOutcome } from '../streams/index.ts';
import { type ActiveVersionPointer, activeVersionPointer } from './active-version.ts';
import { type ProjectionDefinition, parseProjectionDefinition } from './definition.ts';
import { InvalidProjection, ViewWriteConflicts } from './errors.ts';
import { isCosmosStatus, partitionKeys } from './partition-key.ts';
import { checkViewDocument, permanentWriteFailure } from './view-checks.ts';
import { unappliedEvents, type ViewDocument, versionAfter, viewId, viewSet } from './view-document.ts';
import { inViewWriteSpan } from './view-write-span.ts';

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

/** Maps streams' events onto view documents, idempotently (see `ViewDocument`), with ETag-guarded writes. */
export function createProjection<V>(definition: ProjectionDefinition<V>): Projection<V> {
  const settings = parseProjectionDefinition(definition);
  const { name, version, container, apply, viewKey, maxWriteAttempts, maxViewBytes } = settings;
  const keyOf = partitionKeys(container);
  const pointer = activeVersionPointer(container, name);
  const set = viewSet(name, version);
  const counters = { writes: 0, conflicts: 0, alreadyApplied: 0, reads: 0 };
  const cache = new Map<string, ViewDocument<V>>();
  const cacheLimit = settings.cachedViews;
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

  const categories = settings.categories ? new Set(settings.categories) : undefined;

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
        const { resource: written } = await inViewWriteSpan(
          name,
          container.id,
          key,
          current ? 'replace' : 'create',
          () =>
            current
              ? keyOf({ ...next }).then((partitionKey) =>
                  container
                    .item(next.id, partitionKey)
                    .replace(next, { accessCondition: { type: 'IfMatch', condition: current._etag ?? '' } }),
                )
              : container.items.create(next),
        );
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
      if (!options?.evenIfActive && (await pointer.read()) === atVersion) {
        throw new InvalidProjection(`deleteViews of projection ${name}`, [
          `version ${atVersion} is the active one; activate another first, or pass evenIfActive`,
        ]);
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
