import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { commandFingerprint } from '../../src/store/index.ts';
import type { AccountCommand } from '../domain/account/index.ts';
import type { BankService } from '../service.ts';
import type { ApiRequest, ApiResponse, ApiRoute } from './api.ts';
import {
  acceptsContentType,
  CloseAccountBody,
  EntityId,
  MoneyBody,
  maxBodyBytes,
  OpenAccountBody,
  TransferBody,
} from './requests.ts';
import { badRequest, errorResponse, etag, notFound } from './responses.ts';

export interface BankRoutesOptions {
  /** where unexpected failures are reported (default: console.error) */
  readonly log?: (message: string, error: unknown) => void;
  /** generates transaction and transfer ids the client did not give (default: random UUIDs) */
  readonly newId?: () => string;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; response: ApiResponse };

function parseBody<S extends z.ZodType>(request: ApiRequest, schema: S): Parsed<z.output<S>> {
  if (!acceptsContentType(request.header('content-type'))) {
    const message = 'Send the request body as content-type: application/json (UTF-8).';
    return { ok: false, response: { status: 415, body: { error: 'UnsupportedMediaType', message } } };
  }
  if (Buffer.byteLength(request.body, 'utf8') > maxBodyBytes) {
    const message = `The request body is larger than ${maxBodyBytes} bytes; send at most ${maxBodyBytes}.`;
    return { ok: false, response: { status: 413, body: { error: 'RequestBodyTooLarge', message } } };
  }
  let json: unknown = {};
  if (request.body.trim() !== '') {
    try {
      json = JSON.parse(request.body);
    } catch {
      return {
        ok: false,
        response: { status: 400, body: { error: 'InvalidJson', message: 'The request body is not valid JSON.' } },
      };
    }
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, response: badRequest(parsed.error, 'body') };
}

function parseId(request: ApiRequest, name = 'id'): Parsed<string> {
  const parsed = EntityId.safeParse(request.params[name]);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, response: badRequest(parsed.error, 'path', name) };
}

/** The `Idempotency-Key` header, when given: it becomes a transaction or transfer id, so it must be a valid id. */
function idempotencyKeyOf(request: ApiRequest): Parsed<string | undefined> {
  const header = request.header('idempotency-key');
  if (header === undefined) return { ok: true, value: undefined };
  const parsed = EntityId.safeParse(header);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, response: badRequest(parsed.error, 'header', 'Idempotency-Key') };
}

/** `If-Match: "3"` or a body's `expectedVersion: 3`; the header wins. Invalid header → undefined + 400. */
function expectedVersionOf(request: ApiRequest, fromBody: number | undefined): Parsed<bigint | undefined> {
  const header = request.header('if-match');
  if (header === undefined || header === '*')
    return { ok: true, value: fromBody === undefined ? undefined : BigInt(fromBody) };
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match?.[1]) {
    return {
      ok: false,
      response: {
        status: 400,
        body: { error: 'InvalidRequest', message: 'If-Match must be a version returned in an ETag, e.g. "3".' },
      },
    };
  }
  return { ok: true, value: BigInt(match[1]) };
}

/** The HTTP API of the bank over a `BankService`. */
export function createBankRoutes(service: BankService, options: BankRoutesOptions = {}): ApiRoute[] {
  const log = options.log ?? ((message, error) => console.error(message, error));
  const newId = options.newId ?? (() => randomUUID());

  const guarded =
    (handle: (request: ApiRequest) => Promise<ApiResponse>) =>
    async (request: ApiRequest): Promise<ApiResponse> => {
      try {
        return await handle(request);
      } catch (error) {
        return errorResponse(error, log);
      }
    };

  /**
   * `toCommand` returns the command and the client's idempotency key for it, if any: the store keeps the key with the
   * command's fingerprint, so a retry answers the first outcome and another command under the same key is refused.
   */
  const accountCommand = <S extends z.ZodType<{ expectedVersion?: number | undefined }>>(
    schema: S,
    toCommand: (
      body: z.output<S>,
      idempotencyKey: string | undefined,
    ) => { command: AccountCommand; idempotencyKey: string | undefined },
  ) =>
    guarded(async (request) => {
      const id = parseId(request);
      if (!id.ok) return id.response;
      const body = parseBody(request, schema);
      if (!body.ok) return body.response;
      const expectedVersion = expectedVersionOf(request, body.value.expectedVersion);
      if (!expectedVersion.ok) return expectedVersion.response;
      const key = idempotencyKeyOf(request);
      if (!key.ok) return key.response;
      const { command, idempotencyKey } = toCommand(body.value, key.value);
      const { version } = await service.commandAccount(id.value, command, {
        expectedVersion: expectedVersion.value,
        idempotency:
          idempotencyKey === undefined
            ? undefined
            : { key: idempotencyKey, fingerprint: commandFingerprint(command.type, command) },
      });
      const transaction = 'transactionId' in command ? { transactionId: command.transactionId } : {};
      return {
        status: 200,
        headers: { etag: etag(version) },
        body: { accountId: id.value, version: Number(version), ...transaction },
      };
    });

  /** A deposit or withdrawal: its transaction id is the client's key (body first, then header) or a new id. */
  const money = (type: 'Deposit' | 'Withdraw') => (body: z.output<typeof MoneyBody>, headerKey: string | undefined) => {
    const idempotencyKey = body.transactionId ?? headerKey;
    const transactionId = idempotencyKey ?? newId();
    return {
      command: { type, transactionId, amount: body.amount, description: body.description },
      idempotencyKey,
    };
  };

  return [
    {
      name: 'openAccount',
      method: 'POST',
      route: 'accounts/{id}/open',
      authLevel: 'function',
      handle: accountCommand(OpenAccountBody, (body, idempotencyKey) => ({
        command: { type: 'Open', owner: body.owner, overdraftLimit: body.overdraftLimit },
        idempotencyKey,
      })),
    },
    {
      name: 'deposit',
      method: 'POST',
      route: 'accounts/{id}/deposit',
      authLevel: 'function',
      handle: accountCommand(MoneyBody, money('Deposit')),
    },
    {
      name: 'withdraw',
      method: 'POST',
      route: 'accounts/{id}/withdraw',
      authLevel: 'function',
      handle: accountCommand(MoneyBody, money('Withdraw')),
    },
    {
      name: 'closeAccount',
      method: 'POST',
      route: 'accounts/{id}/close',
      authLevel: 'function',
      handle: accountCommand(CloseAccountBody, (_body, idempotencyKey) => ({
        command: { type: 'Close' },
        idempotencyKey,
      })),
    },
    {
      name: 'requestTransfer',
      method: 'POST',
      route: 'transfers',
      authLevel: 'function',
      handle: guarded(async (request) => {
        const body = parseBody(request, TransferBody);
        if (!body.ok) return body.response;
        const key = idempotencyKeyOf(request);
        if (!key.ok) return key.response;
        const { transferId: given, ...transfer } = body.value;
        const clientKey = given ?? key.value;
        const transferId = clientKey ?? newId();
        const command = { type: 'Request', ...transfer } as const;
        const { version } = await service.requestTransfer(transferId, command, {
          idempotency:
            clientKey === undefined
              ? undefined
              : { key: clientKey, fingerprint: commandFingerprint(command.type, command) },
        });
        return {
          status: 202,
          headers: { location: `/api/transfers/${transferId}`, etag: etag(version) },
          body: { transferId, status: 'requested' },
        };
      }),
    },
    {
      name: 'getTransfer',
      method: 'GET',
      route: 'transfers/{id}',
      authLevel: 'function',
      handle: guarded(async (request) => {
        const id = parseId(request);
        if (!id.ok) return id.response;
        const { state, version } = await service.transfer(id.value);
        if (state.status === 'none') return notFound(`Transfer ${id.value} has not been requested.`);
        return { status: 200, headers: { etag: etag(version) }, body: { transferId: id.value, ...state } };
      }),
    },
    {
      name: 'getAccount',
      method: 'GET',
      route: 'accounts/{id}',
      authLevel: 'function',
      handle: guarded(async (request) => {
        const id = parseId(request);
        if (!id.ok) return id.response;
        const view = await service.balance(id.value);
        return view ? { status: 200, body: view } : notFound(`Account ${id.value} is not known (yet).`);
      }),
    },
    {
      name: 'getStatement',
      method: 'GET',
      route: 'accounts/{id}/statement',
      authLevel: 'function',
      handle: guarded(async (request) => {
        const id = parseId(request);
        if (!id.ok) return id.response;
        const view = await service.statement(id.value);
        return view ? { status: 200, body: view } : notFound(`Account ${id.value} has no statement (yet).`);
      }),
    },
  ];
}
