#!/usr/bin/env node
// Runs the TypeScript CLI in this process through tsx's loader, so `npx tributary` needs no build step and
// signals (Ctrl-C, SIGTERM) reach the CLI directly.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
