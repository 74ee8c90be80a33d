import type { ContainerState, Json, StoredDocument } from './container.ts';
import type { AccountRecord, WrittenDocument } from './records.ts';
import { journalKey } from './records.ts';
import { ridBytes, stripSystem } from './resource-definitions.ts';

/** A database of the emulated account: its body and its containers by id. */
export interface DatabaseState {
  body: Json;
  containers: Map<string, ContainerState>;
}

/** The whole state as records (a snapshot), documents in LSN order per container. */
export function* snapshotRecords(databases: Iterable<DatabaseState>): Generator<AccountRecord> {
  for (const database of databases) {
    const rid = ridBytes(database.body._rid as string).readUInt32BE(0);
    yield { t: 'db', body: { id: database.body.id }, rid };
    for (const container of database.containers.values()) {
      yield {
        t: 'coll',
        db: database.body.id as string,
        body: stripSystem(container.definition),
        rid: ridBytes(container.rid).readUInt32BE(4),
        ranges: container.ranges.map(({ id, min, max, parents }) => ({ id, min, max, parents })),
        gone: [...container.goneRanges],
        nextRangeId: container.nextRangeId,
        lsn: container.lsn,
        at: container.lastWriteAt,
        seq: container.documentSequence,
      };
      const documents: StoredDocument[] = [];
      for (const partition of container.partitions.values()) documents.push(...partition.documents.values());
      documents.sort((a, b) => a.lsn - b.lsn);
      for (let i = 0; i < documents.length; ) {
        const lsn = documents[i]!.lsn;
        const docs: WrittenDocument[] = [];
        let now = 0;
        for (; i < documents.length && documents[i]!.lsn === lsn; i++) {
          const document = documents[i]!;
          now = document.writtenAt;
          docs.push({
            k: journalKey(document.partition.components),
            id: document.id,
            json: document.json,
            etag: document.etag,
            rid: document.rid,
            at: document.writtenAt,
          });
        }
        yield {
          t: 'w',
          db: database.body.id as string,
          c: container.id,
          lsn,
          now,
          seq: container.documentSequence,
          docs,
        };
      }
    }
  }
}

/** Applies a journaled document write to a container (when replaying the journal on start). */
export function replayWrite(container: ContainerState, lsn: number, now: number, docs: WrittenDocument[]): void {
  const changes = new Map<
    string,
    { partition: ReturnType<ContainerState['partition']>; id: string; document: StoredDocument | null }
  >();
  for (const written of docs) {
    const components = written.k.map((component) =>
      component !== null && typeof component === 'object' ? undefined : component,
    );
    const partition = container.partition(components);
    let document: StoredDocument | null = null;
    if (written.json !== null) {
      const { etag, rid } =
        written.etag !== undefined && written.rid !== undefined
          ? { etag: written.etag, rid: written.rid }
          : (() => {
              const body = JSON.parse(written.json) as Json;
              return { etag: body._etag as string, rid: body._rid as string };
            })();
      document = {
        id: written.id,
        partition,
        // Journals written before `_lsn` left the stored body still carry it last.
        json: written.json.replace(/,"_lsn":\d+}$/, '}'),
        etag,
        rid,
        lsn,
        writtenAt: written.at ?? now,
        superseded: false,
      };
    }
    changes.set(`${partition.key}\u0000${written.id}`, { partition, id: written.id, document });
  }
  container.apply(changes);
  container.lsn = Math.max(container.lsn, lsn);
  container.lastWriteAt = Math.max(container.lastWriteAt, now);
}
