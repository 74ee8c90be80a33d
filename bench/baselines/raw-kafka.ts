import { CompressionTypes, type IHeaders, Kafka } from 'kafkajs';

/** A message as both sides publish it: key = stream name, JSON value, string headers. */
export interface PlainMessage {
  readonly key: string;
  readonly value: string;
  readonly headers: IHeaders;
}

/**
 * The baseline publisher: a bare kafkajs producer sending the same messages, in batches of `batchSize`, with the same
 * durability and compression as Tributary's publisher (acks = all, gzip), one request in flight. Returns messages/s
 * and this process's CPU time (µs, user + system) over the same span, timed from the first batch (connection and
 * topic creation happen before).
 */
export async function produceRaw(
  brokers: readonly string[],
  topic: string,
  messages: readonly PlainMessage[],
  batchSize: number,
  /** builds message `k` inside the clock (the work any producer does to serialize it); default: `messages[k]` as is */
  build?: (k: number) => PlainMessage,
): Promise<{ readonly perSecond: number; readonly cpuMicros: number }> {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers: [...brokers], logLevel: 0 });
  const producer = kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: true });
  await producer.connect();
  try {
    // create the topic and learn its leaders before the clock starts, as the other side does
    await producer.send({ topic, acks: -1, messages: [{ key: 'warmup', value: '{}' }] });
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let from = 0; from < messages.length; from += batchSize) {
      await producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.GZIP,
        messages: messages.slice(from, from + batchSize).map((m, offset) => {
          const built = build === undefined ? m : build(from + offset);
          return { key: built.key, value: built.value, headers: built.headers };
        }),
      });
    }
    const perSecond = messages.length / ((performance.now() - started) / 1000);
    const { user, system } = process.cpuUsage(cpu);
    return { perSecond, cpuMicros: user + system };
  } finally {
    await producer.disconnect();
  }
}
