import { TributaryError } from '../core/index.ts';

export class UnknownProcessorName extends TributaryError {
  readonly code = 'UnknownProcessorName';
  constructor(processor: string, known: readonly string[], where: string) {
    super(
      `No processor named "${processor}" in ${where}. ` +
        (known.length > 0 ? `Processors: ${known.join(', ')}.` : 'No processor has run there yet.'),
    );
  }
}

export class NotParked extends TributaryError {
  readonly code = 'NotParked';
  constructor(stream: string, processor: string | undefined, where: string) {
    super(`${stream} is not parked${processor ? ` for ${processor}` : ''} in ${where}; see \`tributary parked list\`.`);
  }
}

export class ParkedForSeveralProcessors extends TributaryError {
  readonly code = 'ParkedForSeveralProcessors';
  constructor(stream: string, processors: readonly string[]) {
    super(`${stream} is parked for several processors (${processors.join(', ')}): choose one with --processor.`);
  }
}

export class DevHostRunning extends TributaryError {
  readonly code = 'DevHostRunning';
  constructor() {
    super(
      'The dev host is running on this data and runs the same processors: stop it (Ctrl-C) first, then run this again.',
    );
  }
}

export class DevHostReplayFailed extends TributaryError {
  readonly code = 'DevHostReplayFailed';
  constructor(stream: string, reason: string) {
    super(`The running dev host could not replay ${stream}: ${reason}`);
  }
}

export class DatabaseNotReady extends TributaryError {
  readonly code = 'DatabaseNotReady';
  constructor(databaseId: string, where: string, reason: string, options?: { cause?: unknown }) {
    super(
      `Database "${databaseId}" in ${where} is not ready (${reason}): create it and its containers with ` +
        '`tributary init` (or deploy the Bicep templates) first.',
      options,
    );
  }
}

/** The account refused the key the CLI signed with, which came from `COSMOS_KEY` (never shown). */
export class CosmosKeyRefused extends TributaryError {
  readonly code = 'CosmosKeyRefused';
  constructor(
    readonly endpoint: string,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(
      status === 403
        ? `${endpoint} refused the key in COSMOS_KEY (HTTP 403): the account may take no keys (local auth disabled); ` +
            'unset COSMOS_KEY to sign in with Microsoft Entra ID.'
        : `${endpoint} refused the key in COSMOS_KEY (HTTP ${status}): set COSMOS_KEY to the account's primary or ` +
            'secondary key (for the local server, its --key; unset, the well-known emulator key).',
      options,
    );
  }
}
