import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.ts';
import {
  checkHostedApp,
  findAppModule,
  InvalidAppModule,
  loadAppFactory,
  NoAppConfigured,
} from '../../../src/dev/index.ts';
import { captureIo } from '../cli/capture-io.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-app-module-'));
  await writeFile(
    join(dir, 'good.mjs'),
    'export default () => ({ serve: async () => ({ status: 404 }), processors: [], categories: [] });\n',
  );
  await writeFile(join(dir, 'named.mjs'), 'export const app = () => ({});\n');
  await writeFile(join(dir, 'wrong-export.mjs'), 'export const factory = 1;\n');
  await writeFile(join(dir, 'throws.mjs'), "throw new Error('boom at load');\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('finding the app module', () => {
  it('takes --app first, then TRIBUTARY_APP, then the "app" of tributary.config.json relative to it', async () => {
    expect((await findAppModule(dir, 'a.js', 'b.js')).path).toBe(join(dir, 'a.js'));
    expect((await findAppModule(dir, undefined, 'b.js')).path).toBe(join(dir, 'b.js'));
    await writeFile(join(dir, 'tributary.config.json'), '{ "app": "./good.mjs" }');
    const fromConfig = await findAppModule(dir, undefined, undefined);
    expect(fromConfig.path).toBe(join(dir, 'good.mjs'));
    expect(fromConfig.source).toContain('tributary.config.json');
  });

  it('without any of them, says the three ways to name one', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'tributary-no-app-'));
    await expect(findAppModule(empty, undefined, undefined)).rejects.toThrow(NoAppConfigured);
    await expect(findAppModule(empty, undefined, undefined)).rejects.toThrow(
      /--app <module>.*TRIBUTARY_APP.*tributary\.config\.json/,
    );
    await rm(empty, { recursive: true });
  });

  it('refuses a config file that is not JSON or not of the shape {"app": string}, naming the file', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'tributary-bad-config-'));
    await writeFile(join(bad, 'tributary.config.json'), '{ app: ');
    await expect(findAppModule(bad, undefined, undefined)).rejects.toThrow(
      /The config file .*tributary\.config\.json is not valid JSON/,
    );
    await writeFile(join(bad, 'tributary.config.json'), '{ "application": "./x.js" }');
    await expect(findAppModule(bad, undefined, undefined)).rejects.toThrow(/is not of the shape \{"app"/);
    await rm(bad, { recursive: true });
  });
});

describe('loading the app factory', () => {
  const ref = (file: string) => ({ path: join(dir, file), source: `./${file} (from --app)` });

  it('takes the default export, or the export named "app"', async () => {
    expect(typeof (await loadAppFactory(ref('good.mjs')))).toBe('function');
    expect(typeof (await loadAppFactory(ref('named.mjs')))).toBe('function');
  });

  it('names the module and what is wrong: missing, failing to load, or exporting no factory', async () => {
    await expect(loadAppFactory(ref('missing.mjs'))).rejects.toThrow(/\.\/missing\.mjs \(from --app\) does not exist/);
    await expect(loadAppFactory(ref('throws.mjs'))).rejects.toThrow(/failed to load: boom at load/);
    await expect(loadAppFactory(ref('wrong-export.mjs'))).rejects.toThrow(
      /must export an app factory.*it exports factory/,
    );
    await expect(loadAppFactory(ref('wrong-export.mjs'))).rejects.toBeInstanceOf(InvalidAppModule);
  });

  it('checks what the factory returned: serve, processors with name/processorName/kind/handle, categories, unique processor names', () => {
    const handle = async () => undefined;
    const app = {
      serve: handle,
      processors: [{ name: 'p', processorName: 'projection-p', kind: 'projection', handle }],
      categories: ['Order'],
    };
    expect(checkHostedApp(app, 'x')).toBe(app);
    expect(() =>
      checkHostedApp({ ...app, processors: [{ name: 'p', processorName: 'projection-p', kind: 'projection' }] }, 'x'),
    ).toThrow(/handle/);
    expect(() => checkHostedApp({ ...app, processors: [{ name: 'p', kind: 'projection', handle }] }, 'x')).toThrow(
      /processorName/,
    );
    expect(() => checkHostedApp({ ...app, processors: [app.processors[0], app.processors[0]] }, 'x')).toThrow(
      /two processors named "projection-p"/,
    );
  });

  it('checks its consumers too: name, contract and handle, a name no processor has', () => {
    const handle = async () => undefined;
    const app = {
      serve: handle,
      processors: [{ name: 'p', processorName: 'projection-p', kind: 'projection', handle }],
      categories: ['Order'],
      consumers: [{ name: 'ledger', contract: { topic: 'statement-lines' }, handle }],
    };
    expect(checkHostedApp(app, 'x')).toBe(app);
    expect(() => checkHostedApp({ ...app, consumers: [{ name: 'ledger', contract: { topic: 't' } }] }, 'x')).toThrow(
      /consumers\[0\]\.handle|handle/,
    );
    expect(() =>
      checkHostedApp({ ...app, consumers: [{ name: 'projection-p', contract: { topic: 't' }, handle }] }, 'x'),
    ).toThrow(/two processors or consumers named "projection-p"/);
  });
});

describe('the CLI with a broken app', () => {
  it('exits with code 2 and the reason, before starting anything', async () => {
    for (const file of ['missing.mjs', 'throws.mjs', 'wrong-export.mjs']) {
      const { io, out } = captureIo({ TRIBUTARY_APP: file }, dir);
      expect(await runCli(['dev', '--port', '0', '--cosmos-port', '0'], io)).toBe(2);
      expect(out.stderr).toContain(`The app module ${file} (from TRIBUTARY_APP)`);
      expect(out.stdout).toBe('');
    }
  });
});
