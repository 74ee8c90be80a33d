import type { TokenCredential } from '@azure/core-auth';

/** Where CLI output goes; a plain `write(text)` so tests can capture it. */
export interface TextSink {
  write(text: string): unknown;
  /** a terminal: progress bars redraw in place instead of printing lines */
  readonly isTTY?: boolean;
}

/** The process around the CLI, passed in so commands can be run (and tested) without touching globals. */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /**
   * Resolves with the signal name when the user asks a long-running command (dev, cosmos) to stop. Only commands
   * that call it take over Ctrl-C; the others die on it as usual.
   */
  waitForInterrupt(): Promise<string>;
  /**
   * The Microsoft Entra ID credential used when no `COSMOS_KEY` is set (default `DefaultAzureCredential`; with one
   * given, a local endpoint signs in with it too instead of the well-known emulator key).
   */
  readonly credential?: TokenCredential;
}

export interface CliContext {
  readonly io: CliIo;
  /** the words that named the running command, e.g. `checkpoints rewind` (for pointers to its `--help`) */
  readonly commandPath: string;
  readonly verbose: boolean;
}
