// The package as a user gets it: `npm pack`, installed into an empty project, used from plain Node and TypeScript.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeImports } from './readme-code.ts';

/** How the consumer project compiles: a strict NodeNext project, as a team on Node 22 would set it up. */
const consumerCompilerOptions = {
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  target: 'ES2022',
  lib: ['ES2022'],
  types: ['node'],
  strict: true,
};

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
};
const subpaths = Object.keys(manifest.exports)
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`));
const npmFlags = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
const minutes = (n: number) => n * 60_000;

let work: string;
let consumer: string;
let tarball: string;
let packedFiles: string[];
let packedManifest: Record<string, unknown>;

async function inConsumer(command: string, args: readonly string[], env: Record<string, string> = {}) {
  return run(command, args, { cwd: consumer, env: { ...process.env, ...env }, maxBuffer: 32 * 1024 * 1024 });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tributary-package-'));
  consumer = join(work, 'consumer');
  await mkdir(consumer);
  // `npm pack` runs the `prepack` script (`npm run build`, then clean-package), so the tarball holds a fresh build.
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work, ...npmFlags], {
    cwd: repo,
    maxBuffer: 32 * 1024 * 1024,
  });
  const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  tarball = join(work, info.filename);
  packedFiles = info.files.map((file) => file.path);
  await run('tar', ['-xzf', tarball, '-C', work, 'package/package.json']);
  packedManifest = JSON.parse(await readFile(join(work, 'package', 'package.json'), 'utf8'));
  await writeFile(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2),
  );
  await inConsumer('npm', ['install', tarball, ...npmFlags]);
}, minutes(5));

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the built library, its CLI and the README: no sources, tests, benchmarks, infra or sample app', () => {
    expect(packedFiles).toContain('package.json');
    expect(packedFiles).toContain('README.md');
    expect(packedFiles).toContain('LICENSE');
    expect(packedFiles).toContain('bin/tributary.mjs');
    expect(packedFiles).toContain('dist/src/index.js');
    expect(packedFiles).toContain('dist/src/index.d.ts');
    expect(packedFiles).toContain('dist/src/dev/dashboard/index.html');
    expect(packedManifest).not.toHaveProperty('main');
    expect(packedManifest).not.toHaveProperty('devDependencies');
    const unexpected = packedFiles.filter(
      (path) =>
        !(
          path.startsWith('dist/src/') || ['package.json', 'README.md', 'LICENSE', 'bin/tributary.mjs'].includes(path)
        ) ||
        path.endsWith('.ts') !== path.endsWith('.d.ts') ||
        path.endsWith('.map'),
    );
    expect(unexpected).toEqual([]);
  });

  it('imports the main entry, /dev, /testing and /summaries and starts a test server from plain Node without tsx or any optional integration', async () => {
    // @opentelemetry/api is a required peer (one API copy shared with the app's SDK): npm installs it
    const optional = Object.keys(manifest.peerDependencies).filter(
      (name) => manifest.peerDependenciesMeta[name]?.optional,
    );
    const script = `
      const names = {};
      for (const entry of ['${manifest.name}', '${manifest.name}/dev', '${manifest.name}/testing']) {
        names[entry] = Object.keys(await import(entry)).length;
      }
      const problems = [];
      for (const name of ${JSON.stringify([...optional, 'tsx'])}) {
        try { import.meta.resolve(name); problems.push(name + ' is installed'); } catch {}
      }
      const { startTestCosmos } = await import('${manifest.name}/testing');
      const cosmos = await startTestCosmos();
      let query = 'answered';
      try { await cosmos.containers.events.items.query('SELECT * FROM c').fetchAll(); }
      catch (error) { query = String(error.message); }
      await cosmos.close();
      const summaries = await import('${manifest.name}/summaries');
      let kafka = 'configured';
      try { summaries.kafkaConfigFromBrokers(['127.0.0.1:9092']); }
      catch (error) { kafka = error.code + ': ' + error.message; }
      console.log(JSON.stringify({ names, problems, query, kafka }));`;
    const { stdout } = await inConsumer('node', ['--input-type=module', '-e', script]);
    const result = JSON.parse(stdout) as {
      names: Record<string, number>;
      problems: string[];
      query: string;
      kafka: string;
    };
    expect(result.problems).toEqual([]);
    // The local server starts without its optional SQL engine, and a query says which package to install.
    expect(result.query).toContain('npm install --save-dev @zeit/cosmosdb-query');
    // /summaries imports without kafkajs; asking for Kafka names the package to install.
    expect(result.kafka).toMatch(/^KafkaUnavailable: .*npm install kafkajs/);
    expect(result.names[manifest.name]).toBeGreaterThan(50);
    expect(result.names[`${manifest.name}/dev`]).toBeGreaterThan(5);
    expect(result.names[`${manifest.name}/testing`]).toBeGreaterThan(5);
  });

  it(
    'type-checks a file importing types from the main entry, /dev, /testing and /tracing without any optional integration (strict, no skipLibCheck)',
    async () => {
      const tools = ['typescript', '@types/node'].map((name) => `${name}@${manifest.devDependencies[name]}`);
      await inConsumer('npm', ['install', ...tools, ...npmFlags]);
      await writeFile(
        join(consumer, 'types-only.ts'),
        [
          `import type { CosmosStore, InvalidOptions } from '${manifest.name}';`,
          `import type { HostedApp, HostedAppFactory } from '${manifest.name}/dev';`,
          `import type { MemoryStore, TestCosmos } from '${manifest.name}/testing';`,
          `import type { RecentSpans, TracingOptions } from '${manifest.name}/tracing';`,
          'export type Used = [CosmosStore, InvalidOptions, HostedApp, HostedAppFactory, MemoryStore, TestCosmos, RecentSpans, TracingOptions];',
        ].join('\n'),
      );
      await writeFile(
        join(consumer, 'tsconfig.types-only.json'),
        JSON.stringify({
          compilerOptions: { ...consumerCompilerOptions, noEmit: true },
          files: ['types-only.ts'],
        }),
      );
      const optional = Object.keys(manifest.peerDependencies).filter(
        (name) => manifest.peerDependenciesMeta[name]?.optional,
      );
      const installed = optional.filter((name) => existsSync(join(consumer, 'node_modules', name)));
      expect(installed).toEqual([]);
      // A declaration that reaches kafkajs, @azure/event-hubs or the OpenTelemetry SDK fails here with TS2307.
      const checked = await inConsumer('npx', ['tsc', '-p', 'tsconfig.types-only.json']).catch(
        (error: { stdout: string }) => error,
      );
      expect(checked.stdout).toBe('');
    },
    minutes(3),
  );

  it('runs the CLI without the optional integrations: --help, and a clear exit 2 for a missing app', async () => {
    const help = await inConsumer('npx', ['tributary', '--help']);
    expect(help.stdout).toContain('Usage: tributary <command>');
    const failed = await inConsumer('npx', ['tributary', 'dev', '--app', './nowhere.js']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain(`looked for ${join(consumer, 'nowhere.js')}`);
  });

  describe('with the optional integrations and TypeScript installed', () => {
    beforeAll(async () => {
      const peers = Object.keys(manifest.peerDependencies).map((name) => `${name}@${manifest.peerDependencies[name]}`);
      const tools = ['typescript', '@types/node'].map((name) => `${name}@${manifest.devDependencies[name]}`);
      await inConsumer('npm', ['install', ...peers, ...tools, 'zod', ...npmFlags]);
      await cp(join(repo, 'examples'), join(consumer, 'examples'), { recursive: true });
    }, minutes(5));

    it('imports every subpath from a plain .mjs file under Node 22', async () => {
      const script = subpaths
        .map((subpath) => `console.log('${subpath}', Object.keys(await import('${subpath}')).length);`)
        .join('\n');
      await writeFile(join(consumer, 'every-subpath.mjs'), script);
      const { stdout } = await inConsumer('node', ['every-subpath.mjs']);
      for (const subpath of subpaths) expect(stdout).toMatch(new RegExp(`^${subpath} [1-9]\\d*$`, 'm'));
    });

    it(
      "type-checks the README's imports and the examples with a default NodeNext tsconfig (lib ES2022)",
      async () => {
        await writeFile(
          join(consumer, 'readme-imports.ts'),
          `${readmeImports(await readFile(join(repo, 'README.md'), 'utf8'))}\nexport {};\n`,
        );
        await writeFile(
          join(consumer, 'tsconfig.json'),
          JSON.stringify({
            compilerOptions: { ...consumerCompilerOptions, outDir: 'out' },
            include: ['readme-imports.ts', 'examples'],
          }),
        );
        const checked = await inConsumer('npx', ['tsc', '-p', 'tsconfig.json']).catch(
          (error: { stdout: string }) => error,
        );
        expect(checked.stdout).toBe('');
        expect(await readdir(join(consumer, 'out', 'examples'))).toContain('quick-start.js');
      },
      minutes(2),
    );

    it(
      'runs the quick-start example',
      async () => {
        const { stdout } = await inConsumer('node', ['out/examples/quick-start.js']);
        expect(stdout).toContain('Account-42 balance: 70');
      },
      minutes(1),
    );

    it(
      "runs the memory store's unit-test example (node:test fails the process on a failed test)",
      async () => {
        const { stdout } = await inConsumer('node', ['out/examples/memory-store-unit-test.js']);
        expect(stdout).toMatch(/^# pass 1$/m);
      },
      minutes(1),
    );

    it(
      'hosts its own app with the CLI: rebuild and replay find its processors, not the sample bank',
      async () => {
        const app = join('out', 'examples', 'orders-app.js');
        await inConsumer('npx', ['tributary', 'init']);
        // Three events of Order-1 in the local dev data the CLI uses (.tributary/), written through the library.
        const writer = `
          const { createCosmosClient, createCosmosStore, defineCodec } = await import('${manifest.name}');
          const { startLocalCosmos } = await import('${manifest.name}/emulator');
          const { z } = await import('zod');
          const server = await startLocalCosmos({ port: 0, dataDir: '.tributary/cosmos' });
          const client = createCosmosClient({ endpoint: server.endpoint, key: server.key });
          const codec = defineCodec({ ItemAdded: z.object({ sku: z.string(), quantity: z.number() }) });
          const orders = createCosmosStore({ client, databaseId: 'tributary' })
            .category({ name: 'Order', codec, fold: { initial: null, evolve: () => null } });
          for (const sku of ['a', 'b', 'c']) await orders.transact('1', () => [{ type: 'ItemAdded', data: { sku, quantity: 1 } }]);
          client.dispose();
          await server.close();`;
        await inConsumer('node', ['--input-type=module', '-e', writer]);
        const rebuilt = await inConsumer('npx', ['tributary', 'rebuild', 'order-view', '--app', app]);
        expect(rebuilt.stdout).toContain('Rebuilt order-view: 3 event(s) applied');
        const again = await inConsumer('npx', ['tributary', 'rebuild', 'order-view', '--app', app]);
        expect(again.stdout).toContain('Rebuilt order-view: 3 event(s) applied');
        const unknown = await inConsumer('npx', ['tributary', 'replay', 'account-balance', '--app', app]).catch(
          (error: { code: number; stderr: string }) => error,
        );
        expect(unknown).toMatchObject({ code: 2 });
        expect((unknown as { stderr: string }).stderr).toContain('No processor named "account-balance"');
        expect((unknown as { stderr: string }).stderr).toContain('projection-order-view@1');
      },
      minutes(2),
    );

    it(
      'passes publint and arethetypeswrong (ESM-only profile)',
      async () => {
        const bin = (name: string) => join(repo, 'node_modules', '.bin', name);
        const lint = await run(bin('publint'), ['run', join(consumer, 'node_modules', manifest.name), '--strict']);
        expect(lint.stdout).not.toMatch(/error|warning/i);
        const types = await run(bin('attw'), [tarball, '--profile', 'esm-only']).catch(
          (error: { code: number; stdout: string }) => error,
        );
        expect(types).not.toHaveProperty('code');
      },
      minutes(2),
    );
  });
});
