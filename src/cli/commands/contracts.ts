import { appOption } from '../app-option.ts';
import type { Command, OptionSpec, ParsedArgs } from '../command.ts';
import { UsageError } from '../usage-error.ts';

const contractOptions: Readonly<Record<string, OptionSpec>> = {
  ...appOption,
  dir: {
    type: 'string',
    valueName: '<directory>',
    description: 'Where the committed schemas live, one <topic>/v<N>.schema.json per version (default: ./contracts).',
  },
  compatibility: {
    type: 'string',
    valueName: '<full|forward|backward>',
    description:
      'Which readers a new version must not break: full (default; both), forward (consumers of older versions) ' +
      'or backward (readers of the older messages still on the topic).',
  },
};

/** Where Azure Schema Registry holds the contracts: `check` compares with it, `register` writes to it. */
const registryOptions: Readonly<Record<string, OptionSpec>> = {
  ...contractOptions,
  namespace: {
    type: 'string',
    valueName: '<namespace>',
    description: 'Event Hubs namespace holding the schema registry, e.g. contoso.servicebus.windows.net.',
  },
  'schema-group': { type: 'string', valueName: '<group>', description: 'The schema group of the contracts.' },
};

const modes = ['full', 'forward', 'backward'] as const;

function compatibilityMode(args: ParsedArgs, commandPath: string): (typeof modes)[number] {
  const given = args.values.compatibility;
  if (given === undefined) return 'full';
  const mode = modes.find((m) => m === given);
  if (!mode)
    throw new UsageError(`--compatibility must be full, forward or backward, not "${String(given)}".`, commandPath);
  return mode;
}

const exportCommand: Command = {
  name: 'export',
  summary: "Write the JSON Schema of each of the app's summary contracts, one file per topic and version.",
  description:
    'Reads the "contracts" export of the app module and writes <dir>/<topic>/v<version>.schema.json for each\n' +
    'contract that is new or compatible with every version already committed for its topic. A breaking change is\n' +
    'refused (exit code 1) and named field by field: publish it as a new contract on a new topic instead.',
  options: contractOptions,
  examples: ['tributary contracts export', 'tributary contracts export --app ./dist/app.js --dir contracts'],
  async run(args, context) {
    const { exportContracts } = await import('../contract-tools.ts');
    return exportContracts(args, context, compatibilityMode(args, context.commandPath));
  },
};

const checkCommand: Command = {
  name: 'check',
  summary: "Check the app's summary contracts against their committed schemas (and, optionally, the registry).",
  description:
    'Compares each contract of the app module with every schema committed for its topic. Exit code 0 when each\n' +
    'contract is exactly its committed schema; 1 when a change would break a consumer (naming the field and the\n' +
    'rule), when a changed contract kept its version, or when a new version is not exported yet.\n' +
    'With --namespace and --schema-group, the schemas registered in Azure Schema Registry are checked instead\n' +
    '(signed in with DefaultAzureCredential; needs the optional peer @azure/schema-registry).',
  options: registryOptions,
  examples: [
    'tributary contracts check',
    'tributary contracts check --namespace contoso.servicebus.windows.net --schema-group tributary-contracts',
  ],
  async run(args, context) {
    const { checkContracts } = await import('../contract-tools.ts');
    return checkContracts(args, context, compatibilityMode(args, context.commandPath));
  },
};

const registerCommand: Command = {
  name: 'register',
  summary: 'Register the committed schemas in an Azure Schema Registry schema group (Entra ID).',
  description:
    'Registers each contract version committed under <dir> in the schema group, named <topic>, in version order;\n' +
    'a version already registered with the same definition is left as it is. Run it after `contracts check`\n' +
    'passes. Signs in with DefaultAzureCredential: the identity needs the Schema Registry Contributor role.\n' +
    'Needs the optional peer @azure/schema-registry.',
  options: registryOptions,
  examples: [
    'tributary contracts register --namespace contoso.servicebus.windows.net --schema-group tributary-contracts',
  ],
  async run(args, context) {
    const { registerContracts } = await import('../contract-tools.ts');
    return registerContracts(args, context);
  },
};

export const contractsCommand: Command = {
  name: 'contracts',
  summary: 'Export, check and register the JSON Schemas of summary contracts.',
  subcommands: [exportCommand, checkCommand, registerCommand],
};
