import { describe, expect, it } from 'vitest';
import { formatOperatorEvent, operatorEvents, type ProcessorObservation } from '../../../src/dev/operator-log.ts';

const quiet = (processor: string, owners: Record<string, string | null> = { '00-FF': 'a' }): ProcessorObservation => ({
  processor,
  owners,
  failing: [],
  stalled: [],
  parked: [],
});
const problem = (stream: string, error?: string) => ({ processor: 'p', stream, since: undefined, error });
const at = new Date('2026-01-31T12:00:00Z');

describe('the operator log', () => {
  it('reports the troubles of a processor seen for the first time', () => {
    const parked = { ...quiet('p'), parked: [problem('Account-9', 'Error: boom')] };
    expect(operatorEvents([], [parked])).toEqual([
      { event: 'parked', processor: 'p', stream: 'Account-9', error: 'Error: boom' },
    ]);
  });

  it('reports a stream that starts failing, then is parked, then recovers, once each', () => {
    const start = quiet('p');
    const failing = { ...start, failing: [problem('Account-1', 'Error: boom')] };
    const parked = { ...start, parked: [problem('Account-1', 'Error: boom')] };
    expect(operatorEvents([start], [failing])).toEqual([
      { event: 'failing', processor: 'p', stream: 'Account-1', error: 'Error: boom' },
    ]);
    expect(operatorEvents([failing], [failing])).toEqual([]);
    expect(operatorEvents([failing], [parked])).toEqual([
      { event: 'parked', processor: 'p', stream: 'Account-1', error: 'Error: boom' },
    ]);
    expect(operatorEvents([parked], [start])).toEqual([
      { event: 'recovered', processor: 'p', stream: 'Account-1', was: 'parked' },
    ]);
  });

  it('reports a lease that changes owner or is given up, taking the first look as the baseline', () => {
    expect(operatorEvents([], [quiet('p')])).toEqual([]);
    expect(operatorEvents([quiet('p')], [quiet('p', { '00-FF': null })])).toEqual([
      { event: 'lease', processor: 'p', range: '00-FF', from: 'a', to: null },
    ]);
    expect(operatorEvents([quiet('p')], [quiet('p', { '00-FF': 'b' })])).toEqual([
      { event: 'lease', processor: 'p', range: '00-FF', from: 'a', to: 'b' },
    ]);
  });

  it('writes JSON lines for collectors and text for a terminal, with stream, processor and error', () => {
    const event = {
      event: 'stalled',
      processor: 'summaries',
      stream: 'Account-2',
      error: 'KafkaJSConnectionError',
    } as const;
    expect(JSON.parse(formatOperatorEvent(event, at, true))).toEqual({ at: at.toISOString(), level: 'warn', ...event });
    expect(formatOperatorEvent(event, at, false)).toBe(
      '12:00:00 stalled    [summaries] Account-2: KafkaJSConnectionError',
    );
  });

  it('never writes a secret quoted in an error', () => {
    const error =
      'connect failed: Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=c2VjcmV0PQ==';
    const line = formatOperatorEvent({ event: 'parked', processor: 'p', stream: 'Account-3', error }, at, true);
    expect(line).not.toContain('c2VjcmV0PQ==');
    expect(line).toContain('SharedAccessKey=***');
  });
});
