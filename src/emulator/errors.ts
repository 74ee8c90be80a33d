/** The Cosmos DB error codes (the `code` field of an error body) by HTTP status. */
const codeByStatus: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  408: 'RequestTimeout',
  409: 'Conflict',
  410: 'Gone',
  412: 'PreconditionFailed',
  413: 'RequestEntityTooLarge',
  424: 'FailedDependency',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

/** A request that Cosmos DB would refuse: answered with `status`, optional headers and a `{ code, message }` body. */
export class CosmosError extends Error {
  readonly code: string;

  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.code = codeByStatus[status] ?? 'Error';
  }
}

export const SubStatus = { partitionKeyRangeGone: '1002', throttled: '3200' } as const;

export const badRequest = (message: string) => new CosmosError(400, message);
export const notFound = (message = 'Entity with the specified id does not exist in the system.') =>
  new CosmosError(404, message);
export const conflict = (message = 'Entity with the specified id already exists in the system.') =>
  new CosmosError(409, message);
export const preconditionFailed = (
  message = 'Operation cannot be performed because one of the specified precondition is not met.',
) => new CosmosError(412, message);
export const rangeGone = (rangeId: string) =>
  new CosmosError(410, `The partition key range ${rangeId} is gone: it was split.`, {
    'x-ms-substatus': SubStatus.partitionKeyRangeGone,
  });

/**
 * The local server or its credential was given options it cannot work with. (The emulator stands alone, so this is
 * not a `TributaryError`; `code` names it all the same.)
 */
export class InvalidLocalCosmosOptions extends Error {
  override readonly name = 'InvalidLocalCosmosOptions';
  readonly code = 'InvalidLocalCosmosOptions';
}

/** Another local server (in this process or another live one) has the data directory open: two would mix journals. */
export class DataDirectoryInUse extends Error {
  override readonly name = 'DataDirectoryInUse';
  readonly code = 'DataDirectoryInUse';
  constructor(
    readonly directory: string,
    /** the owning process, when it is another one */
    readonly pid: number | undefined,
  ) {
    super(
      pid === undefined
        ? `The data directory ${directory} is already open in this process; close the other server first.`
        : `The data directory ${directory} is in use by another local Cosmos server (pid ${pid}); stop it or use ` +
            'another directory.',
    );
  }
}
