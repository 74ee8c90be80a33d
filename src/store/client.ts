import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { CosmosClient, type CosmosClientOptions } from '@azure/cosmos';

/** How to reach a Cosmos DB account: a key where local auth is on, otherwise Microsoft Entra ID. */
export interface CosmosConnectionOptions {
  /** the account endpoint, e.g. `https://<account>.documents.azure.com:443/` or the local server's URL */
  readonly endpoint: string;
  /** the account key; when absent, `credential` (default `DefaultAzureCredential`) signs every request */
  readonly key?: string;
  /** the Entra ID credential used when there is no key (default: `DefaultAzureCredential` from `@azure/identity`) */
  readonly credential?: TokenCredential;
  /** further client options (user agent, retry policy, …) */
  readonly clientOptions?: Omit<CosmosClientOptions, 'endpoint' | 'key' | 'aadCredentials'>;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True for an endpoint on this machine: the local server or the official emulator. */
export function isLocalEndpoint(endpoint: string): boolean {
  try {
    return loopbackHosts.has(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

/**
 * `DefaultAzureCredential`, loaded on first use: `@azure/identity` is imported only by processes that sign in with
 * Entra ID (`az login` on a laptop, the managed identity in Azure), never by those that use a key.
 */
export function defaultAzureCredential(): TokenCredential {
  let inner: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      inner ??= import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential());
      return (await inner).getToken(scopes, options);
    },
  };
}

/**
 * A `CosmosClient` for the account: key auth when a key is given, else Entra ID (`aadCredentials`). A local endpoint
 * (loopback) skips endpoint discovery, which the local server and the emulator don't need.
 *
 * With Entra ID the identity needs a data-plane role on the account (e.g. "Cosmos DB Built-in Data Contributor",
 * role id `00000000-0000-0000-0000-000000000002`): control-plane roles such as Contributor don't grant data access.
 */
export function createCosmosClient(options: CosmosConnectionOptions): CosmosClient {
  const auth =
    options.key !== undefined
      ? { key: options.key }
      : { aadCredentials: options.credential ?? defaultAzureCredential() };
  return new CosmosClient({
    ...options.clientOptions,
    endpoint: options.endpoint,
    ...auth,
    ...(isLocalEndpoint(options.endpoint)
      ? { connectionPolicy: { ...options.clientOptions?.connectionPolicy, enableEndpointDiscovery: false } }
      : {}),
  });
}
