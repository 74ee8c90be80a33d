import { defineCodec } from '../../src/codec/index.ts';
import type { Category, CosmosStore } from '../../src/store/index.ts';
import {
  evolveTransfer,
  initialTransferState,
  type TransferEvent,
  TransferEvents,
  type TransferState,
  transferCategory,
} from '../domain/transfer/index.ts';

export const transferCodec = defineCodec(TransferEvents);

export type TransferCategory = Category<TransferEvent, TransferState>;

/** Transfers are short streams (at most five events, all in the tip): loading is one point read without snapshots. */
export function transferCategoryIn(store: CosmosStore): TransferCategory {
  return store.category({
    name: transferCategory,
    codec: transferCodec,
    fold: { initial: initialTransferState, evolve: evolveTransfer },
  });
}
