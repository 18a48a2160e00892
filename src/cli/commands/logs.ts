/** @module cli/commands/logs: `mqs logs`, a function's stored CloudWatch-style log events (like `aws logs tail`). */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { findFunction, LOG_FILE_NAME, type LogEvent, type LogQuery, LogStore, loadPlan } from '../../runtime/index.ts';
import { resolveServerConfig } from '../../server/config.ts';

const FORMATS = ['detailed', 'short', 'raw'] as const;
type Format = (typeof FORMATS)[number];

interface LogsFlags {
  follow?: boolean;
  since?: number;
  filter?: string;
  dataDir?: string;
  cdkOut?: string;
  format: Format;
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `10m`, `2h`, `30s`, `1d`, `1w` ago, or an ISO 8601 time. */
export function parseSince(text: string, now = Date.now()): number {
  const relative = /^(\d+)([smhdw])$/.exec(text.trim());
  if (relative !== null) return now - Number(relative[1]) * (UNIT_MS[relative[2] ?? 's'] ?? 1_000);
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new InvalidArgumentError(`expected a duration such as 10m, 2h, 1d, or an ISO time, got "${text}"`);
  return time;
}

/**
 * The log group to read: a `/group/name` as given; else the function's LoggingConfig group from cdk.out (by name or
 * role); else a stored group `/aws/lambda/<name>` or one ending in `-<role>`.
 */
function logGroupOf(name: string, store: LogStore, cdkOut: string): string {
  if (name.startsWith('/')) return name;
  if (existsSync(join(cdkOut, 'manifest.json'))) {
    try {
      return findFunction(loadPlan({ cdkOut }), name).logging.logGroup;
    } catch {
      // Not in the current template (renamed, or another app's logs): look at what is stored.
    }
  }
  const groups = store.groups();
  const found = groups.find((group) => group === `/aws/lambda/${name}`) ?? groups.find((group) => group.endsWith(`-${name}`));
  if (found === undefined) throw new Error(`no logs of "${name}"; stored log groups: ${groups.join(', ') || 'none'}`);
  return found;
}

function formatEvent(event: LogEvent, format: Format): string {
  const message = event.message.endsWith('\n') ? event.message.slice(0, -1) : event.message;
  if (format === 'raw') return `${event.message}${event.message.endsWith('\n') ? '' : '\n'}`;
  const time = new Date(event.timestamp).toISOString();
  return format === 'short' ? `${time} ${message}\n` : `${time} ${event.stream} ${message}\n`;
}

async function runLogs(name: string, flags: LogsFlags): Promise<void> {
  const { dataDir } = resolveServerConfig({ dataDir: flags.dataDir });
  if (!existsSync(join(dataDir, LOG_FILE_NAME))) throw new Error(`no logs in ${resolve(dataDir)} yet (they are written by mqs start and mqs invoke)`);
  const store = new LogStore({ dataDir, isReadOnly: true });
  const group = logGroupOf(name, store, resolve(flags.cdkOut ?? 'cdk.out'));
  const query: LogQuery = {
    group,
    ...(flags.since === undefined ? {} : { sinceMs: flags.since }),
    ...(flags.filter === undefined ? {} : { filter: flags.filter }),
  };
  let lastId = 0;
  for (const event of store.iterate(query)) {
    process.stdout.write(formatEvent(event, flags.format));
    lastId = event.id;
  }
  if (flags.follow !== true) {
    store.close();
    return;
  }
  // Follow until interrupted, like `aws logs tail --follow`.
  await new Promise<void>((done) => {
    const stop = store.follow({ ...query, afterId: lastId }, (events) => {
      for (const event of events) process.stdout.write(formatEvent(event, flags.format));
    });
    const keepAlive = setInterval(() => {}, 60_000);
    const finish = () => {
      stop();
      clearInterval(keepAlive);
      store.close();
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      done();
    };
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
  });
}

/** Adds `mqs logs` to the program. */
export function registerLogsCommand(program: Command): void {
  program
    .command('logs')
    .description(
      "Print a function's log events as CloudWatch Logs holds them: START / END / REPORT and the application lines " +
        "for a Text-format function; for a JSON-format one (all of this app's), platform.start / platform.report " +
        'records and JSON application lines. They come from the log store that mqs start and mqs invoke write in ' +
        '<data-dir>/logs.sqlite; works while they run.',
    )
    .argument('<function>', 'function name, its role (producer, consumer-1, consumer-2), or a log group name')
    .option('-f, --follow', 'keep printing new events until Ctrl+C')
    .option('--since <when>', 'only events from this long ago (10m, 2h, 1d) or since this ISO time (default: all)', (text) => parseSince(text))
    .option('--filter <text>', 'only events containing this text (case-sensitive)')
    .option('--data-dir <dir>', 'where the logs are (default: ./.mqs; env MQS_DATA_DIR)')
    .option('--cdk-out <dir>', 'cloud assembly that maps roles to function names (default: ./cdk.out; never synthesized)')
    .addOption(new Option('--format <format>', 'detailed: time stream message; short: time message; raw: the stored message only').choices(FORMATS).default('detailed'))
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  mqs logs consumer-1 --since 10m\n' +
        '  mqs logs consumer-2 --follow --filter \'"processed"\'\n' +
        '  mqs logs producer --filter platform.report --format short\n',
    )
    .action((name: string, flags: LogsFlags) => runLogs(name, flags));
}
