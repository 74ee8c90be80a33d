import { describe, expect, it } from 'vitest';
import { createInMemoryDeadLetters, DeadLetter } from '../../../src/streams/index.ts';
import {
  type ConsumedMessage,
  eventToReceived,
  messageToEvent,
  withMessageRecords,
} from '../../../src/summaries/consumer-message.ts';

const message = (value: unknown) => ({
  key: 'Account-1',
  headers: { 'ce-subject': Buffer.from('Account-1'), list: [Buffer.from('first'), Buffer.from('second')] },
  value,
  offset: 42n,
  timestamp: new Date(0),
});

describe('a consumed message as the scheduler carries it (and a dead letter keeps it)', () => {
  it('is plain JSON: headers as text, a UTF-8 body as text', () => {
    const event = messageToEvent('t', '3', message(Buffer.from('{"balance":1}')), 7n);
    expect(JSON.parse(JSON.stringify(event.data))).toEqual({
      topic: 't',
      partition: '3',
      offset: '42',
      key: 'Account-1',
      headers: { 'ce-subject': 'Account-1', list: 'first' },
      value: '{"balance":1}',
    });
    expect(eventToReceived(recorded(event)).value).toBe('{"balance":1}');
    expect(String(eventToReceived(event).value)).toBe('{"balance":1}');
  });

  it('keeps bytes that are not UTF-8 as base64 and gives the same bytes back', () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    const event = messageToEvent('t', '0', message(bytes), 0n);
    expect((event.data as ConsumedMessage).toRecord()).toMatchObject({ value: '//4AQQ==', valueEncoding: 'base64' });
    expect(Buffer.from(eventToReceived(event).value as Buffer).equals(bytes)).toBe(true);
    const parked = eventToReceived(DeadLetter.eventFromJson(DeadLetter.eventToJson(recorded(event))));
    expect(Buffer.from(parked.value as Buffer).equals(bytes)).toBe(true);
    expect(Buffer.from(parked.recorded().value as Buffer).equals(bytes)).toBe(true);
    expect(eventToReceived(event).recorded().value).toBe(bytes);
  });

  it('is read as it came until parked: a dead letter then keeps each message as plain JSON, its own', async () => {
    const first = messageToEvent('t', '1', message(Buffer.from('{"balance":1}')), 3n);
    const second = messageToEvent('t', '1', { ...message(Buffer.from('{"balance":2}')), offset: 43n }, 4n);
    expect(eventToReceived(first).headers).toMatchObject({ 'ce-subject': Buffer.from('Account-1') });
    const store = createInMemoryDeadLetters();
    await withMessageRecords(store).put({
      id: DeadLetter.id('c', 'Account-1'),
      stream: 'Account-1',
      processor: 'c',
      error: { name: 'Error', message: 'boom' },
      reason: 'failed',
      events: [first, second].map(DeadLetter.eventToJson),
      malformed: [],
      attempts: 5,
      parkedAt: new Date(0).toISOString(),
    });
    const [letter] = await store.list('c');
    expect(letter?.events.map((event) => event.data)).toEqual([
      {
        topic: 't',
        partition: '1',
        offset: '42',
        key: 'Account-1',
        headers: { 'ce-subject': 'Account-1', list: 'first' },
        value: '{"balance":1}',
      },
      {
        topic: 't',
        partition: '1',
        offset: '43',
        key: 'Account-1',
        headers: { 'ce-subject': 'Account-1', list: 'first' },
        value: '{"balance":2}',
      },
    ]);
    const replayed = eventToReceived(DeadLetter.eventFromJson(letter!.events[1]!));
    expect(replayed.source).toEqual({ topic: 't', partition: '1', position: '43' });
    expect(replayed.offset).toBe(43);
    expect(replayed.value).toBe('{"balance":2}');
  });
});

/** the event as a dead letter would keep it: its data as plain JSON */
function recorded(event: ReturnType<typeof messageToEvent>) {
  return { ...event, data: (event.data as ConsumedMessage).toRecord() };
}
