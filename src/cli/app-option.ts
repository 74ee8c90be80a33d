import type { HostedAppFactory } from '../dev/hosted-app.ts';
import type { OptionSpec, ParsedArgs } from './command.ts';
import type { CliContext } from './context.ts';

/** The option of every command that runs the user's app (dev, rebuild, replay, parked replay). */
export const appOption: Readonly<Record<string, OptionSpec>> = {
  app: {
    type: 'string',
    valueName: '<module>',
    description:
      'The app module: its default export is the app factory (default: $TRIBUTARY_APP, else "app" in ' +
      'tributary.config.json).',
  },
};

/** The user's app: its factory, and how to name it in messages. */
export interface AppToHost {
  readonly factory: HostedAppFactory;
  /** e.g. `./dist/app.js (from tributary.config.json)` */
  readonly source: string;
}

/**
 * Finds and imports the app module named by `--app`, `TRIBUTARY_APP` or `tributary.config.json`, before anything
 * is started. A missing or broken module is an `InvalidAppModule` (exit code 2).
 */
export async function appToHost(args: ParsedArgs, context: CliContext): Promise<AppToHost> {
  const { findAppModule, loadAppFactory } = await import('../dev/app-module.ts');
  const flag = typeof args.values.app === 'string' ? args.values.app : undefined;
  const ref = await findAppModule(context.io.cwd, flag, context.io.env.TRIBUTARY_APP || undefined);
  return { factory: await loadAppFactory(ref), source: ref.source };
}
