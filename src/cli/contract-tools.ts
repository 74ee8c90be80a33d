import { relative, resolve } from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import {
  assertOneContractPerTopic,
  type CompatibilityMode,
  type ContractCheck,
  checkContract,
  contractsAgree,
  describeCheck,
  readCommittedSchemas,
  writeContractSchema,
} from '../summaries/index.ts';
import { appContracts } from './app-contracts.ts';
import type { ParsedArgs } from './command.ts';
import type { CliContext } from './context.ts';
import { ExitCode } from './exit-codes.ts';
import { UsageError } from './usage-error.ts';

/** a path as the user would write it: relative to the working directory when inside it */
function shown(file: string, context: CliContext): string {
  const relativePath = relative(context.io.cwd, file);
  return relativePath === '' ? '.' : relativePath.startsWith('..') ? file : relativePath;
}

function contractsDirectory(args: ParsedArgs, context: CliContext): string {
  return resolve(context.io.cwd, typeof args.values.dir === 'string' ? args.values.dir : 'contracts');
}

/** Exports what may be exported (new topics, compatible versions, changed descriptions); refuses the rest. */
export async function exportContracts(args: ParsedArgs, context: CliContext, mode: CompatibilityMode): Promise<number> {
  const { contracts } = await appContracts(args, context);
  assertOneContractPerTopic(contracts);
  const directory = contractsDirectory(args, context);
  let refused = 0;
  for (const contract of contracts) {
    const check = checkContract(contract, await readCommittedSchemas(directory, contract.topic), mode);
    const { kind } = check.verdict;
    if (kind === 'unchanged') {
      context.io.stdout.write(`${contract.name} v${contract.version}: unchanged.\n`);
    } else if (kind === 'new-topic' || kind === 'compatible' || kind === 'annotations-changed') {
      const file = await writeContractSchema(directory, contract);
      context.io.stdout.write(`${contract.name} v${contract.version}: wrote ${shown(file, context)}.\n`);
    } else {
      refused += 1;
      context.io.stderr.write(`${describeCheck(check, shown(directory, context))}\n`);
    }
  }
  if (refused > 0) {
    context.io.stderr.write(`Refused ${refused} contract(s): nothing was written for them.\n`);
    return ExitCode.failure;
  }
  return ExitCode.ok;
}

/** Checks each contract against the committed files, or against the registry when one is named. */
export async function checkContracts(args: ParsedArgs, context: CliContext, mode: CompatibilityMode): Promise<number> {
  const { contracts } = await appContracts(args, context);
  assertOneContractPerTopic(contracts);
  const registry = await registryOf(args, context);
  const directory = contractsDirectory(args, context);
  const where = registry ? registry.where : shown(directory, context);
  const checks: ContractCheck[] = [];
  for (const contract of contracts) {
    const published = registry
      ? await registry.registry.published(contract.topic)
      : await readCommittedSchemas(directory, contract.topic);
    checks.push(checkContract(contract, published, mode));
  }
  for (const check of checks) {
    const line = describeCheck(check, where);
    if (check.verdict.kind === 'unchanged') context.io.stdout.write(`${line}\n`);
    else context.io.stderr.write(`${line}\n`);
  }
  return contractsAgree(checks) ? ExitCode.ok : ExitCode.failure;
}

/** Registers the committed schemas of each contract's topic, in version order. */
export async function registerContracts(args: ParsedArgs, context: CliContext): Promise<number> {
  const { contracts } = await appContracts(args, context);
  assertOneContractPerTopic(contracts);
  const registry = await registryOf(args, context);
  if (!registry) {
    throw new UsageError('contracts register needs --namespace and --schema-group.', context.commandPath);
  }
  const directory = contractsDirectory(args, context);
  for (const topic of new Set(contracts.map((contract) => contract.topic))) {
    const committed = await readCommittedSchemas(directory, topic);
    if (committed.length === 0) {
      context.io.stderr.write(`Topic ${topic} has no committed schema: run \`tributary contracts export\` first.\n`);
      return ExitCode.failure;
    }
    for (const schema of committed) {
      const done = await registry.registry.register(topic, schema);
      const note =
        done.registryVersion === done.contractVersion ? '' : ` (the registry numbers it ${done.registryVersion})`;
      context.io.stdout.write(
        `${topic} v${done.contractVersion}: ${done.alreadyRegistered ? 'already registered' : 'registered'}${note}.\n`,
      );
    }
  }
  return ExitCode.ok;
}

async function registryOf(args: ParsedArgs, context: CliContext) {
  const namespace = typeof args.values.namespace === 'string' ? args.values.namespace : undefined;
  const group = typeof args.values['schema-group'] === 'string' ? args.values['schema-group'] : undefined;
  if (namespace === undefined && group === undefined) return undefined;
  if (namespace === undefined || group === undefined) {
    throw new UsageError('--namespace and --schema-group go together: give both, or neither.', context.commandPath);
  }
  const { connectSchemaRegistry } = await import('../summaries/schema-registry.ts');
  const credential: TokenCredential =
    context.io.credential ?? new (await import('@azure/identity')).DefaultAzureCredential();
  return {
    registry: await connectSchemaRegistry({ namespace, group, credential }),
    where: `schema group ${group} of ${namespace}`,
  };
}
