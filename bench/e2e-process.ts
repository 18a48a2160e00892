/** @module bench/e2e-process: `node bin/mqs.js …` as a child process for the end-to-end bench, with a clock on its output. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/mqs.js', import.meta.url));

/** A running mqs command. */
export interface MqsChild {
  readonly child: ChildProcessWithoutNullStreams;
  /** performance.now() when it was spawned. */
  readonly spawnedAt: number;
  output(): string;
  /** Resolves with the match and the time it appeared (performance.now()); rejects after `limitMs` or on exit. */
  waitFor(pattern: RegExp, limitMs: number): Promise<{ match: RegExpMatchArray; at: number }>;
  /** Resolves once the process has exited, killing it after `limitMs`. */
  exited(limitMs: number): Promise<{ code: number | null; output: string }>;
}

/** Spawns `mqs <args>` from the project root without MQS_* variables. */
export function spawnMqs(args: readonly string[]): MqsChild {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MQS_')));
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  const listeners = new Set<() => void>();
  let isClosed = false;
  const closed = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      isClosed = true;
      for (const listener of listeners) listener();
      resolve(code);
    }),
  );
  const onData = (chunk: string) => {
    text += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  return {
    child,
    spawnedAt,
    output: () => text,
    waitFor(pattern, limitMs) {
      return new Promise((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const stop = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        function check(): void {
          const match = pattern.exec(text);
          if (match !== null) {
            stop();
            resolve({ match, at: performance.now() });
          } else if (isClosed) {
            stop();
            reject(new Error(`mqs exited before printing ${pattern}:\n${text.slice(-2_000)}`));
          }
        }
        timer = setTimeout(() => {
          stop();
          reject(new Error(`no ${pattern} within ${limitMs} ms:\n${text.slice(-2_000)}`));
        }, limitMs);
        listeners.add(check);
        check();
      });
    },
    async exited(limitMs) {
      const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
      try {
        return { code: await closed, output: text };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
