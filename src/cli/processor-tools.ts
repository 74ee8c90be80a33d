import { estimateLag, listCheckpoints, resetCheckpoints, rewindCheckpoints } from '../feed/index.ts';
import { ContainerNames } from '../store/index.ts';
import type { TextSink } from './context.ts';
import { UnknownProcessorName } from './errors.ts';
import type { CosmosConnection } from './open-connection.ts';
import { describeStart } from './time-option.ts';

const containers = (connection: CosmosConnection) => {
  const database = connection.client.database(connection.databaseId);
  return { events: database.container(ContainerNames.events), leases: database.container(ContainerNames.leases) };
};

/** The processors that have leases, in name order: every processor that ever ran against this database. */
export async function processorNames(connection: CosmosConnection): Promise<string[]> {
  const { resources } = await containers(connection)
    .leases.items.query<{ processor?: unknown }>('SELECT c.processor FROM c')
    .fetchAll();
  const names = new Set<string>();
  for (const { processor } of resources) if (typeof processor === 'string') names.add(processor);
  return [...names].sort();
}

async function selectedProcessors(connection: CosmosConnection, processor: string | undefined): Promise<string[]> {
  const known = await processorNames(connection);
  if (processor === undefined) return known;
  if (!known.includes(processor))
    throw new UnknownProcessorName(processor, known, `the leases of ${connection.description}`);
  return [processor];
}

const rangeLabel = (range: { minInclusive: string; maxExclusive: string }) =>
  `${range.minInclusive || '00'}-${range.maxExclusive}`;

function age(date: Date | undefined, now: number): string {
  if (date === undefined) return 'never';
  const seconds = Math.max(0, Math.round((now - date.getTime()) / 1000));
  return seconds < 120 ? `${seconds}s ago` : `${Math.round(seconds / 60)}min ago`;
}

export async function printCheckpoints(
  connection: CosmosConnection,
  options: { processor: string | undefined; json: boolean; out: TextSink },
): Promise<number> {
  const { leases } = containers(connection);
  const names = await selectedProcessors(connection, options.processor);
  const now = Date.now();
  if (names.length === 0) options.out.write(`No processors have run against ${connection.description} yet.\n`);
  for (const name of names) {
    const checkpoints = await listCheckpoints({ leases, name });
    if (options.json) {
      options.out.write(`${JSON.stringify({ processor: name, checkpoints })}\n`);
      continue;
    }
    options.out.write(`${name}\n`);
    for (const checkpoint of checkpoints) {
      const position = checkpoint.startFrom
        ? `rewound to ${checkpoint.startFrom.kind === 'beginning' ? 'the beginning' : checkpoint.startFrom.at}`
        : checkpoint.positions.length > 0
          ? `at ${checkpoint.positions.map((p) => p.position ?? 'start').join(',')}`
          : 'no checkpoint yet';
      options.out.write(
        `  range ${rangeLabel(checkpoint.feedRange)}  owner ${checkpoint.owner ?? '(none)'}  ${position}  ` +
          `checkpointed ${age(checkpoint.lastCheckpointAt, now)}  renewed ${age(checkpoint.lastRenewedAt, now)}\n`,
      );
    }
  }
  return 0;
}

export async function printLag(
  connection: CosmosConnection,
  options: { processor: string | undefined; json: boolean; out: TextSink },
): Promise<number> {
  const { events, leases } = containers(connection);
  const names = await selectedProcessors(connection, options.processor);
  if (names.length === 0) options.out.write(`No processors have run against ${connection.description} yet.\n`);
  for (const name of names) {
    const lag = await estimateLag({ monitored: events, leases, name });
    if (options.json) {
      options.out.write(`${JSON.stringify({ processor: name, ranges: lag })}\n`);
      continue;
    }
    const total = lag.reduce((sum, range) => sum + range.pendingChanges, 0);
    options.out.write(`${name}  ${total} change(s) behind\n`);
    for (const range of lag) {
      options.out.write(
        `  range ${rangeLabel(range.feedRange)}  ${range.pendingChanges}${range.capped ? '+' : ''} pending  ` +
          `${Math.round(range.behindMs / 1000)}s behind  owner ${range.owner ?? '(none)'}\n`,
      );
    }
  }
  return 0;
}

export async function rewind(
  connection: CosmosConnection,
  processor: string,
  to: Date | 'beginning',
  out: TextSink,
  err: TextSink,
): Promise<number> {
  await selectedProcessors(connection, processor);
  err.write(`Rewinding ${processor} to ${describeStart(to)}.\n`);
  const count = await rewindCheckpoints({ leases: containers(connection).leases, name: processor }, to);
  const where = to === 'beginning' ? 'the beginning' : to.toISOString();
  out.write(
    `Rewound ${count} lease(s) of ${processor} to ${where}: a running instance drops and re-acquires them at its ` +
      'next lease renewal and handles events again from there; a stopped one does so when it next starts.\n',
  );
  return 0;
}

export async function reset(connection: CosmosConnection, processor: string, out: TextSink): Promise<number> {
  await selectedProcessors(connection, processor);
  const count = await resetCheckpoints({ leases: containers(connection).leases, name: processor });
  out.write(
    `Reset ${count} lease(s) of ${processor}: it starts again from its configured start position (a running ` +
      'instance at its next lease renewal).\n',
  );
  return 0;
}
