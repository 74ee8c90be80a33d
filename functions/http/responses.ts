import type { z } from 'zod';
import { TributaryError } from '../../src/core/index.ts';
import { CommandIdExpired, CommandIdReused, StaleExpectedVersion } from '../../src/store/index.ts';
import { BankRuleViolation } from '../domain/errors.ts';
import type { ApiResponse } from './api.ts';

/** 400 with zod's issues; `name` prefixes their paths (a header's name, whose value has no path of its own). */
export const badRequest = (error: z.ZodError, where: 'body' | 'path' | 'header', name?: string): ApiResponse => ({
  status: 400,
  body: {
    error: 'InvalidRequest',
    message: `The request ${where} is not valid.`,
    issues: error.issues.map((issue) => ({
      path: [...(name === undefined ? [] : [name]), ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  },
});

export const notFound = (message: string): ApiResponse => ({ status: 404, body: { error: 'NotFound', message } });

export const etag = (version: bigint) => `"${version}"`;

// Store errors that mean "this request is too big", by their stable codes.
const tooLarge = new Set(['EventTooLarge', 'AppendTooLarge']);

/**
 * Maps what a command or query threw to an HTTP answer: 404/409 for refused commands, 412 for a stale expected
 * version, 422 for an idempotency key reused for another command (or too old to answer), 413 for events too large to store, 503 when writers kept racing on the stream. Anything else is a 500,
 * and is reported to `log` (the message of an unknown error is not sent to the client).
 */
export function errorResponse(error: unknown, log: (message: string, error: unknown) => void): ApiResponse {
  if (error instanceof BankRuleViolation) {
    return { status: error.kind === 'notFound' ? 404 : 409, body: { error: error.code, message: error.message } };
  }
  if (error instanceof StaleExpectedVersion) {
    return {
      status: 412,
      headers: { etag: etag(error.actualVersion) },
      body: { error: 'StaleExpectedVersion', message: error.message, currentVersion: Number(error.actualVersion) },
    };
  }
  if (error instanceof CommandIdReused) {
    const message =
      `Idempotency key ${error.commandId} was already used on this account for a different command or body. ` +
      'A retry must repeat the first request exactly; a new command needs a new key.';
    return { status: 422, body: { error: 'IdempotencyKeyReused', message } };
  }
  if (error instanceof CommandIdExpired) {
    const message =
      `Idempotency key ${error.commandId} was used on this account too long ago for its outcome to be kept, so it is ` +
      'not applied again. If this is a late retry, check the account statement; a new command needs a new key.';
    return { status: 422, body: { error: 'IdempotencyKeyExpired', message } };
  }
  if (error instanceof TributaryError && tooLarge.has(error.code)) {
    return { status: 413, body: { error: error.code, message: error.message } };
  }
  if (error instanceof TributaryError && error.code === 'MaxResyncsExhausted') {
    return { status: 503, headers: { 'retry-after': '1' }, body: { error: error.code, message: error.message } };
  }
  log('request failed', error);
  return { status: 500, body: { error: 'InternalError', message: 'The request failed; see the app logs.' } };
}
