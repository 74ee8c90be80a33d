import type { CosmosClient } from '@azure/cosmos';
import { TributaryError } from '../core/errors.ts';

/** The data-plane role that lets an identity read and write items (Cosmos DB built-in role definition). */
export const dataContributorRole = {
  name: 'Cosmos DB Built-in Data Contributor',
  id: '00000000-0000-0000-0000-000000000002',
} as const;

const accountName = (endpoint: string) => {
  try {
    const host = new URL(endpoint).hostname;
    return /^[\d.]+$|^\[|^localhost$/.test(host) ? host : (host.split('.')[0] ?? host);
  } catch {
    return endpoint;
  }
};

/** The account refused the Entra ID identity (401/403): no data-plane role, or a token for another tenant. */
export class CosmosAccessDenied extends TributaryError {
  readonly code = 'CosmosAccessDenied';
  constructor(
    readonly endpoint: string,
    readonly status: number,
    options?: { cause?: unknown; substatus?: number },
  ) {
    const account = accountName(endpoint);
    if (options?.substatus === controlPlaneSubstatus) {
      super(
        `Cosmos DB account ${account} (${endpoint}) refused to create or delete a database or container with a ` +
          'Microsoft Entra ID token (HTTP 403, substatus 5300): that is a control-plane operation no data-plane role ' +
          'grants. Create them with the Bicep templates (`azd up`) or Azure CLI, or with the key where the account ' +
          'allows key auth.',
        options,
      );
      return;
    }
    super(
      `Cosmos DB account ${account} (${endpoint}) refused the Microsoft Entra ID identity (HTTP ${status}): it needs ` +
        `a data-plane role on the account, e.g. "${dataContributorRole.name}" (role definition id ` +
        `${dataContributorRole.id}); control-plane roles such as Contributor grant no data access. Grant it with ` +
        `\`az cosmosdb sql role assignment create --account-name ${account} --resource-group <group> --scope / ` +
        `--role-definition-id ${dataContributorRole.id} --principal-id <object id>\`, or set COSMOS_KEY where the ` +
        'account allows key auth.',
      options,
    );
  }
}

/** No Entra ID credential could sign in (no `az login`, no managed identity, no environment credential). */
export class EntraSignInUnavailable extends TributaryError {
  readonly code = 'EntraSignInUnavailable';
  constructor(
    readonly endpoint: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `No Microsoft Entra ID credential could sign in to Cosmos DB account ${accountName(endpoint)} (${endpoint}): ` +
        `${reason} Sign in with \`az login\` (or run where a managed identity or AZURE_CLIENT_ID/AZURE_TENANT_ID ` +
        'are set), or set COSMOS_KEY where the account allows key auth.',
      options,
    );
  }
}

const firstLine = (text: string) => text.split('\n')[0]?.trim() ?? '';
/** Cosmos DB's substatus for an Entra ID token used on a control-plane operation (create/delete database, container). */
const controlPlaneSubstatus = 5300;

/**
 * The typed error for a Cosmos DB or credential failure that is about access (401/403, no credential), or undefined
 * for any other failure. Messages name the account and what to grant, never a token or key.
 */
export function accessError(error: unknown, endpoint: string): CosmosAccessDenied | EntraSignInUnavailable | undefined {
  if (error instanceof CosmosAccessDenied || error instanceof EntraSignInUnavailable) return error;
  const { code, statusCode, substatus, name, message } = error as {
    code?: unknown;
    statusCode?: unknown;
    substatus?: unknown;
    name?: unknown;
    message?: unknown;
  };
  const status = typeof statusCode === 'number' ? statusCode : code;
  if (status === 401 || status === 403) {
    return new CosmosAccessDenied(endpoint, status, {
      cause: error,
      ...(typeof substatus === 'number' ? { substatus } : {}),
    });
  }
  if (
    name === 'CredentialUnavailableError' ||
    name === 'AuthenticationError' ||
    name === 'AggregateAuthenticationError'
  ) {
    return new EntraSignInUnavailable(endpoint, `${firstLine(String(message))}.`, { cause: error });
  }
  return undefined;
}

/**
 * Reads the account's metadata once (1 request) to learn early whether the client's identity may use the account:
 * resolves when it may, throws `CosmosAccessDenied` for a 401/403 and `EntraSignInUnavailable` when the credential
 * could not get a token. Other failures (network, DNS) are rethrown as they are.
 */
export async function checkCosmosAccess(client: CosmosClient, endpoint: string): Promise<void> {
  try {
    await client.getDatabaseAccount();
  } catch (error) {
    throw accessError(error, endpoint) ?? error;
  }
}
