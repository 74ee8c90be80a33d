import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StatementLine, statementLineReactor } from '../../../functions/bank/statement-lines.ts';
import { contracts } from '../../../functions/dev-app.ts';
import type { TimelineEvent } from '../../../src/core/index.ts';
import {
  checkContract,
  contractsAgree,
  defineSummaryContract,
  describeCheck,
  type EncodedSummary,
  encodeSummary,
  readCommittedSchemas,
  type SummaryContract,
} from '../../../src/summaries/index.ts';

// the contract's schema is typed by its output; the sample defines it as an object
const statementLineShape = StatementLine.schema as unknown as z.ZodObject;
const directory = path.resolve(import.meta.dirname, '../../../contracts');

async function problems(checked: readonly SummaryContract[]): Promise<string[]> {
  const checks = [];
  for (const contract of checked) {
    checks.push(checkContract(contract, await readCommittedSchemas(directory, contract.topic)));
  }
  return contractsAgree(checks)
    ? []
    : checks.filter((check) => check.verdict.kind !== 'unchanged').map((check) => describeCheck(check, 'contracts/'));
}

describe("the sample bank's published contracts", () => {
  it('are exactly their committed schemas (contracts/<topic>/v<N>.schema.json); a breaking change fails here', async () => {
    const found = await problems(contracts);
    // the message is the one `tributary contracts check` prints: the field, the rule, what to do
    expect(found, `\n${found.join('\n')}\n`).toEqual([]);
  });

  it('include the statement line, the contract the bank publishes', () => {
    expect(contracts).toContain(StatementLine);
  });

  it('would fail this test, naming the field, if amount became a string', async () => {
    const retyped = defineSummaryContract({
      ...StatementLine,
      schema: statementLineShape.extend({ amount: z.string() }),
    });
    const [message] = await problems([retyped]);
    expect(message).toContain('field amount: type-changed (was integer, is now string)');
  });

  it('would pass once the breaking shape moves to a new topic as a new contract', async () => {
    const moved = defineSummaryContract({
      name: 'statement-line',
      version: 2,
      topic: 'statement-lines.v2',
      schema: statementLineShape.extend({ amount: z.string() }),
    });
    const [message] = await problems([moved]);
    expect(message).toContain('has no schema in contracts/ yet');
  });
});

describe("the sample bank's statement lines on the wire", () => {
  it('name the committed schema of their contract version in ce_dataschema and ce_type', async () => {
    const messages: EncodedSummary[] = [];
    const reactor = statementLineReactor({
      publish: async (record) => void messages.push(encodeSummary(record)),
      close: async () => {},
    });
    const deposited: TimelineEvent = {
      index: 1n,
      type: 'Deposited',
      data: { transactionId: 't-1', amount: 1250 },
      meta: undefined,
      timestamp: new Date('2026-11-30T08:00:00.000Z'),
    };
    await reactor.handle({ stream: 'Account-42', index: 1n, events: [deposited] });
    const [committed] = await readCommittedSchemas(directory, StatementLine.topic);
    expect(messages.map((m) => m.headers)).toEqual([
      expect.objectContaining({
        ce_id: 'Account-42:2:statement-line@1',
        ce_type: 'statement-line.v1',
        ce_subject: 'Account-42',
        ce_time: '2026-11-30T08:00:00.000Z',
        ce_dataschema: committed?.document.$id,
        'tributary-stream-version': '2',
      }),
    ]);
  });
});
