import type { Container } from '@azure/cosmos';

type ReadInternal = (...args: unknown[]) => Promise<unknown>;

const shared = new WeakMap<Container, Container>();

/**
 * The monitored container as the change-feed iterators should see it: the SDK's iterator reads the container
 * (`readInternal`) on its first page of every range, only to learn its `_rid` — one request per lease acquired and
 * per lag estimate. This handle reads it once and shares the answer (a failed read is not kept). The same handle is
 * returned for the same container, so repeated lag estimates pay it once too.
 *
 * It relies on the SDK's internal `readInternal`: where a future SDK no longer has it, the container is returned
 * as is and every iterator reads the container again (slower start, same behaviour).
 */
export function feedContainer(container: Container): Container {
  const known = shared.get(container);
  if (known !== undefined) return known;
  const handle = sameContainer(container);
  const original = (handle as unknown as { readInternal?: ReadInternal }).readInternal;
  if (handle === container || typeof original !== 'function') return container;
  let read: Promise<unknown> | undefined;
  (handle as unknown as { readInternal: ReadInternal }).readInternal = (...args) => {
    read ??= original.apply(handle, args).catch((error: unknown) => {
      read = undefined;
      throw error;
    });
    return read;
  };
  shared.set(container, handle);
  return handle;
}

/** A second handle on the same container (the user's own object is left untouched); itself when none can be made. */
function sameContainer(container: Container): Container {
  const database = (container as Partial<Container>).database;
  if (typeof database?.container !== 'function') return container;
  return database.container(container.id);
}
