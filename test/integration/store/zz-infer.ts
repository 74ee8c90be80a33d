import { AccessStrategy, type CosmosStore } from '../../../src/store/index.ts';
import { codec, ledger } from './ledger.ts';
export function make(store: CosmosStore) {
  return store.category({
    name: 'X',
    codec,
    fold: ledger,
    access: AccessStrategy.Snapshot(
      (e) => e.type === 'Snapshotted',
      (s) => ({ type: 'Snapshotted', data: s }),
    ),
  });
}
export function make2(store: CosmosStore) {
  return store.category({ name: 'X', codec, fold: ledger, access: AccessStrategy.RollingState((s) => ({ type: 'Snapshotted', data: s })) });
}
export function make3(store: CosmosStore) {
  return store.category({ name: 'X', codec, fold: ledger, access: AccessStrategy.Unoptimized() });
}
