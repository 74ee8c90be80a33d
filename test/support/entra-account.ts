import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startLocalCosmos } from '../../src/emulator/index.ts';
import type { LocalCosmos } from '../../src/emulator/types.ts';
import { createCosmosClient, ensureContainers } from '../../src/store/index.ts';

export interface EntraAccount {
  /** the local server over https with key auth disabled: only Entra ID tokens get in */
  readonly cosmos: LocalCosmos;
  readonly dataDir: string;
  readonly databaseId: string;
}

/**
 * An account deployed with key auth disabled, for the test file: the containers are made first with the key (as Bicep
 * makes them with control-plane rights), then the server restarts on the same data with TLS and `disableLocalAuth`.
 * The SDK sends tokens only over https, so this test process trusts the server's self-signed certificate. Use the
 * returned value inside hooks and tests only.
 */
export function useEntraAccount(databaseId: string): EntraAccount {
  let cosmos: LocalCosmos | undefined;
  let dataDir: string | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tributary-entra-'));
    const setup = await startLocalCosmos({ dataDir });
    const client = createCosmosClient({ endpoint: setup.endpoint, key: setup.key });
    await ensureContainers(client, { databaseId });
    client.dispose();
    await setup.close();
    cosmos = await startLocalCosmos({ dataDir, tls: true, disableLocalAuth: true });
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  });
  afterAll(async () => {
    await cosmos?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  const ready = () => {
    if (!cosmos || !dataDir)
      throw new Error('The Entra ID account is used outside a hook or test, or failed to start.');
    return { cosmos, dataDir };
  };
  return {
    get cosmos() {
      return ready().cosmos;
    },
    get dataDir() {
      return ready().dataDir;
    },
    databaseId,
  };
}
