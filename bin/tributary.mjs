#!/usr/bin/env node
// The `tributary` command: the compiled CLI (run `npm run build` first when working from a clone).
await import('../dist/src/cli/main.js');
