/** What every subcommand gets: where to write, and a way to set the exit code. */
import type { CommandModule } from 'yargs';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** An input mistake the user can fix: printed as one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CommandContext {
  io: Io;
  /** Set the process exit code (the highest set wins). */
  exit: (code: number) => void;
}

/** A subcommand: a yargs command module built with the context. One file per command under src/cli/. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Command = (ctx: CommandContext) => CommandModule<any, any>;
