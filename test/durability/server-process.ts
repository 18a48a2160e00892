/** @module test/durability/server-process: `mqs server` as a real child process that a test can SIGKILL and restart. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { withFileSizeLimit } from '../helpers/file-size-limit.ts';

/** The CLI entry point, as a user runs it. */
const BIN_PATH = fileURLToPath(new URL('../../bin/mqs.js', import.meta.url));
/** Bound on start-up (tsx compiles the sources on load, which takes a moment on a cold cache). */
const START_TIMEOUT_MS = 30_000;
/** Bound on waiting for a killed or stopped process to be reaped. */
const EXIT_TIMEOUT_MS = 15_000;
const URL_LINE = /^http:\/\/127\.0\.0\.1:\d+$/;

/** How to start one server process. */
export interface ServerProcessOptions {
  /** SQLite data directory (`--data-dir`). */
  dataDir?: string;
  /** Adds `--in-memory`. */
  isInMemory?: boolean;
  /**
   * Starts it under `ulimit -f` (KiB): a write past this size fails as on a full disk (`withFileSizeLimit`).
   */
  fileSizeLimitKiB?: number;
}

/** A running `mqs server` child process. */
export interface ServerProcess {
  /** The endpoint it printed as its first stdout line. */
  readonly url: string;
  readonly pid: number;
  /** Everything it wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** Resolves when the process exits by itself, with how; rejects after `timeoutMs`. */
  exited(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILLs its whole process group (no shutdown code runs) and waits until it is reaped. */
  kill(): Promise<void>;
  /** SIGTERM (clean stop) and waits for the exit; SIGKILLs it if it does not exit in time. */
  stop(): Promise<void>;
}

/** Every process started here and not yet reaped, so `killAllServerProcesses` can clean up after a failed test. */
const LIVE = new Set<ChildProcess>();

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return true;
  const timer = AbortSignal.timeout(timeoutMs);
  try {
    await once(child, 'exit', { signal: timer });
    return true;
  } catch {
    return hasExited(child);
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || hasExited(child)) return;
  try {
    // Negative pid: the process group the child leads (spawned with `detached`), so nothing it started survives.
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** The environment for the child: ours without any `MQS_*` setting, so only the flags decide. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('MQS_')) env[key] = value;
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return env;
}

/**
 * Starts `node bin/mqs.js server --port 0 ...` and resolves once it printed its URL (it accepts requests then).
 * Throws when the process exits, prints something else first, or prints nothing within START_TIMEOUT_MS.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const args = [BIN_PATH, 'server', '--port', '0'];
  if (options.dataDir !== undefined) args.push('--data-dir', options.dataDir);
  if (options.isInMemory === true) args.push('--in-memory');
  const limit = options.fileSizeLimitKiB;
  const [command, commandArgs] = limit === undefined ? [process.execPath, args] : withFileSizeLimit(limit, process.execPath, args);
  const child = spawn(command, commandArgs, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() });
  LIVE.add(child);
  child.once('exit', () => LIVE.delete(child));
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout!.setEncoding('utf8');

  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const fail = (reason: string) => {
      cleanup();
      killGroup(child, 'SIGKILL');
      reject(new Error(`mqs server did not start: ${reason}\nstdout: ${stdout}\nstderr: ${stderr}`));
    };
    const onData = (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      const first = stdout.slice(0, newline).trim();
      if (!URL_LINE.test(first)) return fail(`first stdout line is not a loopback URL: ${JSON.stringify(first)}`);
      cleanup();
      // Keep draining stdout so the child never blocks on a full pipe.
      child.stdout!.resume();
      resolve(first);
    };
    const onExit = (code: number | null, signal: string | null) => fail(`exited early (code ${code}, signal ${signal})`);
    const timer = setTimeout(() => fail(`no URL within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });

  return {
    url,
    pid: child.pid!,
    stderr: () => stderr,
    async exited(timeoutMs) {
      if (!(await waitForExit(child, timeoutMs))) throw new Error(`server ${child.pid} still runs after ${timeoutMs} ms\nstderr: ${stderr}`);
      return { code: child.exitCode, signal: child.signalCode };
    },
    async kill() {
      killGroup(child, 'SIGKILL');
      if (!(await waitForExit(child, EXIT_TIMEOUT_MS))) throw new Error(`server ${child.pid} survived SIGKILL`);
    },
    async stop() {
      killGroup(child, 'SIGTERM');
      if (await waitForExit(child, EXIT_TIMEOUT_MS)) return;
      killGroup(child, 'SIGKILL');
      await waitForExit(child, EXIT_TIMEOUT_MS);
      throw new Error(`server ${child.pid} did not stop on SIGTERM within ${EXIT_TIMEOUT_MS} ms`);
    },
  };
}

/** SIGKILLs every server process this module started that is still running (an `after` hook's safety net). */
export async function killAllServerProcesses(): Promise<void> {
  const children = [...LIVE];
  for (const child of children) killGroup(child, 'SIGKILL');
  await Promise.all(children.map((child) => waitForExit(child, EXIT_TIMEOUT_MS)));
}
