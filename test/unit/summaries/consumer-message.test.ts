import { describe, expect, it } from 'vitest';
import { eventToReceived, messageToEvent } from '../../../src/summaries/consumer-message.ts';

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
    expect(eventToReceived(event).value).toBe('{"balance":1}');
  });

  it('keeps bytes that are not UTF-8 as base64 and gives the same bytes back', () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    const event = messageToEvent('t', '0', message(bytes), 0n);
    expect(event.data).toMatchObject({ valueEncoding: 'base64' });
    expect(Buffer.from(eventToReceived(event).value as Buffer).equals(bytes)).toBe(true);
  });
});
