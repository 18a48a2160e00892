/** @module test/e2e/system-cli: runs `mqs` as a user does (a child process from the project root, no TTY) for the system tests. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withFileSizeLimit } from '../helpers/file-size-limit.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'mqs.js');

/** A running `mqs` process with its output so far. */
export interface MqsProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects after `limitMs` or when the process exits first. */
  waitFor(pattern: RegExp, limitMs: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (null when killed by a signal) and the whole output; rejects after `limitMs`. */
  exited(limitMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

/**
 * Starts `node bin/mqs.js <args>` without the caller's MQS_* variables (the flags and `env` alone decide); with
 * `fileSizeLimitKiB`, as if its disk were nearly full (`withFileSizeLimit`).
 */
export function spawnMqs(args: readonly string[], options: { fileSizeLimitKiB?: number; env?: Readonly<Record<string, string>> } = {}): MqsProcess {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MQS_'))), ...options.env };
  const limit = options.fileSizeLimitKiB;
  const [command, commandArgs] =
    limit === undefined ? [process.execPath, [BIN, ...args]] : withFileSizeLimit(limit, process.execPath, [BIN, ...args]);
  const child = spawn(command, commandArgs, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: string) => {
    text += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  let isClosed = false;
  void closed.then(() => {
    isClosed = true;
    for (const listener of listeners) listener();
  });
  return {
    child,
    output: () => text,
    waitFor(pattern, limitMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (match !== null) return finish(() => resolve(match));
          if (isClosed) finish(() => reject(new Error(`mqs exited before printing ${pattern}:\n${text}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no ${pattern} within ${limitMs} ms:\n${text}`))), limitMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async exited(limitMs) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`mqs did not exit within ${limitMs} ms:\n${text}`));
        }, limitMs);
      });
      try {
        const { code, signal } = await Promise.race([closed, limit]);
        return { code, signal, output: text };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Runs `mqs <args>` to the end. */
export function runMqs(
  args: readonly string[],
  limitMs: number,
  env?: Readonly<Record<string, string>>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return spawnMqs(args, env === undefined ? {} : { env }).exited(limitMs);
}
