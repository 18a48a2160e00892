/** @module cli/main: the `mqs` command line; each verb lives in `commands/<verb>.ts` and registers itself here. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../server/config.ts';
import { registerInvokeCommand } from './commands/invoke.ts';
import { registerLogsCommand } from './commands/logs.ts';
import { registerServerCommand } from './commands/server.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerVerifyCommand } from './commands/verify.ts';

/** Exit code for bad usage: unknown flag, bad flag value, bad `MQS_*` variable. */
export const EXIT_USAGE = 2;
/** Exit code for a failure at run time (port taken, data directory unusable). */
export const EXIT_FAILURE = 1;

function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string'
    ? parsed.version
    : '0.0.0';
}

/** The program with every verb registered. Commander errors are thrown (not exited) so `runCli` picks the code. */
export function buildProgram(): Command {
  const program = new Command('mqs')
    .description('Message Queue System: an SQS-compatible server and a local Lambda runtime for SQS FIFO workloads.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerServerCommand(program);
  registerInvokeCommand(program);
  registerLogsCommand(program);
  registerStartCommand(program);
  registerVerifyCommand(program);
  return program;
}

/**
 * What a closed reader on stdout or stderr (`mqs ... | head`) does: the write fails with EPIPE, which would crash the
 * process with a stack trace. Like SIGPIPE for C tools, it ends the command instead, quietly: through SIGTERM, so the
 * verbs that run until stopped (server, start, logs --follow) stop as cleanly as on Ctrl-C, and the others end.
 * (The stream already has a listener of node's: tsx's loader thread pipes its output into it.)
 */
function endOnClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      // Nothing more can be written there; the other stream may still work.
      stream.destroy();
      process.kill(process.pid, 'SIGTERM');
    });
  }
}

/**
 * Runs the CLI and returns the exit code: 0 on success (a long-running verb such as `server` returns once it is up
 * and keeps the process alive), 2 for usage errors, 1 for failures. Never throws.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  endOnClosedOutput();
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    // Commander has already printed its message (and help) for these.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    if (error instanceof ConfigError) {
      process.stderr.write(`mqs: ${error.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`mqs: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}
