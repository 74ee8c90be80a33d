import type { z } from 'zod';
import { TributaryError } from './errors.ts';

/**
 * Options given to a Tributary function break its schema. `where` names the function or setting (e.g.
 * `createChangeFeedProcessor`), `problems` lists each broken path with zod's message, one per entry.
 */
export class InvalidOptions extends TributaryError {
  readonly code: string = 'InvalidOptions';
  constructor(
    readonly where: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid options for ${where}: ${problems.join('; ')}.`);
  }
}

/** The error class a module raises for its own options; it receives `where` and the problems, one per entry. */
export type OptionsErrorClass = new (where: string, problems: readonly string[]) => TributaryError;

const describeIssue = (issue: z.core.$ZodIssue): string => {
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
};

/**
 * The one way Tributary reads options: `schema` is the single source of the options' type and defaults; the
 * input is parsed once, and a failure becomes `error` (default {@link InvalidOptions}) — never a raw `ZodError`.
 * @throws InvalidOptions (or the given subclass) listing every broken path
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: string,
  error: OptionsErrorClass = InvalidOptions,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new error(where, parsed.error.issues.map(describeIssue));
  return parsed.data;
}
