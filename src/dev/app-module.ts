import { access, readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { TributaryError } from '../core/errors.ts';
import type { HostedApp, HostedAppFactory } from './hosted-app.ts';

/** The file the tools look for in the working directory when no `--app` is given. */
export const appConfigFile = 'tributary.config.json';

/** The app module can't be used: missing, failing to load, or not exporting an app factory. Nothing was started. */
export class InvalidAppModule extends TributaryError {
  readonly code = 'InvalidAppModule';
  constructor(
    readonly source: string,
    problem: string,
    options?: { cause?: unknown; what?: 'app module' | 'config file' },
  ) {
    super(`The ${options?.what ?? 'app module'} ${source} ${problem}`, options);
  }
}

/** No app was named: neither `--app`, `TRIBUTARY_APP` nor a `tributary.config.json` in the working directory. */
export class NoAppConfigured extends TributaryError {
  readonly code = 'NoAppConfigured';
  constructor(cwd: string) {
    super(
      `No app to host: pass --app <module>, set TRIBUTARY_APP, or write ${appConfigFile} in ${cwd} ` +
        'as {"app": "./path/to/app.js"}. The module exports the app factory as its default export (or as "app").',
    );
  }
}

const appConfig = z.strictObject({
  $schema: z.string().optional(),
  /** the app module, relative to the config file */
  app: z.string().min(1),
});

/** Where the app module named by the config, a flag or the environment lives, and how to name it in messages. */
export interface AppModuleRef {
  /** absolute path of the module */
  readonly path: string;
  /** what the user wrote and where, e.g. `./dist/app.js (from tributary.config.json)` */
  readonly source: string;
}

/**
 * Finds the app module: `flag` (`--app`), else `envValue` (`TRIBUTARY_APP`), both relative to `cwd`, else the `app`
 * of `tributary.config.json` in `cwd` (relative to that file). Throws `NoAppConfigured` when none is given and
 * `InvalidAppModule` when the config file is not valid JSON of the shape `{ "app": string }`.
 */
export async function findAppModule(
  cwd: string,
  flag: string | undefined,
  envValue: string | undefined,
): Promise<AppModuleRef> {
  if (flag) return { path: resolve(cwd, flag), source: `${flag} (from --app)` };
  if (envValue) return { path: resolve(cwd, envValue), source: `${envValue} (from TRIBUTARY_APP)` };
  const configPath = resolve(cwd, appConfigFile);
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch {
    throw new NoAppConfigured(cwd);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidAppModule(configPath, `is not valid JSON: ${(error as Error).message}.`, { what: 'config file' });
  }
  const parsed = appConfig.safeParse(json);
  if (!parsed.success) {
    throw new InvalidAppModule(
      configPath,
      `is not of the shape {"app": "./path/to/app.js"}: ${z.prettifyError(parsed.error)}`,
      { what: 'config file' },
    );
  }
  const app = parsed.data.app;
  return { path: isAbsolute(app) ? app : resolve(cwd, app), source: `${app} (from ${configPath})` };
}

/**
 * Imports the app module and returns its app factory: the default export, or the export named `app`, a function
 * `(context: HostedAppContext) => HostedApp | Promise<HostedApp>`. Throws `InvalidAppModule` naming the module when it
 * is missing, fails to load, or exports something else.
 */
export async function loadAppFactory(ref: AppModuleRef): Promise<HostedAppFactory> {
  try {
    await access(ref.path);
  } catch {
    throw new InvalidAppModule(ref.source, `does not exist (looked for ${ref.path}).`);
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(ref.path).href)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidAppModule(ref.source, `failed to load: ${reason}`, { cause: error });
  }
  const factory = module.default ?? module.app;
  if (typeof factory !== 'function') {
    const exported = Object.keys(module).join(', ') || 'nothing';
    throw new InvalidAppModule(
      ref.source,
      `must export an app factory, (context) => HostedApp, as its default export or as "app"; it exports ${exported}.`,
    );
  }
  return factory as HostedAppFactory;
}

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'expected a function');

const hostedApp = z.looseObject({
  serve: fn,
  processors: z.array(
    z.looseObject({
      name: z.string().min(1),
      processorName: z.string().min(1),
      kind: z.string().min(1),
      handle: fn,
      aliases: z.array(z.string()).optional(),
      clearViews: fn.optional(),
    }),
  ),
  categories: z.array(z.string()),
  consumers: z
    .array(z.looseObject({ name: z.string().min(1), contract: z.looseObject({ topic: z.string() }), handle: fn }))
    .optional(),
  state: fn.optional(),
  close: fn.optional(),
});

/** Checks what an app factory returned; throws `InvalidAppModule` saying which field is wrong. */
export function checkHostedApp(app: unknown, source: string): HostedApp {
  const parsed = hostedApp.safeParse(app);
  if (!parsed.success) {
    throw new InvalidAppModule(
      source,
      `returned something that is not a HostedApp ({ serve, processors: [{ name, processorName, kind, handle }], categories }): ` +
        z.prettifyError(parsed.error),
    );
  }
  const names = new Set<string>();
  for (const { processorName } of parsed.data.processors) {
    if (names.has(processorName)) {
      throw new InvalidAppModule(source, `returned two processors named "${processorName}".`);
    }
    names.add(processorName);
  }
  for (const { name } of parsed.data.consumers ?? []) {
    if (names.has(name)) throw new InvalidAppModule(source, `returned two processors or consumers named "${name}".`);
    names.add(name);
  }
  return app as HostedApp;
}
