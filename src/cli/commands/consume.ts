import { randomUUID } from 'node:crypto';
import type { Command } from '../command.ts';
import type { TextSink } from '../context.ts';
import { UsageError } from '../usage-error.ts';

export const consumeCommand: Command = {
  name: 'consume',
  summary: 'Print the summaries a topic carries as they arrive (stream, version, contract, body).',
  description:
    'Reads a summary topic (an event hub) and prints one line per message: where it was, the stream and its version,\n' +
    'the contract, and the body. Messages that are not summaries are printed too, marked as such. It commits nothing\n' +
    "unless --group is given, so a look does not move anyone's offsets. Connects to $KAFKA_BROKERS (host:port,...) or\n" +
    'the Event Hubs namespace of $EVENTHUBS_CONNECTION_STRING (Kafka endpoint). Stops on Ctrl-C.',
  positionals: [{ name: 'topic', required: true, description: 'The topic (event hub) to read.' }],
  options: {
    'from-beginning': {
      type: 'boolean',
      description: 'Start at the oldest retained message (default: only new ones).',
    },
    group: {
      type: 'string',
      valueName: '<group>',
      description: 'Read as this consumer group and commit what was printed (default: a throwaway group).',
    },
    brokers: { type: 'string', valueName: '<host:port,...>', description: 'Kafka brokers (default: $KAFKA_BROKERS).' },
    'max-messages': { type: 'string', valueName: '<n>', description: 'Stop after printing this many messages.' },
    json: { type: 'boolean', description: 'Print one JSON object per message.' },
  },
  examples: ['tributary consume account-summaries --from-beginning', 'tributary consume statement-lines --json'],
  async run(args, context) {
    const topic = args.positionals[0]!;
    const maxText = args.values['max-messages'];
    const maxMessages = typeof maxText === 'string' ? Number(maxText) : Number.POSITIVE_INFINITY;
    if (!(maxMessages > 0) || (typeof maxText === 'string' && !/^\d+$/.test(maxText)))
      throw new UsageError(
        `--max-messages must be a positive whole number, not ${String(maxText)}.`,
        context.commandPath,
      );
    const { kafkaConfigFromBrokers, kafkaConfigFromEventHubsConnectionString, parseEnvelope } = await import(
      '../../summaries/index.ts'
    );
    const brokers = typeof args.values.brokers === 'string' ? args.values.brokers : context.io.env.KAFKA_BROKERS;
    const connectionString = context.io.env.EVENTHUBS_CONNECTION_STRING;
    const silent = { log: () => undefined };
    const config = brokers
      ? kafkaConfigFromBrokers(
          brokers.split(',').map((broker) => broker.trim()),
          silent,
        )
      : connectionString
        ? kafkaConfigFromEventHubsConnectionString(connectionString, silent)
        : undefined;
    if (config === undefined)
      throw new UsageError(
        'Say where the topic is: --brokers host:port, $KAFKA_BROKERS, or $EVENTHUBS_CONNECTION_STRING.',
        context.commandPath,
      );
    const group = typeof args.values.group === 'string' ? args.values.group : undefined;
    const { Kafka } = await import('kafkajs');
    const consumer = new Kafka(config.client).consumer({
      ...config.consumer,
      groupId: group ?? `tributary-consume-${randomUUID()}`,
    });
    const out = context.io.stdout;
    const json = args.values.json === true;
    let printed = 0;
    let finish: (reason: string) => void = () => undefined;
    const finished = new Promise<string>((resolve) => {
      finish = resolve;
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: args.values['from-beginning'] === true });
      await consumer.run({
        autoCommit: group !== undefined,
        eachMessage: async ({ partition, message }) => {
          if (printed >= maxMessages) return;
          const envelope = parseEnvelope(message.headers);
          const where = `${partition}@${message.offset}`;
          const body = message.value?.toString('utf8') ?? '';
          printLine(out, json, where, envelope, message.key?.toString('utf8'), body);
          printed++;
          if (printed >= maxMessages) finish('enough');
        },
      });
      context.io.stderr.write(`Reading ${topic}${group ? ` as group ${group}` : ''}; Ctrl-C stops.\n`);
      await Promise.race([finished, context.io.waitForInterrupt()]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      context.io.stderr.write(`Could not read ${topic}: ${config.redact(message)}\n`);
      return 1;
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
    return 0;
  },
};

function printLine(
  out: TextSink,
  json: boolean,
  where: string,
  envelope: ReturnType<typeof import('../../summaries/index.ts').parseEnvelope>,
  key: string | undefined,
  body: string,
) {
  if (json) {
    const parsed = parseJson(body);
    out.write(
      `${JSON.stringify({
        partition: Number(where.split('@')[0]),
        offset: where.split('@')[1],
        ...(envelope
          ? {
              stream: envelope.stream,
              version: envelope.version.toString(),
              contract: envelope.contract,
              contractVersion: envelope.contractVersion,
            }
          : { key: key ?? null, summary: false }),
        body: parsed.ok ? parsed.value : body,
      })}\n`,
    );
    return;
  }
  if (envelope)
    out.write(
      `${where} ${envelope.stream}@${envelope.version} ${envelope.contract} v${envelope.contractVersion} ${body}\n`,
    );
  else out.write(`${where} (not a summary; key ${key ?? 'none'}) ${body}\n`);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
