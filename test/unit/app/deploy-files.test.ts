import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cosmosTriggerConnection, parseSettings, SettingNames } from '../../../functions/settings.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const manifest = JSON.parse(read('package.json')) as { main: string; dependencies: Record<string, string> };

describe('the files a Functions deployment is made of', () => {
  it('local.settings.example.json names only settings the app reads, and they parse', () => {
    const { Values: values } = JSON.parse(read('local.settings.example.json')) as { Values: Record<string, string> };
    const known = new Set<string>([
      ...Object.values(SettingNames),
      `${cosmosTriggerConnection}__accountEndpoint`,
      'FUNCTIONS_WORKER_RUNTIME',
      'AzureWebJobsStorage',
    ]);
    expect(Object.keys(values).filter((name) => !known.has(name))).toEqual([]);
    const endpoint = 'https://example.documents.azure.com:443/';
    const filled = Object.fromEntries(
      Object.entries(values).map(([name, value]) => [
        name,
        value.replace('https://<account>.documents.azure.com:443/', endpoint).replace('<namespace>', 'example'),
      ]),
    );
    expect(parseSettings(filled).cosmos).toMatchObject({ endpoint, key: undefined });
  });

  it(".funcignore keeps what the host runs (dist's JavaScript, host.json, package*.json) and leaves sources, tests and local data out", () => {
    const ignored = read('.funcignore')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'));
    for (const kept of ['dist', 'host.json', 'package.json', 'package-lock.json']) expect(ignored).not.toContain(kept);
    for (const left of ['src', 'functions', 'test', 'bench', 'infra', '.tributary', 'local.settings*.json']) {
      expect(ignored).toContain(left);
    }
    expect(manifest.main).toBe('dist/functions/index.js');
  });

  it('keeps the Functions runtime packages in dependencies, which a deployment installs', () => {
    expect(Object.keys(manifest.dependencies)).toEqual(expect.arrayContaining(['@azure/functions', 'kafkajs']));
  });
});
