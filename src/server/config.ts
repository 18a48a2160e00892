/**
 * @module server/config: the server's settings and the only place the server reads the environment.
 * Precedence: explicit option, then the `MQS_*` variable, then `SERVER_DEFAULTS`.
 */

/** Every default in one place. */
export const SERVER_DEFAULTS = {
  host: '127.0.0.1',
  port: 9324,
  dataDir: './.mqs',
  isInMemory: false,
  region: 'us-east-1',
  accountId: '000000000000',
  sync: 'normal',
  isQueueDeletedRecentlyEnforced: false,
} as const;

/** The environment variable behind each setting (all share the `MQS_` prefix). */
export const SERVER_ENV = {
  host: 'MQS_HOST',
  port: 'MQS_PORT',
  dataDir: 'MQS_DATA_DIR',
  inMemory: 'MQS_IN_MEMORY',
  region: 'MQS_REGION',
  accountId: 'MQS_ACCOUNT_ID',
  sync: 'MQS_SYNC',
  publicBaseUrl: 'MQS_PUBLIC_URL',
  authFile: 'MQS_AUTH_FILE',
  queueDeletedRecently: 'MQS_QUEUE_DELETED_RECENTLY',
} as const;

export const SYNC_MODES = ['normal', 'full'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

/** A setting with a bad value; `source` names the variable or option it came from. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(message);
  }
}

/** The settings a caller may give (`startServer` options, CLI flags). Absent ones fall back to env, then defaults. */
export interface ServerSettingsInput {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Directory of the SQLite database (ignored with `inMemory`). */
  dataDir?: string;
  inMemory?: boolean;
  region?: string;
  accountId?: string;
  /** SQLite durability: `normal` (WAL, fsync at checkpoints) or `full` (fsync every commit). */
  sync?: SyncMode;
  /** Base of the queue URLs handed out (default: the server's own `http://host:port`). */
  publicBaseUrl?: string;
  /**
   * A file of `ACCESS_KEY_ID SECRET_ACCESS_KEY` lines (docs/auth.md): every request must then be SigV4-signed with one
   * of them. Absent: any credentials pass.
   */
  authFile?: string;
  /**
   * Refuse CreateQueue of a name deleted less than 60 s before (QueueDeletedRecently), as AWS does. Off by default:
   * local tools recreate queues between tests.
   */
  queueDeletedRecently?: boolean;
}

/** Resolved, validated settings. */
export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  isInMemory: boolean;
  region: string;
  accountId: string;
  sync: SyncMode;
  /** Without a trailing slash; `undefined` means "the server's own URL". */
  publicBaseUrl: string | undefined;
  /** Path of the access key file; `undefined`: signatures are not checked. */
  authFile: string | undefined;
  isQueueDeletedRecentlyEnforced: boolean;
}

type Parser<T> = (text: string, source: string) => T;

/**
 * Whether a listen address is loopback only (`127.0.0.0/8`, `::1`, `localhost`). Anything else — `0.0.0.0`, `::`, a
 * LAN address or a host name — may be reachable from other machines.
 */
export function isLoopbackHost(host: string): boolean {
  const value = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (value === 'localhost' || value === '::1' || value === '0:0:0:0:0:0:0:1') return true;
  if (value.startsWith('::ffff:')) return isLoopbackHost(value.slice('::ffff:'.length));
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(value);
}

/** Port number 0–65535. @throws ConfigError naming `source`. */
export const parsePort: Parser<number> = (text, source) => {
  const value = /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(value >= 0 && value <= 65_535)) {
    throw new ConfigError(source, `${source} must be an integer from 0 to 65535 (got "${text}").`);
  }
  return value;
};

/** `true`/`false` (also `1`/`0`, `yes`/`no`, any case). @throws ConfigError naming `source`. */
export const parseBoolean: Parser<boolean> = (text, source) => {
  const value = text.trim().toLowerCase();
  if (value === 'true' || value === '1' || value === 'yes') return true;
  if (value === 'false' || value === '0' || value === 'no') return false;
  throw new ConfigError(source, `${source} must be true or false (got "${text}").`);
};

/** `normal` or `full`. @throws ConfigError naming `source`. */
export const parseSync: Parser<SyncMode> = (text, source) => {
  const value = text.trim();
  for (const mode of SYNC_MODES) if (mode === value) return mode;
  throw new ConfigError(source, `${source} must be one of ${SYNC_MODES.join(', ')} (got "${text}").`);
};

/** A 12-digit AWS account id. @throws ConfigError naming `source`. */
export const parseAccountId: Parser<string> = (text, source) => {
  const value = text.trim();
  if (!/^\d{12}$/.test(value)) throw new ConfigError(source, `${source} must be 12 digits (got "${text}").`);
  return value;
};

/** An AWS region name such as `us-east-1`. @throws ConfigError naming `source`. */
export const parseRegion: Parser<string> = (text, source) => {
  const value = text.trim();
  if (!/^[a-z]{2,}(-[a-z0-9]+)*-\d+$/.test(value)) {
    throw new ConfigError(source, `${source} must be a region name such as us-east-1 (got "${text}").`);
  }
  return value;
};

/** An http(s) URL without query or fragment; returned without its trailing slash. @throws ConfigError. */
export const parsePublicUrl: Parser<string> = (text, source) => {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ConfigError(source, `${source} must be an http:// or https:// URL (got "${text}").`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') {
    throw new ConfigError(source, `${source} must be an http:// or https:// URL without query or fragment (got "${text}").`);
  }
  return url.href.replace(/\/+$/, '');
};

/** A non-empty string (host, directory). @throws ConfigError naming `source`. */
export const parseNonEmpty: Parser<string> = (text, source) => {
  const value = text.trim();
  if (value.length === 0) throw new ConfigError(source, `${source} must not be empty.`);
  return value;
};

type Env = Readonly<Record<string, string | undefined>>;

/** One setting: explicit option (validated too), else its variable, else the default. */
function pick<T>(explicit: T | undefined, optionName: string, env: Env, variable: string, parse: Parser<T>, fallback: T): T {
  if (explicit !== undefined) return parse(String(explicit), `option ${optionName}`);
  const text = env[variable];
  // An empty variable counts as unset (`MQS_PORT= mqs server`).
  if (text !== undefined && text !== '') return parse(text, variable);
  return fallback;
}

/**
 * Resolves the settings: each explicit option wins, then its `MQS_*` variable, then `SERVER_DEFAULTS`.
 * @throws ConfigError naming the option or variable whose value is invalid.
 */
export function resolveServerConfig(
  options: ServerSettingsInput = {},
  env: Env = process.env,
): ServerConfig {
  const D = SERVER_DEFAULTS;
  const E = SERVER_ENV;
  const publicText = options.publicBaseUrl ?? (env[E.publicBaseUrl] || undefined);
  const publicSource = options.publicBaseUrl !== undefined ? 'option publicBaseUrl' : E.publicBaseUrl;
  return {
    host: pick(options.host, 'host', env, E.host, parseNonEmpty, D.host),
    port: pick(options.port, 'port', env, E.port, parsePort, D.port),
    dataDir: pick(options.dataDir, 'dataDir', env, E.dataDir, parseNonEmpty, D.dataDir),
    isInMemory: pick(options.inMemory, 'inMemory', env, E.inMemory, parseBoolean, D.isInMemory),
    region: pick(options.region, 'region', env, E.region, parseRegion, D.region),
    accountId: pick(options.accountId, 'accountId', env, E.accountId, parseAccountId, D.accountId),
    sync: pick(options.sync, 'sync', env, E.sync, parseSync, D.sync),
    publicBaseUrl: publicText === undefined ? undefined : parsePublicUrl(publicText, publicSource),
    authFile: pick<string | undefined>(options.authFile, 'authFile', env, E.authFile, parseNonEmpty, undefined),
    isQueueDeletedRecentlyEnforced: pick(
      options.queueDeletedRecently,
      'queueDeletedRecently',
      env,
      E.queueDeletedRecently,
      parseBoolean,
      D.isQueueDeletedRecentlyEnforced,
    ),
  };
}
