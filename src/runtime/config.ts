/**
 * @module runtime/config: the runtime's defaults, and the only place the runtime reads the host environment.
 * Precedence: explicit option, then the environment, then RUNTIME_DEFAULTS.
 */

/** Every default of the local Lambda runtime in one place. */
export const RUNTIME_DEFAULTS = {
  /** Same as the embedded server's default region. */
  region: 'us-east-1',
  /** Used in function ARNs until a queue ARN tells the real account. */
  accountId: '000000000000',
  /**
   * Concurrent batches of a mapping that sets no ScalingConfig.MaximumConcurrency. AWS starts at 5 pollers and
   * scales to 1,000 batches; locally a fixed 5 keeps a laptop responsive. Override with MQS_DEFAULT_MAX_CONCURRENCY.
   */
  defaultMaximumConcurrency: 5,
} as const;

/** Environment variables the runtime reads (host side; functions get their own environment). */
export const RUNTIME_ENV = {
  defaultMaximumConcurrency: 'MQS_DEFAULT_MAX_CONCURRENCY',
} as const;

/** What a function may inherit from the host: a few basics, and AWS credentials for a real SQS endpoint. */
export interface HostEnvironment {
  /** PATH, LANG, HOME when set (Lambda sets its own; these keep child processes and locale working). */
  readonly basics: Readonly<Record<string, string>>;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

/** Reads {@link HostEnvironment} from `env` (default `process.env`). */
export function readHostEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): HostEnvironment {
  const basics: Record<string, string> = {};
  for (const name of ['PATH', 'LANG', 'HOME']) {
    const value = env[name];
    if (value !== undefined) basics[name] = value;
  }
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  const sessionToken = env['AWS_SESSION_TOKEN'];
  if (accessKeyId === undefined || secretAccessKey === undefined) return { basics };
  return { basics, credentials: sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken } };
}

/**
 * The pollers per mapping without MaximumConcurrency: the option, else MQS_DEFAULT_MAX_CONCURRENCY, else 5.
 * @throws RangeError naming the variable when it is not an integer from 1 to 1000.
 */
export function resolveDefaultConcurrency(option: number | undefined, env: Readonly<Record<string, string | undefined>> = process.env): number {
  if (option !== undefined) return checkConcurrency(option, 'defaultMaximumConcurrency');
  const raw = env[RUNTIME_ENV.defaultMaximumConcurrency];
  if (raw === undefined || raw.trim() === '') return RUNTIME_DEFAULTS.defaultMaximumConcurrency;
  return checkConcurrency(Number(raw), RUNTIME_ENV.defaultMaximumConcurrency);
}

function checkConcurrency(value: number, source: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 1000) throw new RangeError(`${source} must be an integer from 1 to 1000 (got ${value})`);
  return value;
}
