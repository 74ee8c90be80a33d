import { z } from 'zod';
import type { SummaryContract } from './contract.ts';
import { ContractSchemaUnrepresentable } from './contract-errors.ts';

/** A JSON Schema document, as parsed from JSON. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** Who a schema file belongs to: written into it so that a file read alone says which contract it describes. */
export interface ContractIdentity {
  readonly name: string;
  readonly version: number;
  readonly topic: string;
}

/** The keyword carrying a schema file's `ContractIdentity`. */
export const contractKeyword = 'x-tributary-contract';

/** Where a contract version's schema lives, relative to the contracts directory: one file per topic and version. */
export function contractSchemaPath(topic: string, version: number): string {
  return `${topic}/v${version}.schema.json`;
}

/**
 * The JSON Schema (draft 2020-12) of the messages a contract publishes: the body as it is on the wire, i.e. the
 * schema's output serialized to JSON (bigints as decimal strings, dates as ISO 8601 strings). Objects are open to
 * readers — a consumer ignores fields it does not know, which is what lets a later version add optional fields —
 * except those the contract declares strict (`z.strictObject`). Throws `ContractSchemaUnrepresentable` for a part
 * with no JSON form (a transform's output, a Map, a function).
 */
export function contractJsonSchema(contract: SummaryContract): JsonSchema {
  const unrepresentable: string[] = [];
  const body = z.toJSONSchema(contract.schema, {
    target: 'draft-2020-12',
    io: 'output',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const def = zodSchema._zod.def;
      const target = jsonSchema as Record<string, unknown>;
      if (def.type === 'bigint') Object.assign(target, { type: 'string', pattern: '^-?[0-9]+$' });
      else if (def.type === 'date') Object.assign(target, { type: 'string', format: 'date-time' });
      else if (def.type === 'object' && !('catchall' in def && def.catchall)) delete target.additionalProperties;
      else if (Object.keys(target).length === 0 && def.type !== 'any' && def.type !== 'unknown') {
        unrepresentable.push(def.type);
      }
    },
  }) as Record<string, unknown>;
  if (unrepresentable.length > 0) throw new ContractSchemaUnrepresentable(contract.name, [...new Set(unrepresentable)]);
  const { $schema, ...rest } = body;
  const identity: ContractIdentity = { name: contract.name, version: contract.version, topic: contract.topic };
  return { $schema, $id: contract.schemaUri, title: contract.name, [contractKeyword]: identity, ...rest };
}

/**
 * The file's text: stable, so that a re-export of an unchanged contract is no diff, and laid out as Biome lays out
 * JSON (objects one member per line, arrays of scalars on one line when they fit in 120 columns), so that the
 * formatter run over the repository leaves exported files as they are.
 */
export function renderContractSchema(contract: SummaryContract): string {
  return `${formatJson(contractJsonSchema(contract), '', '')}\n`;
}

const lineWidth = 120;

function formatJson(value: unknown, indent: string, prefix: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const scalars = value.every((item) => item === null || typeof item !== 'object');
    const inline = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    // the line holding it: indentation, the member's key, the array, a trailing comma
    if (scalars && indent.length + prefix.length + inline.length + 1 <= lineWidth) return inline;
    const inner = `${indent}  `;
    return `[\n${value.map((item) => `${inner}${formatJson(item, inner, '')}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    const members = entries.map(([key, item]) => {
      const name = `${JSON.stringify(key)}: `;
      return `${inner}${name}${formatJson(item, inner, name)}`;
    });
    return `{\n${members.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}
