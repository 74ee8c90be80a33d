import type { Container } from '@azure/cosmos';
import { isCosmosStatus, partitionKeys } from './partition-key.ts';

/**
 * Which version of a projection readers use. One small document per projection in the views container; a version
 * being rebuilt writes its own view set, and readers move over only when the pointer is switched.
 */
export interface ActiveVersionDocument {
  id: string;
  set: string;
  projection: string;
  key: string;
  activeVersion: number;
  switchedAt: string;
  _etag?: string;
}

const pointerSet = '~active';

export function activeVersionId(projection: string): string {
  return `${pointerSet}:${projection}`;
}

export interface ActiveVersionPointer {
  /** the active version, or undefined when none was ever activated */
  read(): Promise<number | undefined>;
  /** makes `version` active (ETag-guarded; a concurrent switch is retried) */
  switchTo(version: number): Promise<void>;
  /** makes `version` active only when no version is active yet; returns the active version */
  initialize(version: number): Promise<number>;
}

export function activeVersionPointer(container: Container, projection: string): ActiveVersionPointer {
  const keyOf = partitionKeys(container);
  const id = activeVersionId(projection);
  const document = (version: number): ActiveVersionDocument => ({
    id,
    set: pointerSet,
    projection,
    key: projection,
    activeVersion: version,
    switchedAt: new Date().toISOString(),
  });

  const readDocument = async (): Promise<ActiveVersionDocument | undefined> => {
    const shape = document(0);
    try {
      const { resource } = await container.item(id, await keyOf({ ...shape })).read<ActiveVersionDocument>();
      return resource ?? undefined;
    } catch (error) {
      if (isCosmosStatus(error, 404)) return undefined;
      throw error;
    }
  };

  return {
    async read() {
      return (await readDocument())?.activeVersion;
    },
    async switchTo(version) {
      for (;;) {
        const current = await readDocument();
        try {
          if (!current) await container.items.create(document(version));
          else {
            await container
              .item(id, await keyOf({ ...current }))
              .replace(document(version), { accessCondition: { type: 'IfMatch', condition: current._etag ?? '' } });
          }
          return;
        } catch (error) {
          if (!isCosmosStatus(error, 409, 412)) throw error;
        }
      }
    },
    async initialize(version) {
      for (;;) {
        const current = await readDocument();
        if (current) return current.activeVersion;
        try {
          await container.items.create(document(version));
          return version;
        } catch (error) {
          if (!isCosmosStatus(error, 409)) throw error;
        }
      }
    },
  };
}
