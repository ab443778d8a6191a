/** Process exit codes of every lagsim command (TigerBeetle style: named, never bare numbers). */
export const ExitCode = {
  ok: 0,
  /** A bug in lagsim: it prints the seed and the command that reproduces it. */
  internalError: 1,
  /** The user's input is wrong: one line saying where and what was expected. */
  badInput: 2,
  /** `lagsim check`: the history's flags disagree with the definitions. */
  checkFailed: 3,
  /** The machine refused (disk full, permission denied, read-only file system): one line, nothing half-written. */
  environment: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
