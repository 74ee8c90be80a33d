import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeImports, typeScriptBlocks } from './readme-code.ts';

const repo = resolve(import.meta.dirname, '../..');
const readme = await readFile(join(repo, 'README.md'), 'utf8');

describe("the README's code", () => {
  it('shows each example of examples/ verbatim, so the examples the package test runs are the ones readers see', async () => {
    const blocks = typeScriptBlocks(readme);
    for (const file of await readdir(join(repo, 'examples'))) {
      const source = await readFile(join(repo, 'examples', file), 'utf8');
      expect(blocks, `README.md should show examples/${file} in a \`\`\`ts block`).toContain(source);
    }
  });

  it('imports only from the package name, never from source paths', () => {
    const sourceImports = typeScriptBlocks(readme).flatMap((block) => block.match(/from '\.{1,2}\/src\/[^']*'/g) ?? []);
    expect(sourceImports).toEqual([]);
  });

  it('collects every import from the package for the type check of the packed tarball', () => {
    const imports = readmeImports(
      "```ts\nimport { a, type B } from 'tributary-cosmos';\nimport type { C as D } from 'tributary-cosmos/dev';\n```\n",
    );
    expect(imports.split('\n')).toEqual([
      "import { a as _1 } from 'tributary-cosmos';",
      "import type { B as _2 } from 'tributary-cosmos';",
      "import type { C as _3 } from 'tributary-cosmos/dev';",
    ]);
  });
});
