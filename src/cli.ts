/**
 * scalebench's command line: the only place that reads argv, writes to the terminal and picks exit codes.
 * Exit codes: 0 done, 1 a trial failed (or a compare threshold was crossed), 2 bad input, 130 interrupted.
 * Each subcommand lives in src/cli/<name>.ts; this file only lists them.
 */
import yargs from 'yargs';
import { DatasetError } from './data/types.ts';
import { ExperimentError } from './experiment/errors.ts';
import { ResultsError } from './results/read.ts';
import { BackendUnavailable } from './run/process.ts';
import { compare } from './cli/compare.ts';
import { UsageError, type Command, type Io } from './cli/context.ts';
import { merge } from './cli/merge.ts';
import { plan } from './cli/plan.ts';
import { sweep } from './cli/sweep.ts';
import { reportCommand } from './cli/report.ts';
import { ReportError } from './report/errors.ts';

const COMMANDS: Command[] = [sweep, plan, reportCommand, compare, merge];

/** Errors that mean "fix your input": one line on stderr, exit 2, no stack trace. */
const INPUT_ERRORS = [ExperimentError, DatasetError, ResultsError, BackendUnavailable, UsageError, ReportError];

const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** Run the CLI on `argv`; resolves to the exit code. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  let code = 0;
  const ctx = { io, exit: (c: number) => (code = Math.max(code, c)) };
  let parser = yargs(argv).scriptName('scalebench').usage('$0 <command> [options]');
  for (const command of COMMANDS) parser = parser.command(command(ctx));
  parser = parser
    .demandCommand(1, `Name a command: ${COMMANDS.map((c) => String(c(ctx).command).split(' ')[0]).join(', ')}`)
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    if (INPUT_ERRORS.some((E) => err instanceof E)) {
      io.err(`scalebench: ${(err as Error).message.replace(/\s*\n\s*/g, ' ')}\n`); // one line, whatever the source
      return 2;
    }
    throw err;
  }
  return code;
}
