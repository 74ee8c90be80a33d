import { z } from 'zod';
import { Amount } from '../domain/account/index.ts';

/** Ids in URLs and bodies: they become part of stream names (`Account-<id>`), so only URL-safe characters. */
export const EntityId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be 1-64 letters, digits, "_" or "-"' });

/** Largest request body the API reads; anything bigger is answered 413 before it is parsed. */
export const maxBodyBytes = 16 * 1024;

/**
 * Bodies are JSON in UTF-8: a request that says it sends something else is refused (415) rather than misread. A
 * request without a content type is read as JSON (Azure Functions requires a function key anyway).
 */
export function acceptsContentType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.trim() === '') return true;
  const [type, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return parameters.every((parameter) => {
    const [name, setting] = parameter.split('=').map((part) => part.trim());
    return name !== 'charset' || setting === 'utf-8' || setting === '"utf-8"';
  });
}

const ExpectedVersion = z.number().int().min(0).optional();
const Description = z.string().max(200).optional();

export const OpenAccountBody = z.strictObject({
  owner: z.string().trim().min(1).max(200),
  overdraftLimit: z.number().int().min(0).max(1_000_000_000).default(0),
  expectedVersion: ExpectedVersion,
});

export const MoneyBody = z.strictObject({
  amount: Amount,
  /** makes a retried request safe; defaults to the `Idempotency-Key` header, else a new id */
  transactionId: EntityId.optional(),
  description: Description,
  expectedVersion: ExpectedVersion,
});

export const CloseAccountBody = z.strictObject({ expectedVersion: ExpectedVersion });

export const TransferBody = z
  .strictObject({
    transferId: EntityId.optional(),
    fromAccountId: EntityId,
    toAccountId: EntityId,
    amount: Amount,
    description: Description,
  })
  .refine((body) => body.fromAccountId !== body.toAccountId, {
    message: 'must differ from fromAccountId',
    path: ['toAccountId'],
  });
