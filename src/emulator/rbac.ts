import type { IncomingHttpHeaders } from 'node:http';
import type { DataRole } from './entra-token.ts';
import { CosmosError } from './errors.ts';

// Cosmos DB's data-plane RBAC, as far as the local server models it: which action a request needs, whether a
// built-in role grants it, and the service's refusals. Entra ID tokens cannot manage resources (create or delete
// databases and containers, change throughput): the service sends those to Azure Resource Manager.

const PREFIX = 'Microsoft.DocumentDB/databaseAccounts';

export const DataAction = {
  readMetadata: `${PREFIX}/readMetadata`,
  read: `${PREFIX}/sqlDatabases/containers/items/read`,
  create: `${PREFIX}/sqlDatabases/containers/items/create`,
  upsert: `${PREFIX}/sqlDatabases/containers/items/upsert`,
  replace: `${PREFIX}/sqlDatabases/containers/items/replace`,
  delete: `${PREFIX}/sqlDatabases/containers/items/delete`,
  executeQuery: `${PREFIX}/sqlDatabases/containers/executeQuery`,
  readChangeFeed: `${PREFIX}/sqlDatabases/containers/readChangeFeed`,
} as const;
export type DataAction = (typeof DataAction)[keyof typeof DataAction];

const readerActions: ReadonlySet<DataAction> = new Set([
  DataAction.readMetadata,
  DataAction.read,
  DataAction.executeQuery,
  DataAction.readChangeFeed,
]);

function grants(role: DataRole, action: DataAction): boolean {
  return role === 'data-contributor' || readerActions.has(action);
}

export interface RequestShape {
  verb: string;
  segments: readonly string[];
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const isTrue = (headers: IncomingHttpHeaders, name: string) => String(headers[name] ?? '').toLowerCase() === 'true';

const batchActions: Record<string, DataAction> = {
  create: DataAction.create,
  upsert: DataAction.upsert,
  replace: DataAction.replace,
  patch: DataAction.replace,
  delete: DataAction.delete,
  read: DataAction.read,
};

function actionsOfBatch(body: Buffer): DataAction[] {
  try {
    const operations = JSON.parse(body.toString('utf8')) as { operationType?: unknown }[];
    return operations.map(
      (operation) => batchActions[String(operation.operationType).toLowerCase()] ?? DataAction.create,
    );
  } catch {
    return [DataAction.create];
  }
}

/** The data actions a request needs, or `management` for what Entra ID tokens may not do on the data plane. */
export function requiredActions({ verb, segments, headers, body }: RequestShape): DataAction[] | 'management' {
  const isQuery =
    isTrue(headers, 'x-ms-documentdb-isquery') ||
    String(headers['content-type'] ?? '').startsWith('application/query+json');
  const onDocuments = segments[4] === 'docs' || segments[4] === 'operations';
  if (!onDocuments) {
    if (verb === 'GET' || (verb === 'POST' && isQuery)) return [DataAction.readMetadata];
    return 'management';
  }
  if (segments[4] === 'operations') return [DataAction.delete];
  if (segments.length === 6) {
    if (verb === 'GET') return [DataAction.read];
    if (verb === 'DELETE') return [DataAction.delete];
    return [DataAction.replace];
  }
  // Either change-feed mode (latest version, or all versions and deletes) needs readChangeFeed.
  if (verb === 'GET') return headers['a-im'] !== undefined ? [DataAction.readChangeFeed] : [DataAction.read];
  if (isTrue(headers, 'x-ms-cosmos-is-query-plan-request') || isQuery) return [DataAction.executeQuery];
  if (isTrue(headers, 'x-ms-cosmos-is-batch-request')) return actionsOfBatch(body);
  return [isTrue(headers, 'x-ms-documentdb-is-upsert') ? DataAction.upsert : DataAction.create];
}

/** Throws the service's 403 when the principal's roles do not grant what the request needs. */
export function checkRoles(
  account: string,
  principal: string,
  roles: readonly DataRole[],
  request: RequestShape,
): void {
  const needed = requiredActions(request);
  const path = `/${request.segments.join('/')}`;
  if (needed === 'management') {
    throw new CosmosError(
      403,
      `Request blocked by Auth ${account} : The given request [${request.verb} ${path}] cannot be authorized by AAD token in data plane. Create databases and containers, and change throughput, through Azure Resource Manager (Bicep, the portal, az) or with the account key. Learn more: https://aka.ms/cosmos-native-rbac.`,
      { 'x-ms-substatus': '5300' },
    );
  }
  const missing = needed.find((action) => !roles.some((role) => grants(role, action)));
  if (missing === undefined) return;
  const resource = request.segments.length >= 4 ? `/${request.segments.slice(0, 4).join('/')}` : '/';
  throw new CosmosError(
    403,
    `Request blocked by Auth ${account} : Request is blocked because principal [${principal}] does not have required RBAC permissions to perform action [${missing}] on resource [${resource}]. Assign it a role that grants the action (e.g. Cosmos DB Built-in Data Contributor). Learn more: https://aka.ms/cosmos-native-rbac.`,
    { 'x-ms-substatus': '5301' },
  );
}
