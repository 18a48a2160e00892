/** @module cli/commands/server: `mqs server`, the SQS-compatible server on its own (like ElasticMQ). */
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  ConfigError,
  parseAccountId,
  parseNonEmpty,
  parsePort,
  parsePublicUrl,
  parseRegion,
  SERVER_DEFAULTS as D,
  SERVER_ENV as E,
  SYNC_MODES,
  type SyncMode,
} from '../../server/config.ts';
import { type RunningServer, startServer } from '../../server/start-server.ts';

/** The flags as commander hands them over (absent flags are `undefined`, so `MQS_*` variables still apply). */
interface ServerFlags {
  host?: string;
  port?: number;
  dataDir?: string;
  inMemory?: boolean;
  sync?: SyncMode;
  region?: string;
  accountId?: string;
  publicUrl?: string;
  auth?: string;
  queueDeletedRecently?: boolean;
}

/** Wraps a config parser so commander reports its message as a bad flag value (exit code 2). */
function flag<T>(parse: (text: string, source: string) => T, name: string): (value: string) => T {
  return (value) => {
    try {
      return parse(value, name);
    } catch (error) {
      if (error instanceof ConfigError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

function describeStorage(server: RunningServer): string {
  if (server.dataDir === undefined) return 'storage: in memory (nothing is kept after exit)';
  return `storage: SQLite in ${resolve(server.dataDir)} (sync=${server.sync})`;
}

/** Starts the server, prints where it is, and stops it cleanly on SIGINT/SIGTERM. Throws what startServer throws. */
async function runServer(flags: ServerFlags): Promise<void> {
  let server: RunningServer;
  try {
    server = await startServer({
      host: flags.host,
      port: flags.port,
      dataDir: flags.dataDir,
      inMemory: flags.inMemory,
      sync: flags.sync,
      region: flags.region,
      accountId: flags.accountId,
      publicBaseUrl: flags.publicUrl,
      authFile: flags.auth,
      queueDeletedRecently: flags.queueDeletedRecently,
    });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'EADDRINUSE') {
      throw new Error(`the port is already in use (${(error as Error).message}); pick another with --port, or --port 0 for a free one`);
    }
    if (code === 'ENOTFOUND' || code === 'EADDRNOTAVAIL' || code === 'EAI_AGAIN') {
      throw new Error(`cannot listen on --host ${flags.host ?? 'from MQS_HOST'}: it is not an address of this machine (${(error as Error).message})`);
    }
    throw error;
  }
  // The first line is the endpoint, alone, so scripts can read it: `url=$(mqs server --port 0 | head -1)`.
  process.stdout.write(
    `${server.url}\n` +
      `queue URLs: ${server.publicBaseUrl}/${server.accountId}/<queue-name>\n` +
      `${describeStorage(server)}\n` +
      `region: ${server.region}, account: ${server.accountId}\n` +
      'protocols: AWS JSON 1.0 and query (XML)\n' +
      `auth: ${server.isAuthRequired ? 'SigV4 signatures required (keys from the --auth file)' : 'any credentials accepted'}\n` +
      (server.dashboardUrl === undefined ? '' : `dashboard: ${server.dashboardUrl}\n`) +
      'press Ctrl+C to stop\n',
  );

  let isStopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (isStopping) {
      // A second signal: stop waiting.
      process.exit(130);
    }
    isStopping = true;
    process.stderr.write(`mqs: ${signal} received, stopping\n`);
    server.stop().then(
      () => {
        process.off('SIGINT', shutdown);
        process.off('SIGTERM', shutdown);
        process.exitCode = 0;
      },
      (error: unknown) => {
        process.stderr.write(`mqs: stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // The server has logged why and stopped by itself; exit non-zero so a supervisor restarts it from the disk.
  void server.failed.then(() => {
    process.off('SIGINT', shutdown);
    process.off('SIGTERM', shutdown);
    process.exitCode = 1;
  });
}

/** Adds `mqs server` to the program. */
export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description(
      'Run the SQS-compatible server alone (AWS JSON 1.0 and query/XML protocols, so current and older AWS SDKs, ' +
        'the AWS CLI and boto3 all work). Prints the endpoint URL as the first line of ' +
        'stdout once it accepts requests; stops cleanly on SIGINT/SIGTERM. Every flag can also be set with the ' +
        'MQS_* variable named in its help; a flag wins over its variable.',
    )
    .option('--host <host>', `interface to listen on (default: ${D.host}; env ${E.host})`, flag(parseNonEmpty, '--host'))
    .option('--port <port>', `port to listen on, 0 picks a free one (default: ${D.port}; env ${E.port})`, flag(parsePort, '--port'))
    .option('--data-dir <dir>', `directory of the SQLite database (default: ${D.dataDir}; env ${E.dataDir})`, flag(parseNonEmpty, '--data-dir'))
    .option('--in-memory', `keep everything in memory, nothing on disk (env ${E.inMemory}=true)`)
    .addOption(
      new Option('--sync <mode>', `SQLite durability: normal (WAL, fsync at checkpoints) or full (fsync every commit) (default: ${D.sync}; env ${E.sync})`).choices(SYNC_MODES),
    )
    .option('--region <region>', `region in queue ARNs (default: ${D.region}; env ${E.region})`, flag(parseRegion, '--region'))
    .option('--account-id <id>', `12-digit account id in queue URLs and ARNs (default: ${D.accountId}; env ${E.accountId})`, flag(parseAccountId, '--account-id'))
    .option('--public-url <url>', `base URL of the queue URLs handed out, for clients that reach the server under another name (default: the server's own http://host:port; env ${E.publicBaseUrl})`, flag(parsePublicUrl, '--public-url'))
    .option(
      '--auth <file>',
      'require a valid AWS SigV4 signature on every request, made with one of the access keys in <file>: one ' +
        '"ACCESS_KEY_ID SECRET_ACCESS_KEY" pair per line, # starts a comment (see docs/auth.md). Without it any ' +
        `credentials are accepted (env ${E.authFile})`,
      flag(parseNonEmpty, '--auth'),
    )
    .option(
      '--queue-deleted-recently',
      'refuse to create a queue within 60 s of deleting one of the same name (QueueDeletedRecently), as AWS does; ' +
        `off by default so tests can recreate queues at once (env ${E.queueDeletedRecently}=true)`,
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  mqs server                          # 127.0.0.1:9324, data in ./.mqs\n' +
        '  mqs server --port 0 --in-memory     # a free port, nothing on disk (tests)\n' +
        '  mqs server --host 0.0.0.0 --public-url http://sqs.local:9324 --auth ./sqs-keys\n' +
        '\nAuth file (--auth), one access key per line:\n' +
        '  # ACCESS_KEY_ID        SECRET_ACCESS_KEY\n' +
        '  AKIAIOSFODNN7EXAMPLE   wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n' +
        'Listening on a non-loopback address without --auth prints a warning on stderr.\n',
    )
    .action((flags: ServerFlags) => runServer(flags));
}
