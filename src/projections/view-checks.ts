import { asIs, jsonBytes, roundTripBreak } from '../codec/index.ts';
import { UnstorableView, ViewRejected, ViewTooLarge } from './errors.ts';
import { isCosmosStatus } from './partition-key.ts';
import type { ViewDocument } from './view-document.ts';

/** Cosmos DB items are at most 2 MB, system properties included: views are held under 2,000,000 bytes of JSON. */
export const defaultMaxViewBytes = 2_000_000;

/**
 * Checks a view document before it is sent: its view must read back as itself from JSON (`UnstorableView`) and the
 * document must fit an item (`ViewTooLarge`). Returns the document's size in bytes.
 */
export function checkViewDocument(document: ViewDocument, limit: number): number {
  const broken = roundTripBreak(document.view, asIs);
  if (broken) throw new UnstorableView(document.projection, document.key, broken.field, broken.problem);
  const bytes = jsonBytes(document);
  if (bytes > limit) throw new ViewTooLarge(document.projection, document.key, bytes, limit);
  return bytes;
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Cosmos DB's messages carry a JSON body and diagnostics after the first line; the first line is the reason.
  return message.split(/\r?\n/, 1)[0]?.slice(0, 300) ?? '';
}

/**
 * The permanent error a failed view write stands for, or `undefined` for one that may heal by retrying: a 413 (the
 * item or request is too large) and a 400 (a bad request) will be refused again however often they are retried.
 */
export function permanentWriteFailure(error: unknown, document: ViewDocument, bytes: number): Error | undefined {
  if (isCosmosStatus(error, 413)) {
    return new ViewTooLarge(document.projection, document.key, bytes, undefined, { cause: error });
  }
  if (isCosmosStatus(error, 400)) {
    return new ViewRejected(document.projection, document.key, reasonOf(error), { cause: error });
  }
  return undefined;
}
