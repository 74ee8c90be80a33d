export { adminRequestHeaders } from './admin-guard.ts';
export { DataDirectoryInUse, InvalidLocalCosmosOptions } from './errors.ts';
export { type LocalTokenCredentialOptions, localTokenCredential } from './local-token-credential.ts';
export { effectivePartitionKey } from './partition-key-hash.ts';
export { startLocalCosmos } from './server.ts';
export type {
  EmulatorMetrics,
  FaultRule,
  LocalCosmos,
  LocalCosmosOptions,
  OperationKind,
  OpMetrics,
} from './types.ts';
export { WELL_KNOWN_EMULATOR_KEY } from './types.ts';
