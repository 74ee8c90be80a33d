/** The TypeScript code blocks of a Markdown text (fenced with ```ts). */
export function typeScriptBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
}

/**
 * Every import declaration from the package (`tributary-cosmos` or a subpath) in the README's TypeScript blocks,
 * one per line and each binding renamed apart, so that a type check of the result fails on any name the package
 * does not export.
 */
export function readmeImports(markdown: string): string {
  const declarations = typeScriptBlocks(markdown).flatMap((block) => [
    ...block.matchAll(/^import\s+(type\s+)?\{([^}]*)\}\s+from\s+'(tributary-cosmos(?:\/[a-z-]+)?)';/gm),
  ]);
  let n = 0;
  return declarations
    .flatMap(([, typeOnly, names, from]) =>
      (names ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '')
        .map((name) => {
          const isType = typeOnly !== undefined || name.startsWith('type ');
          const bare = name.replace(/^type\s+/, '').split(/\s+as\s+/)[0];
          n += 1;
          return `import ${isType ? 'type ' : ''}{ ${bare} as _${n} } from '${from}';`;
        }),
    )
    .join('\n');
}
