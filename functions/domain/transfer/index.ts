import { type Decider, defineDecider } from '../../../src/decider/index.ts';
import type { TransferCommand } from './commands.ts';
import { decideTransfer } from './decide.ts';
import type { TransferEvent } from './events.ts';
import { evolveTransfer, initialTransferState, type TransferState } from './state.ts';

export { TransferCommand } from './commands.ts';
export { decideTransfer } from './decide.ts';
export { type TransferEvent, TransferEvents } from './events.ts';
export { advanceTransfer, nextTransferStep, type TransferProcessPorts, type TransferStep } from './process.ts';
export {
  evolveTransfer,
  initialTransferState,
  isTransferFinished,
  type RequestedTransfer,
  type TransferState,
  type TransferStatus,
} from './state.ts';

/** Streams `Transfer-<id>`. */
export const transferCategory = 'Transfer';

export function transferDecider(transferId: string): Decider<TransferCommand, TransferEvent, TransferState> {
  return defineDecider({
    initial: initialTransferState,
    evolve: evolveTransfer,
    decide: (command, state) => decideTransfer(transferId, command, state),
  });
}
