/** @module server/start-server: wires store, engine and HTTP app together and listens. */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type Clock, Engine, SystemClock } from '../engine/index.ts';
import { GroupCommitStore, openStore } from '../persistence/index.ts';
import {
  type AccessKeys,
  AccessKeysError,
  type AdminRouteHandler,
  browserGuard,
  createHttpApp,
  createSigV4Verifier,
  type HttpAppLogger,
  jsonProtocol,
  parseAccessKeys,
  queryProtocol,
  QueueUrls,
  SqsErrors,
} from '../protocol/index.ts';
import { createDashboard, type Dashboard } from './dashboard.ts';
import { ConfigError, isLoopbackHost, resolveServerConfig, type ServerSettingsInput, type SyncMode } from './config.ts';

/**
 * How long idle keep-alive connections stay open. Longer than the SDKs' idle socket reuse, so a client rarely
 * sends on a socket the server is just closing (which shows up as ECONNRESET).
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** How long stopping waits for answers still being written before it closes their connections. */
const STOP_GRACE_MS = 10_000;

export interface StartServerOptions extends ServerSettingsInput {
  /** The engine's clock; tests pass a `ManualClock`. */
  clock?: Clock;
  /** The environment to read `MQS_*` settings from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where unexpected request failures are logged (default stderr). */
  logger?: HttpAppLogger;
  /** Replaces the dashboard's read-only `/_admin/*` routes. */
  adminRoutes?: AdminRouteHandler;
  /** Serve the dashboard (`GET /` in a browser, `/_admin/*`) and sample queue activity for it (default true). */
  isDashboardEnabled?: boolean;
  /** Where start-up warnings go (default: a line on stderr), e.g. listening beyond loopback without `authFile`. */
  onWarning?: (message: string) => void;
}

/** A running server. */
export interface RunningServer {
  /** The server's own endpoint, e.g. `http://127.0.0.1:9324` (a wildcard bind host shows as loopback). */
  url: string;
  /** The bound port (the real one when 0 was asked). */
  port: number;
  host: string;
  /** The base of the queue URLs it hands out (`url` unless `publicBaseUrl` was set). */
  publicBaseUrl: string;
  region: string;
  accountId: string;
  /** `undefined` when in memory. */
  dataDir: string | undefined;
  /** SQLite durability; `undefined` when in memory. */
  sync: SyncMode | undefined;
  /** Whether every request must carry a valid SigV4 signature for a key of `authFile`. */
  isAuthRequired: boolean;
  engine: Engine;
  /** The dashboard (absent when disabled): `mqs start` attaches its local Lambda runtime with `attachRuntime`. */
  dashboard: Dashboard | undefined;
  /** The dashboard page, `${url}/`; absent when disabled. */
  dashboardUrl: string | undefined;
  /**
   * Stops accepting connections, ends long polls with an empty result, waits for in-flight requests, then closes
   * the engine and the store. Idempotent.
   */
  stop(): Promise<void>;
  /**
   * Settles with the error if a commit to the store fails (disk full, I/O error). The server has then stopped by
   * itself: the engine's memory holds changes the disk does not, so it must not answer again; a restart carries
   * on from what is on disk, where every answered change is. Never settles otherwise.
   */
  failed: Promise<Error>;
}

function urlHost(host: string): string {
  // A wildcard bind is reachable on loopback; IPv6 literals need brackets in URLs.
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

/**
 * Reads the access key file.
 * @throws ConfigError naming the file when it cannot be read or is not in the `ACCESS_KEY_ID SECRET` line format.
 */
function loadAccessKeys(path: string): AccessKeys {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`auth file ${path}`, `the auth file ${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return parseAccessKeys(text);
  } catch (error) {
    if (error instanceof AccessKeysError) throw new ConfigError(`auth file ${path}`, `the auth file ${path}: ${error.message}`);
    throw error;
  }
}

/** The warning for a server other machines may reach while it accepts any credentials. */
export function openBindWarning(host: string): string {
  return (
    `mqs: warning: listening on ${host}, which other machines may reach, without --auth: anyone who can connect can ` +
    'read, send and delete messages with any credentials. Pass --auth FILE (docs/auth.md) or listen on 127.0.0.1.'
  );
}

/**
 * Starts the SQS-compatible server: opens the store (SQLite in `dataDir`, or memory), restores the engine from it,
 * pipes every engine change into the store, and listens.
 * @throws ConfigError for a bad option or `MQS_*` variable; the store's error when the data directory cannot be used;
 *   the listen error (e.g. `EADDRINUSE`) when the port is taken. Nothing is left open when it throws.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const config = resolveServerConfig(options, options.env);
  // Before anything is opened, so a bad file leaves nothing behind.
  const accessKeys = config.authFile === undefined ? undefined : loadAccessKeys(config.authFile);
  const clock = options.clock ?? new SystemClock();
  // In memory the engine's own state is all there is: a store would only mirror it at a cost per message.
  const logger: HttpAppLogger = options.logger ?? { error: (message) => console.error(message) };
  // Bound below, once the server that must stop exists.
  let onStoreFailure: (error: unknown) => void = () => undefined;
  // One transaction per event-loop turn; every answer waits for the commit that holds its changes.
  const store: GroupCommitStore | undefined = config.isInMemory
    ? undefined
    : new GroupCommitStore(openStore({ kind: 'sqlite', dataDir: config.dataDir, sync: config.sync }), (error) => onStoreFailure(error));
  let engine: Engine | undefined;
  const server = createServer({ keepAlive: true });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  let port: number;
  try {
    // The SQLite store keeps payloads on disk for the engine to load on receive.
    engine = new Engine({
      clock,
      region: config.region,
      accountId: config.accountId,
      isQueueDeletedRecentlyEnforced: config.isQueueDeletedRecentlyEnforced,
      ...(store && !store.keepsPayloads ? { payloads: store } : {}),
    });
    if (store) {
      engine.restore(store.load());
      engine.onEvents((events) => store.apply(events));
    }
    port = await listen(server, config.port, config.host);
  } catch (error) {
    engine?.close();
    store?.close();
    throw error;
  }

  const url = `http://${urlHost(config.host)}:${port}`;
  const publicBaseUrl = config.publicBaseUrl ?? url;
  const queueUrls = new QueueUrls(publicBaseUrl, config.accountId);
  const dashboard =
    options.isDashboardEnabled === false
      ? undefined
      : createDashboard({
          engine,
          queueUrls,
          // The admin API shows message bodies without credentials: with --auth, only to this machine.
          isLoopbackOnly: accessKeys !== undefined,
          info: {
            region: config.region,
            accountId: config.accountId,
            endpoint: publicBaseUrl,
            storage: config.isInMemory ? 'in memory' : `SQLite in ${config.dataDir}`,
          },
        });
  const app = createHttpApp({
    engine,
    clock,
    queueUrls,
    // Tried in order (spec §A.0): JSON is recognised by its headers alone; the query/XML protocol takes `Action=`
    // and form-encoded requests.
    protocols: [jsonProtocol, queryProtocol],
    logger,
    // A failed commit is logged once, by onStoreFailure; each request waiting for it is answered a plain 500.
    ...(store === undefined
      ? {}
      : {
          whenCommitted: () =>
            store.whenCommitted()?.catch((error: unknown) => {
              throw SqsErrors.internalError({ cause: error });
            }),
        }),
    // Signatures are compared with the wall clock (the client's), never with an injected test clock.
    ...(accessKeys === undefined ? {} : { authenticate: createSigV4Verifier({ keys: accessKeys, clock: new SystemClock() }) }),
    guard: browserGuard({ names: [new URL(publicBaseUrl).hostname, config.host], isCheckingHost: isLoopbackHost(config.host) }),
    ...(dashboard === undefined ? {} : { adminRoutes: dashboard.adminRoutes, dashboardPage: dashboard.page }),
    ...(options.adminRoutes === undefined ? {} : { adminRoutes: options.adminRoutes }),
  });
  server.on('request', app.handle);
  server.on('checkContinue', app.handleCheckContinue);
  // After listening, a server error (e.g. too many open files on accept) must not crash the process.
  server.on('error', (error) => logger.error(`mqs: server error: ${error.message}`));
  if (accessKeys === undefined && !isLoopbackHost(config.host)) {
    (options.onWarning ?? ((message: string) => process.stderr.write(`${message}\n`)))(openBindWarning(config.host));
  }

  const runningEngine = engine;
  let stopping: Promise<void> | undefined;
  async function stopOnce(): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Long polls end and body reads are cut at once; what is left is answers being written. A client that does not
    // read its answer gets STOP_GRACE_MS, then its connection is closed with the others.
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([app.drain(), new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, STOP_GRACE_MS)))]);
    clearTimeout(graceTimer);
    // Every answer is written: close the keep-alive connections now instead of waiting for them to time out.
    server.closeAllConnections();
    await closed;
    dashboard?.stop();
    runningEngine.close();
    store?.close();
  }

  const stop = () => (stopping ??= stopOnce());
  let resolveFailed: (error: Error) => void = () => undefined;
  const failed = new Promise<Error>((resolve) => {
    resolveFailed = resolve;
  });
  // Like a database after a failed WAL write: stop at once rather than serve from a memory the disk does not match.
  onStoreFailure = (error) => {
    const reason = error instanceof Error ? error.message : String(error);
    logger.error(
      `mqs: committing to ${config.dataDir} failed (${reason}); stopping the server, since its memory now holds changes the disk does ` +
        'not. The requests waiting for that commit were answered 500. Every change answered before is on disk: fix the cause ' +
        '(e.g. free disk space) and restart on the same data directory.',
    );
    // Closing the store may fail the same way; the server has stopped either way.
    void stop()
      .catch(() => undefined)
      .then(() => resolveFailed(error instanceof Error ? error : new Error(reason)));
  };

  return {
    url,
    port,
    host: config.host,
    publicBaseUrl,
    region: config.region,
    accountId: config.accountId,
    dataDir: config.isInMemory ? undefined : config.dataDir,
    sync: config.isInMemory ? undefined : config.sync,
    isAuthRequired: accessKeys !== undefined,
    engine: runningEngine,
    dashboard,
    dashboardUrl: dashboard === undefined ? undefined : `${url}/`,
    stop,
    failed,
  };
}
