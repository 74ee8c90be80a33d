import { z } from 'zod';

/**
 * Command ids recently applied to a stream, kept in the tip as an unfold so that a retried request (same command
 * id) is answered with its original outcome instead of being decided again. Bounded: the oldest ids drop out.
 */
export const commandsUnfoldType = '$commands';

const CommandRecord = z.object({
  /** the command id */
  id: z.string(),
  /** the stream version after the command was applied */
  v: z.number().int().nonnegative(),
  /** the decision's result (transactResult), JSON */
  r: z.unknown().optional(),
});
export type CommandRecord = z.infer<typeof CommandRecord>;

const CommandsUnfold = z.object({ ids: z.array(CommandRecord) });

export function readCommands(data: unknown): CommandRecord[] {
  const parsed = CommandsUnfold.safeParse(data);
  return parsed.success ? parsed.data.ids : [];
}

export function rememberCommand(
  records: readonly CommandRecord[],
  record: CommandRecord,
  max: number,
): CommandRecord[] {
  const kept = records.filter((r) => r.id !== record.id);
  kept.push(record);
  return kept.slice(Math.max(0, kept.length - max));
}

export function commandsUnfoldData(records: readonly CommandRecord[]): { ids: CommandRecord[] } {
  return { ids: [...records] };
}
