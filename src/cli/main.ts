import process from 'node:process';
import type { CliIo } from './context.ts';
import { runCli } from './run.ts';

const io: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  waitForInterrupt: () =>
    new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    }),
};

process.exitCode = await runCli(process.argv.slice(2), io);
// Servers are closed by now; an idle keep-alive socket of an SDK agent must not keep a finished command alive.
process.exit();
