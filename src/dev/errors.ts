import { TributaryError } from '../core/index.ts';

export class UnknownProcessor extends TributaryError {
  readonly code = 'UnknownProcessor';
  constructor(
    readonly processor: string,
    known: readonly string[],
  ) {
    super(`No processor named "${processor}" runs here. Processors: ${known.join(', ') || 'none'}.`);
  }
}

/** A port the dev host needs is taken, most often by another dev host or emulator. */
export class PortInUse extends TributaryError {
  readonly code = 'PortInUse';
  constructor(
    readonly port: number,
    what: string,
    setting: string,
  ) {
    super(
      `Port ${port} for ${what} is already in use (another dev host?). Stop that one, or set ${setting} to a free port.`,
    );
  }
}

/** Rethrows a listen failure on a taken port as `PortInUse`. */
export function portInUse(port: number, what: string, setting: string) {
  return (error: unknown): never => {
    if ((error as { code?: unknown }).code === 'EADDRINUSE') throw new PortInUse(port, what, setting);
    throw error;
  };
}
