import { fileURLToPath } from 'node:url';
import type { CliIo } from '../../../src/cli/context.ts';

/** The sample bank's app module: the app the CLI hosts in these tests unless `TRIBUTARY_APP` is set otherwise. */
export const bankAppModule = fileURLToPath(new URL('../../../functions/dev-app.ts', import.meta.url));

/** A CliIo whose output is kept in strings, and whose "Ctrl-C" is pressed by calling `interrupt()`. */
export function captureIo(env: Record<string, string | undefined> = {}, cwd = process.cwd()) {
  const out = { stdout: '', stderr: '' };
  let interrupt: (signal: string) => void = () => undefined;
  const interrupted = new Promise<string>((resolve) => {
    interrupt = resolve;
  });
  const io: CliIo = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
    env: { TRIBUTARY_APP: bankAppModule, ...env },
    cwd,
    waitForInterrupt: () => interrupted,
  };
  return { io, out, interrupt: (signal = 'SIGINT') => interrupt(signal) };
}
