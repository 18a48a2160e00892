/** @module cli/commands/start: `mqs start` (= `npm start`), the whole system on this machine with a producer run to watch. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { ConfigError, parsePort, resolveServerConfig } from '../../server/config.ts';
import { readRunFile } from '../start/run-file.ts';
import { runStartSession } from '../start/start-session.ts';
import { integerFlag, rateFlag, START_DEFAULTS as D, START_LIMITS as L, type StartFlags, StartUsageError } from '../start/start-settings.ts';

function portFlag(text: string): number {
  try {
    return parsePort(text, '--port');
  } catch (error) {
    if (error instanceof ConfigError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

async function runStart(flags: StartFlags, command: Command): Promise<void> {
  // The SDK warns once per process that it will need Node 22 in 2027: noise in a demo.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const cwd = process.cwd();
  if (flags.cdkOut === undefined && !existsSync(join(cwd, 'cdk.json'))) {
    command.error('mqs start: no cdk.json here: run it from the project root (npm start), or pass --cdk-out', { exitCode: 2 });
  }
  const config = resolveServerConfig({ port: flags.port, host: '127.0.0.1', dataDir: flags.dataDir, inMemory: flags.inMemory });
  const previous = config.isInMemory ? undefined : readRunFile(config.dataDir);
  let end;
  try {
    end = await runStartSession({
      cwd,
      flags,
      port: config.port,
      dataDir: config.dataDir,
      isInMemory: config.isInMemory,
      previous,
      out: process.stdout,
      isTty: process.stdout.isTTY === true,
    });
  } catch (error) {
    if (error instanceof StartUsageError) command.error(`mqs start: ${error.message}`, { exitCode: 2 });
    throw error;
  }
  if (end.reason === 'producer-failed' || end.reason === 'store-failed') throw new Error(end.message);
  if (end.reason === 'drained' && !end.report.isPassed) {
    throw new Error(`verification failed: ${end.report.violations.length} violation(s) in run ${end.report.runId}`);
  }
}

/** Adds `mqs start` to the program. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'Run the whole system on this machine (what `npm start` does): synthesize the CDK app if it changed, start the ' +
        'SQS-compatible server with its dashboard and the local Lambda runtime with the functions, queues and event ' +
        'source mappings of the template, invoke the producer, and show the queue draining (a live view on a ' +
        'terminal, a plain line a second otherwise). When the queue has drained it verifies the run from the logs, ' +
        'like `mqs verify`. Ctrl+C stops cleanly; the run is kept in <data-dir>/run.json, and the next start resumes ' +
        'it (without invoking the producer again) until it has drained; after that a start begins a new run.',
    )
    .option('--messages <n>', `events the producer sends (default: ${D.messages})`, integerFlag(1, L.maxMessages))
    .option('--groups <n>', `message groups (orders) to spread them over (default: ${D.groups})`, integerFlag(1, L.maxMessages))
    .option('--work-ms <ms>', `consumers' simulated work per message, WORK_MS (default: ${D.workMs})`, integerFlag(0, L.maxWorkMs))
    .option('--failure-rate <p>', `probability (0-1) that a consumer fails a message once, FAILURE_RATE (default: ${D.failureRate})`, rateFlag)
    .option('--poison-every <n>', 'every n-th event is poison: it fails on every receive and ends in the DLQ (default: none)', integerFlag(1, L.maxMessages))
    .option(
      '--visibility-timeout <s>',
      "the queue's visibility timeout, after which failed messages come back (default: the template's, 180 s); consumers with a longer timeout get this one",
      integerFlag(1, L.maxVisibilityTimeoutSeconds),
    )
    .option('--exit-when-drained', 'stop once the run has drained and been verified; exit code 0 only if verification passed')
    .option('--new-run', 'start a new run even though the last one has not drained (its messages stay in the queue)')
    .option('--port <port>', 'port of the SQS endpoint and the dashboard; 0 picks a free one (default: 9324; env MQS_PORT)', portFlag)
    .option('--data-dir <dir>', 'directory of the queues, the logs and run.json (default: ./.mqs; env MQS_DATA_DIR)')
    .option('--in-memory', 'keep queues and logs in memory only (nothing to resume; env MQS_IN_MEMORY=true)')
    .option('--cdk-out <dir>', 'cloud assembly directory to synthesize into and run from (default: ./cdk.out)')
    .option('--force-synth', 'synthesize the CDK app even if nothing changed since the last synth')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  npm start                                            # 100 messages, 10 groups, 200 ms of work each\n' +
        '  npm start -- --messages 1000 --groups 20 --work-ms 50\n' +
        '  npm start -- --failure-rate 0.1 --poison-every 50 --visibility-timeout 5   # retries and a DLQ\n' +
        '  mqs start --exit-when-drained --port 0 --in-memory --work-ms 0            # CI: exit code = verification\n' +
        '\nEvery consumer line goes to the logs (mqs logs consumer-1); mqs verify checks a run again at any time.\n',
    )
    .action((flags: StartFlags, command: Command) => runStart(flags, command));
}
