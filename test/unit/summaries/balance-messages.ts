import { z } from 'zod';
import {
  type ConsumerMessage,
  defineSummaryContract,
  envelopeHeaders,
  idempotencyKey,
} from '../../../src/summaries/index.ts';

/** A small contract for consumer tests: one balance per stream version. */
export const balanceContract = defineSummaryContract({
  name: 'AccountBalance',
  version: 1,
  schema: z.object({ balance: z.number() }),
  topic: 'balances',
});

/** The message a publisher of `balanceContract` sends for `stream` at `version`, at `offset` of its partition. */
export function balanceMessage(stream: string, version: number, offset: number): ConsumerMessage {
  return {
    key: stream,
    headers: envelopeHeaders({
      stream,
      version: BigInt(version),
      contract: 'AccountBalance',
      contractVersion: 1,
      idempotencyKey: idempotencyKey(stream, BigInt(version), 'AccountBalance', 1),
    }),
    value: JSON.stringify({ balance: version }),
    offset: BigInt(offset),
    timestamp: new Date(0),
  };
}
