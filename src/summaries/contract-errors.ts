import { InvalidOptions, TributaryError } from '../core/index.ts';

/** `defineSummaryContract` was given a name, version, topic, source or schema URI that can't be used. */
export class InvalidSummaryContract extends InvalidOptions {
  override readonly code: string = 'InvalidSummaryContract';
}

/** A contract's schema has a part JSON cannot carry, so no JSON Schema can describe its messages. */
export class ContractSchemaUnrepresentable extends TributaryError {
  readonly code = 'ContractSchemaUnrepresentable';
  constructor(
    readonly contract: string,
    readonly kinds: readonly string[],
  ) {
    super(
      `Summary contract ${contract} has parts with no JSON Schema (${kinds.join(', ')}): a summary travels as JSON, ` +
        'so give every field a JSON type (strings, numbers, booleans, arrays, objects; z.coerce.bigint() and ' +
        'z.iso.datetime() for big integers and times) rather than a transform, Map, Set or function.',
    );
  }
}

/** A committed schema file can't be used: not JSON, or not the file of the contract version its path names. */
export class InvalidContractFile extends TributaryError {
  readonly code = 'InvalidContractFile';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`The contract schema ${file} ${problem}`);
  }
}

/** Two contracts of one app publish to the same topic: a topic carries one contract, whose versions follow each other. */
export class TopicSharedByContracts extends TributaryError {
  readonly code = 'TopicSharedByContracts';
  constructor(
    readonly topic: string,
    readonly contracts: readonly string[],
  ) {
    super(
      `Topic ${topic} is published by several contracts (${contracts.join(', ')}): give each contract its own topic, ` +
        'so that consumers of a topic read one contract whose versions stay compatible.',
    );
  }
}
