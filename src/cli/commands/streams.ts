import { InvalidStreamName, StreamName } from '../../core/index.ts';
import type { AsOf } from '../../store/as-of.ts';
import { appOption, appToHost } from '../app-option.ts';
import type { Command } from '../command.ts';
import { connectionOptions, withConnection } from '../connection.ts';
import { acceptedTimes, describeStart, parseTime } from '../time-option.ts';
import { UsageError } from '../usage-error.ts';

/** A stream name from the command line: a malformed one is a usage error (exit 2), found before connecting. */
function streamArgument(text: string, commandPath: string): string {
  try {
    return StreamName.parse(text);
  } catch (error) {
    if (error instanceof InvalidStreamName) throw new UsageError(error.message, commandPath);
    throw error;
  }
}

/** `--at`: a version (digits) or a time in the forms `parseTime` reads; anything else is a usage error. */
function asOfArgument(text: string, commandPath: string): AsOf {
  if (/^\d+$/.test(text)) return { version: BigInt(text) };
  const time = parseTime(text, new Date());
  if (time === undefined) {
    throw new UsageError(
      `--at ${JSON.stringify(text)} is neither a version (a whole number ≥ 0) nor a time: use ${acceptedTimes}.`,
      commandPath,
    );
  }
  return { time };
}

const jsonOption = { json: { type: 'boolean', description: 'Print one JSON object per line.' } } as const;

export const streamsCommand: Command = {
  name: 'streams',
  summary: 'List the streams of a category, with their versions.',
  positionals: [{ name: 'category', required: true, description: 'the category, e.g. Account' }],
  options: { ...connectionOptions, ...jsonOption },
  examples: ['tributary streams Account', 'tributary streams Transfer --json'],
  async run(args, context) {
    const category = args.positionals[0]!;
    // A category is what precedes the first "-" of a stream name, so it is a valid stream name's category.
    if (category.includes('-') || StreamName.tryParse(`${category}-1`) === undefined) {
      throw new UsageError(
        `"${category}" is not a category: it starts with a letter and holds only letters, digits, "_" or "." ` +
          '(the part of a stream name before the first "-", e.g. Account).',
        context.commandPath,
      );
    }
    const { listStreams } = await import('../stream-reading.ts');
    await withConnection(args, context, async (connection) => {
      const streams = await listStreams(connection, category);
      for (const stream of streams) {
        context.io.stdout.write(
          args.values.json
            ? `${JSON.stringify({ stream: stream.stream, version: Number(stream.version) })}\n`
            : `${stream.stream}  version ${stream.version}\n`,
        );
      }
      if (!args.values.json) context.io.stderr.write(`${streams.length} stream(s) in category ${category}.\n`);
    });
    return 0;
  },
};

export const dumpCommand: Command = {
  name: 'dump',
  summary: 'Print the events of a stream (and its unfolds).',
  positionals: [{ name: 'stream', required: true, description: 'the stream name, e.g. Account-42' }],
  options: {
    ...connectionOptions,
    ...jsonOption,
    from: { type: 'string', valueName: '<version>', description: 'First version to print (default 0).' },
    at: {
      type: 'string',
      valueName: '<version|time>',
      description:
        "Print the stream's state as of a version (its first N events) or a time, folded by the app (--app) " +
        `instead of the events. Times: ${acceptedTimes}.`,
    },
    ...appOption,
  },
  examples: [
    'tributary dump Account-42',
    'tributary dump Account-42 --json | jq .data',
    'tributary dump Account-42 --at 3',
    'tributary dump Account-42 --at 2026-01-31T12:00:00Z',
  ],
  async run(args, context) {
    const stream = streamArgument(args.positionals[0]!, context.commandPath);
    const from = typeof args.values.from === 'string' ? args.values.from : undefined;
    if (from !== undefined && !/^\d+$/.test(from)) {
      throw new UsageError(
        `--from ${JSON.stringify(from)} is not a version (a whole number ≥ 0).`,
        context.commandPath,
      );
    }
    if (typeof args.values.at === 'string') {
      const asOf = asOfArgument(args.values.at, context.commandPath);
      if (from !== undefined) throw new UsageError('--at and --from cannot be combined.', context.commandPath);
      const app = await appToHost(args, context);
      if ('time' in asOf) context.io.stderr.write(`As of ${describeStart(asOf.time)}.\n`);
      const { dumpStateAsOf } = await import('../stream-as-of.ts');
      await withConnection(args, context, (connection) =>
        dumpStateAsOf(connection, context.io, app, stream, asOf, args.values.json === true),
      );
      return 0;
    }
    const { dumpStream } = await import('../stream-reading.ts');
    await withConnection(args, context, (connection) =>
      dumpStream(connection, stream, {
        json: args.values.json === true,
        from: BigInt(from ?? '0'),
        out: context.io.stdout,
      }),
    );
    return 0;
  },
};
