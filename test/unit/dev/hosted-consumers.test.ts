import type { Container } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startHostedConsumers } from '../../../src/dev/hosted-consumers.ts';
import { DevHostConfig, hostedConsumer } from '../../../src/dev/index.ts';
import { defineSummaryContract } from '../../../src/summaries/index.ts';

const contract = defineSummaryContract({
  name: 'statement-line',
  version: 1,
  topic: 'statement-lines',
  schema: z.object({ amount: z.number() }),
});

describe('the dev host’s consumers', () => {
  it('starts none with the file sink, and says why', async () => {
    const lines: string[] = [];
    const started = await startHostedConsumers(
      [hostedConsumer({ name: 'statement-ledger', contract, handle: async () => undefined })],
      DevHostConfig.parse({}),
      { deadLetters: {} as Container, parkAfterAttempts: 5, retryInitialDelayMs: 200, log: (l) => lines.push(l) },
    );
    expect(started).toEqual([]);
    expect(lines).toEqual([
      'Consumers not started (statement-ledger): they read from Kafka; set KAFKA_BROKERS or EVENTHUBS_CONNECTION_STRING.',
    ]);
  });
});
