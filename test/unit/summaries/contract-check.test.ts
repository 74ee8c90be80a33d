import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  assertOneContractPerTopic,
  ContractSchemaUnrepresentable,
  checkContract,
  contractJsonSchema,
  defineSummaryContract,
  describeCheck,
  InvalidContractFile,
  type PublishedSchema,
  readCommittedSchemas,
  renderContractSchema,
  TopicSharedByContracts,
  writeContractSchema,
} from '../../../src/summaries/index.ts';

const fields = { accountId: z.string(), amount: z.number().int() };
const line = (version: number, shape: z.ZodRawShape = fields, name = 'line') =>
  defineSummaryContract({ name, version, topic: 'lines', schema: z.object(shape) });
const published = (contract: ReturnType<typeof line>): PublishedSchema => ({
  version: contract.version,
  document: contractJsonSchema(contract),
  location: `lines/v${contract.version}.schema.json`,
});

describe('the JSON Schema of a summary contract', () => {
  it('names the contract, its version and topic, and carries the schema URI as its $id', () => {
    const schema = contractJsonSchema(line(3));
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:tributary:lines:v3',
      title: 'line',
      'x-tributary-contract': { name: 'line', version: 3, topic: 'lines' },
      type: 'object',
      required: ['accountId', 'amount'],
    });
  });

  it('describes the body as it travels: big integers as decimal strings, dates as ISO strings', () => {
    const schema = contractJsonSchema(
      defineSummaryContract({
        name: 'c',
        version: 1,
        topic: 't',
        schema: z.object({ big: z.coerce.bigint(), at: z.coerce.date() }),
      }),
    );
    expect(schema.properties).toEqual({
      big: { type: 'string', pattern: '^-?[0-9]+$' },
      at: { type: 'string', format: 'date-time' },
    });
  });

  it('leaves objects open to readers, unless the contract declares them strict', () => {
    const schema = contractJsonSchema(
      defineSummaryContract({
        name: 'c',
        version: 1,
        topic: 't',
        schema: z.object({ open: z.object({ a: z.string() }), closed: z.strictObject({ a: z.string() }) }),
      }),
    );
    expect(schema).not.toHaveProperty('additionalProperties');
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    expect(properties.open).not.toHaveProperty('additionalProperties');
    expect(properties.closed?.additionalProperties).toBe(false);
  });

  it('refuses a contract with a part JSON cannot carry, saying what to use instead', () => {
    const contract = defineSummaryContract({
      name: 'c',
      version: 1,
      topic: 't',
      schema: z.object({ n: z.string().transform((s) => s.length) }),
    });
    expect(() => contractJsonSchema(contract)).toThrow(ContractSchemaUnrepresentable);
    expect(() => contractJsonSchema(contract)).toThrow(/give every field a JSON type/);
  });
});

describe('checking a contract against the schemas published for its topic', () => {
  it('passes a contract that is exactly its published schema', () => {
    expect(checkContract(line(1), [published(line(1))]).verdict).toEqual({ kind: 'unchanged' });
  });

  it('asks to export a contract on a topic with nothing published', () => {
    const check = checkContract(line(1), []);
    expect(check.verdict).toEqual({ kind: 'new-topic' });
    expect(describeCheck(check, 'contracts')).toContain('run `tributary contracts export`');
  });

  it('accepts a compatible new version, checked against every published version', () => {
    const v2 = line(2, { ...fields, memo: z.string().optional() });
    expect(checkContract(v2, [published(line(1))]).verdict).toEqual({ kind: 'compatible', checkedAgainst: [1] });
  });

  it('names the field and the rule of a breaking change, and says to use a new topic', () => {
    const v2 = line(2, { accountId: z.string(), amount: z.string() });
    const check = checkContract(v2, [published(line(1))]);
    expect(check.verdict).toMatchObject({ kind: 'breaking', against: 1 });
    const message = describeCheck(check, 'contracts');
    expect(message).toContain('would break consumers of v1');
    expect(message).toContain('field amount: type-changed (was integer, is now string)');
    expect(message).toContain('new contract on a new topic');
  });

  it('compares with older versions too: a field removed in v2 can not come back retyped in v3', () => {
    const v1 = line(1, { ...fields, memo: z.string().optional() });
    const v2 = line(2);
    const v3 = line(3, { ...fields, memo: z.number().optional() });
    expect(checkContract(v3, [published(v2)]).verdict.kind).toBe('compatible');
    expect(checkContract(v3, [published(v1), published(v2)]).verdict).toMatchObject({ kind: 'breaking', against: 1 });
  });

  it('refuses a compatible change that kept its version', () => {
    const changed = line(1, { ...fields, memo: z.string().optional() });
    expect(checkContract(changed, [published(line(1))]).verdict).toEqual({ kind: 'changed-without-new-version' });
  });

  it('tells a change of descriptions only apart, to be re-exported', () => {
    const described = line(1, { ...fields, amount: z.number().int().describe('cents') });
    expect(checkContract(described, [published(line(1))]).verdict).toEqual({ kind: 'annotations-changed' });
  });

  it('refuses a contract older than the latest version published on its topic', () => {
    expect(checkContract(line(1), [published(line(1)), published(line(2))]).verdict).toEqual({
      kind: 'behind',
      latest: 2,
    });
  });

  it('refuses a contract renamed on the same topic: consumers match messages by contract name', () => {
    const renamed = line(2, fields, 'statement');
    expect(checkContract(renamed, [published(line(1))]).verdict).toEqual({ kind: 'renamed', publishedName: 'line' });
  });

  it('refuses two different contracts on one topic', () => {
    expect(() => assertOneContractPerTopic([line(1), line(1, fields, 'other')])).toThrow(TopicSharedByContracts);
    expect(() => assertOneContractPerTopic([line(1), line(2)])).not.toThrow();
  });
});

describe('committed schema files', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'tributary-contracts-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('are written one per topic and version, and read back in version order', async () => {
    expect(await readCommittedSchemas(directory, 'lines')).toEqual([]);
    const second = await writeContractSchema(directory, line(2));
    await writeContractSchema(directory, line(1));
    expect(path.relative(directory, second)).toBe(path.join('lines', 'v2.schema.json'));
    const read = await readCommittedSchemas(directory, 'lines');
    expect(read.map((schema) => schema.version)).toEqual([1, 2]);
    expect(read[1]?.document).toEqual(contractJsonSchema(line(2)));
    expect(checkContract(line(2), read).verdict).toEqual({ kind: 'unchanged' });
  });

  it('are stable text, so that exporting an unchanged contract again changes nothing', async () => {
    const file = await writeContractSchema(directory, line(1));
    const first = await readFile(file, 'utf8');
    await writeContractSchema(directory, line(1));
    expect(await readFile(file, 'utf8')).toBe(first);
    expect(first.endsWith('}\n')).toBe(true);
  });

  it("are laid out as the repository's formatter lays out JSON, so that linting after an export passes", () => {
    const biome = path.resolve(import.meta.dirname, '../../../node_modules/.bin/biome');
    const long = Array.from({ length: 12 }, (_, i) => `a-rather-long-enum-value-${i}`) as [string, ...string[]];
    const contract = defineSummaryContract({
      name: 'layout',
      version: 1,
      topic: 'layouts',
      schema: z.object({
        short: z.enum(['a', 'b']),
        long: z.enum(long),
        rows: z.array(z.object({ cells: z.array(z.number()), empty: z.strictObject({}) })),
      }),
    });
    const text = renderContractSchema(contract);
    const formatted = spawnSync(biome, ['format', '--stdin-file-path=layout.schema.json'], { input: text });
    expect(formatted.status, formatted.stderr.toString()).toBe(0);
    expect(text).toBe(formatted.stdout.toString());
  });

  it('that are not JSON fail naming the file', async () => {
    const file = await writeContractSchema(directory, line(1));
    await writeFile(file, '{ not json', 'utf8');
    await expect(readCommittedSchemas(directory, 'lines')).rejects.toThrow(InvalidContractFile);
    await expect(readCommittedSchemas(directory, 'lines')).rejects.toThrow(file);
  });
});
