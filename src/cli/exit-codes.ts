/** The CLI's exit codes: scripts can tell a failed operation from a mistyped command line. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
} as const;
