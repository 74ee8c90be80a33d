import type { CosmosClient } from '@azure/cosmos';
import { TributaryError } from '../core/errors.ts';

/** The data-plane role that lets an identity read and write items (Cosmos DB built-in role definition). */
export const dataContributorRole = {
  name: 'Cosmos DB Built-in Data Contributor',
  id: '00000000-0000-0000-0000-000000000002',
} as const;

const accountName = (endpoint: string) => {
  try {
    return new URL(endpoint).hostname.split('.')[0] ?? endpoint;
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
    options?: { cause?: unknown },
  ) {
    const account = accountName(endpoint);
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

/**
 * Reads the account's metadata once (1 request) to learn early whether the client's identity may use the account:
 * resolves when it may, throws `CosmosAccessDenied` for a 401/403 and `EntraSignInUnavailable` when the credential
 * could not get a token. Other failures (network, DNS) are rethrown as they are.
 */
export async function checkCosmosAccess(client: CosmosClient, endpoint: string): Promise<void> {
  try {
    await client.getDatabaseAccount();
  } catch (error) {
    const { code, statusCode, name, message } = error as {
      code?: unknown;
      statusCode?: unknown;
      name?: unknown;
      message?: unknown;
    };
    const status = typeof statusCode === 'number' ? statusCode : code;
    if (status === 401 || status === 403) throw new CosmosAccessDenied(endpoint, status, { cause: error });
    if (
      name === 'CredentialUnavailableError' ||
      name === 'AuthenticationError' ||
      name === 'AggregateAuthenticationError'
    ) {
      throw new EntraSignInUnavailable(endpoint, `${firstLine(String(message))}.`, { cause: error });
    }
    throw error;
  }
}
