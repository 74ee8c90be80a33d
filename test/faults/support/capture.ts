/**
 * Captures everything a scenario prints — process stdout/stderr writes and console calls — so a test can assert
 * that no secret leaked into any of it.
 */
export interface Captured {
  /** every captured chunk, in order */
  readonly text: () => string;
  stop(): void;
}

export function captureOutput(options: { passThrough?: boolean } = {}): Captured {
  const chunks: string[] = [];
  const record = (args: readonly unknown[]) => {
    chunks.push(
      args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.stack}` : safeJson(a))).join(' '),
    );
  };
  const originalStdout = process.stdout.write.bind(process.stdout);
  const originalStderr = process.stderr.write.bind(process.stderr);
  const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const originalConsole = consoleMethods.map((m) => console[m]);
  const passThrough = options.passThrough ?? false;
  const writer =
    (original: typeof process.stdout.write) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return passThrough ? (original as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest) : true;
    };
  process.stdout.write = writer(originalStdout) as typeof process.stdout.write;
  process.stderr.write = writer(originalStderr) as typeof process.stderr.write;
  for (const m of consoleMethods) {
    console[m] = (...args: unknown[]) => record(args);
  }
  return {
    text: () => chunks.join('\n'),
    stop: () => {
      process.stdout.write = originalStdout;
      process.stderr.write = originalStderr;
      consoleMethods.forEach((m, i) => {
        console[m] = originalConsole[i]!;
      });
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The secrets (and their telling fragments) found in `text`. A fragment is any 12-character slice of a secret's
 * key material, so a secret that was truncated, or URL-encoded around its edges, is still caught.
 */
export function leakedSecrets(text: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  const haystacks = [text, safeDecode(text)];
  for (const secret of secrets) {
    const fragments = keyMaterial(secret);
    if (fragments.some((f) => haystacks.some((h) => h.includes(f)))) found.push(secret);
  }
  return found;
}

function keyMaterial(secret: string): string[] {
  const key = /SharedAccessKey=([^;]+)/i.exec(secret)?.[1] ?? secret;
  const fragments = [secret, key];
  for (let i = 0; i + 12 <= key.length; i += 6) fragments.push(key.slice(i, i + 12));
  return fragments;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
