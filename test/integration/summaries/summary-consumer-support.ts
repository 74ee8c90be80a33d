import { randomUUID } from 'node:crypto';
import { type IHeaders, Kafka, type Message, type Producer } from 'kafkajs';
import { z } from 'zod';
import {
  defineSummaryContract,
  envelopeHeaders,
  idempotencyKey,
  type SummaryKafkaConfig,
} from '../../../src/summaries/index.ts';

export const balanceSchema = z.object({ balance: z.number() });

export function balanceContract(topic: string) {
  return defineSummaryContract({ name: 'AccountBalance', version: 1, schema: balanceSchema, topic });
}

export const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A summary message as the publisher writes it (key = stream, CloudEvents headers), or a broken one. */
export function summaryMessage(
  stream: string,
  version: number,
  options: { balance?: number; contractVersion?: number; value?: string; headers?: IHeaders; partition?: number } = {},
) {
  const contractVersion = options.contractVersion ?? 1;
  const headers =
    options.headers ??
    envelopeHeaders({
      stream,
      version: BigInt(version),
      contract: 'AccountBalance',
      contractVersion,
      idempotencyKey: idempotencyKey(stream, BigInt(version), 'AccountBalance', contractVersion),
    });
  return {
    key: stream,
    value: options.value ?? JSON.stringify({ balance: options.balance ?? version * 10 }),
    headers,
    ...(options.partition === undefined ? {} : { partition: options.partition }),
  };
}

export async function startProducer(config: SummaryKafkaConfig): Promise<{
  send(topic: string, messages: Message[]): Promise<void>;
  close(): Promise<void>;
}> {
  const producer: Producer = new Kafka(config.client).producer(config.producer);
  await producer.connect();
  return {
    async send(topic, messages) {
      await producer.send({ topic, messages, ...config.send });
    },
    close: () => producer.disconnect(),
  };
}

export async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
