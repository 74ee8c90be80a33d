import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBankApp } from '../../../functions/app.ts';
import { startBankProcessors } from '../../../functions/processors.ts';
import { ensureContainers } from '../../../src/store/index.ts';
import { SchedulerClosed } from '../../../src/streams/index.ts';
import { createFileSummarySink, type SummaryPublisher } from '../../../src/summaries/index.ts';
import { startTestCosmos, type TestCosmos } from '../../support/cosmos.ts';

let cosmos: TestCosmos;
let directory: string;
let sink: SummaryPublisher;

beforeAll(async () => {
  cosmos = await startTestCosmos();
  directory = await mkdtemp(path.join(tmpdir(), 'tributary-bank-'));
  sink = createFileSummarySink({ directory });
});

afterAll(async () => {
  await sink?.close();
  await cosmos?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('the bank self-hosted', () => {
  it('runs each handler under its processor name, and stop() stops every processor and closes every scheduler', async () => {
    const database = await cosmos.database('bank-processors');
    await ensureContainers(cosmos.client, { databaseId: database.id });
    const bank = createBankApp({ client: cosmos.client, databaseId: database.id, publisher: sink, log: () => {} });
    const processors = await startBankProcessors(bank, { pollIntervalMs: 25, checkpointIntervalMs: 100 });
    expect(processors.running.map((run) => run.processor.stats().name)).toEqual(
      bank.handlers.map((handler) => handler.processorName),
    );
    expect(processors.get('transferProcess').handler.processorName).toBe(bank.reactors.transfer.processorName);

    await processors.stop();

    for (const run of processors.running) {
      expect(run.processor.stats().state).toBe('stopped');
      await expect(run.scheduler.ingestSpans('0', [])).rejects.toBeInstanceOf(SchedulerClosed);
    }
  });
});
