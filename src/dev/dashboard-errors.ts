import { TributaryError } from '../core/index.ts';

/** A query typed into the dashboard's query box that cannot run: wrong container, not a SELECT, or refused. */
export class InvalidQuery extends TributaryError {
  readonly code = 'InvalidQuery';
}

/** `tributary dashboard` only looks: it refuses what would change the system. */
export class ReadOnlyDashboard extends TributaryError {
  readonly code = 'ReadOnlyDashboard';
  constructor(what: string) {
    super(
      `This dashboard is read-only (tributary dashboard): it does not ${what}. Use the dev host, or ` +
        '`tributary parked replay`, to act.',
    );
  }
}

/** The stream browser has no way to fold this stream (no app, or a category the app does not know). */
export class NoFold extends TributaryError {
  readonly code = 'NoFold';
  constructor(stream: string) {
    super(
      `No app here folds ${stream}: stepping through its states needs the app that knows its category ` +
        '(the dev host with --app, or an app with stateAsOf).',
    );
  }
}
