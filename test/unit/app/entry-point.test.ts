import { describe, expect, it, vi } from 'vitest';

describe('the Azure Functions entry point', () => {
  it('reads its settings and registers every function (a no-op outside the Functions host)', async () => {
    vi.stubEnv('COSMOS_ENDPOINT', 'https://localhost:8081/');
    vi.stubEnv(
      'COSMOS_KEY',
      'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==',
    );
    const warnings: string[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation((message: unknown) => warnings.push(String(message)));
    try {
      await import('../../../functions/index.ts');
    } finally {
      warn.mockRestore();
      vi.unstubAllEnvs();
    }
    const skipped = warnings.flatMap(
      (warning) => /Skipping call to register function "(\w+)"/.exec(warning)?.[1] ?? [],
    );
    expect(skipped.sort()).toEqual(
      [
        'openAccount',
        'deposit',
        'withdraw',
        'closeAccount',
        'requestTransfer',
        'getTransfer',
        'getAccount',
        'getStatement',
        'accountBalance',
        'accountStatement',
        'transferProcess',
        'statementLines',
        'processorLag',
      ].sort(),
    );
  });
});
