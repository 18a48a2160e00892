/**
 * @module bench/child-rpc: forks a bench child process (server or client) and calls it over the IPC channel.
 * Protocol: the child first sends `{ type: 'ready', ... }` or `{ type: 'failed', error }`, then answers each
 * `{ id, op, ... }` with `{ type: 'reply', id, result | error }`.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = 600_000;

/** A forked child the bench calls. */
export interface ChildRpc<Ready> {
  child: ChildProcess;
  ready: Ready;
  /** From fork() to the ready message, ms (includes Node and tsx start-up). */
  spawnToReadyMs: number;
  /** Sends `{ op, ...payload }` and resolves with the child's result; rejects on its error, its exit or the timeout. */
  call<T>(op: string, payload?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  exited: Promise<number | null>;
}

const live = new Set<ChildProcess>();

/** Kills every bench child still running (the bench's exit and signal paths). */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/** Child-side helper: answers requests with `handler` and reports its errors to the parent. */
export function serveRpc(handler: (request: { id: number; op: string } & Record<string, unknown>) => Promise<unknown>): void {
  process.on('message', (request: { id: number; op: string } & Record<string, unknown>) => {
    handler(request).then(
      (result) => process.send?.({ type: 'reply', id: request.id, result }),
      (error: unknown) =>
        process.send?.({ type: 'reply', id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
}

/**
 * Forks `script` (a .ts file in bench/) under tsx with `args`, and waits for its ready message.
 * Throws when the child reports a failure, exits first, or is not ready in time.
 */
export async function forkChild<Ready>(
  label: string,
  script: URL,
  args: string[],
  execArgv: string[] = [],
): Promise<ChildRpc<Ready>> {
  const spawned = performance.now();
  const child = fork(fileURLToPath(script), args, {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => live.delete(child));

  type Incoming = { type: 'ready' } | { type: 'failed'; error: string } | { type: 'reply'; id: number; result?: unknown; error?: string };
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label}: not ready after ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    const onMessage = (message: Incoming): void => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message as Ready);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${label}: failed to start:\n${message.error}`));
      }
    };
    child.on('message', onMessage);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${label}: exited with code ${code} before it was ready`));
    });
  });
  const spawnToReadyMs = performance.now() - spawned;

  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (message: Incoming) => {
    if (message.type !== 'reply') return;
    const waiter = pending.get(message.id);
    if (waiter === undefined) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(`${label}: ${message.error}`));
    else waiter.resolve(message.result);
  });
  void exited.then((code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${label}: process exited (code ${code})`));
    pending.clear();
  });

  return {
    child,
    ready,
    spawnToReadyMs,
    exited,
    call: <T>(op: string, payload: Record<string, unknown> = {}, timeoutMs = 600_000) =>
      new Promise<T>((resolve, reject) => {
        if (child.exitCode !== null || !child.connected) {
          reject(new Error(`${label}: process is gone`));
          return;
        }
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${label}: no answer to ${op} after ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value as T);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        child.send({ id, op, ...payload });
      }),
  };
}
