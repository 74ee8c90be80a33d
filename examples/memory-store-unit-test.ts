import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Category, defineCodec, defineDecider, type EventOf, StaleExpectedVersion } from 'tributary-cosmos';
import { createMemoryStore } from 'tributary-cosmos/testing';
import { z } from 'zod';

// The code under test: books seats on a flight of 10, never overbooking; any category will do.
const codec = defineCodec({ Booked: z.object({ seats: z.number().int().positive() }) });
type Event = EventOf<typeof codec>;
const flight = defineDecider<{ seats: number }, Event, number>({
  initial: 0,
  evolve: (booked, event) => booked + event.data.seats,
  decide: (command, booked) =>
    booked + command.seats > 10 ? [] : [{ type: 'Booked', data: { seats: command.seats } }],
});
const book = (flights: Category<Event, number>, id: string, seats: number, requestId: string) =>
  flights.transact(id, (booked) => flight.decide({ seats }, booked), { commandId: requestId });

// The unit test: the same category API as createCosmosStore(...).category(...), in memory.
test('books once per request id and never overbooks', async () => {
  const flights = createMemoryStore().category({ name: 'Flight', codec, fold: flight });
  assert.equal((await book(flights, 'TB1', 6, 'req-1')).version, 1n);
  assert.equal((await book(flights, 'TB1', 6, 'req-1')).duplicate, true); // a retried request
  assert.equal((await book(flights, 'TB1', 6, 'req-2')).appended, 0); // 12 > 10 seats
  assert.equal(await flights.query('TB1', (booked) => booked), 6);
  const stale = flights.transact('TB1', () => [{ type: 'Booked', data: { seats: 1 } }], { expectedVersion: 0n });
  await assert.rejects(stale, StaleExpectedVersion);
});
