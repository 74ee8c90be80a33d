import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SummaryContract } from './contract.ts';
import type { PublishedSchema } from './contract-check.ts';
import { InvalidContractFile, TopicSharedByContracts } from './contract-errors.ts';
import { contractSchemaPath, renderContractSchema } from './contract-schema.ts';

const versionFile = /^v([1-9][0-9]*)\.schema\.json$/;

/**
 * The schemas committed for a topic under `directory` (`<topic>/v<N>.schema.json`), in version order; none when the
 * topic has no folder. Throws `InvalidContractFile` for a file that is not a JSON object.
 */
export async function readCommittedSchemas(directory: string, topic: string): Promise<PublishedSchema[]> {
  const folder = path.join(directory, topic);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const schemas: PublishedSchema[] = [];
  for (const name of names) {
    const match = versionFile.exec(name);
    if (!match) continue;
    const file = path.join(folder, name);
    let document: unknown;
    try {
      document = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new InvalidContractFile(file, `is not valid JSON (${(error as Error).message}); restore it from git.`);
    }
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw new InvalidContractFile(file, 'is not a JSON Schema object; restore it from git.');
    }
    schemas.push({ version: Number(match[1]), document: document as PublishedSchema['document'], location: file });
  }
  return schemas.sort((a, b) => a.version - b.version);
}

/** Writes a contract version's schema to `<directory>/<topic>/v<version>.schema.json`; returns the file's path. */
export async function writeContractSchema(directory: string, contract: SummaryContract): Promise<string> {
  const file = path.join(directory, contractSchemaPath(contract.topic, contract.version));
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, renderContractSchema(contract), 'utf8');
  return file;
}

/** Refuses a set of contracts in which two different contracts publish to one topic. */
export function assertOneContractPerTopic(contracts: readonly SummaryContract[]): void {
  const byTopic = new Map<string, Set<string>>();
  for (const contract of contracts) {
    const names = byTopic.get(contract.topic) ?? new Set<string>();
    names.add(contract.name);
    byTopic.set(contract.topic, names);
  }
  for (const [topic, names] of byTopic) if (names.size > 1) throw new TopicSharedByContracts(topic, [...names]);
}
