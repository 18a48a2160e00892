/** @module bench/server-handle: starts a server under test in its own process and measures it over IPC. */
import { forkChild } from './child-rpc.ts';
import type { ServerProcConfig, ServerProcReady, ServerUsage } from './server-proc.ts';

/** A server process the bench can measure. */
export interface ServerHandle {
  label: string;
  url: string;
  pid: number;
  /** How long startServer (open store, restore, listen) took inside the child, ms. */
  startMs: number;
  /** From fork() to ready, ms (includes Node and tsx start-up). */
  spawnToReadyMs: number;
  /** Usage right after start (after the restore, for a data directory). */
  startUsage: ServerUsage;
  usage(): Promise<ServerUsage>;
  /** Runs a full GC in the server (it has --expose-gc) and returns the usage after it. */
  gcUsage(): Promise<ServerUsage>;
  profileStart(): Promise<void>;
  /** Stops the profiler and writes the .cpuprofile (with TypeScript line numbers) to `path`. */
  profileStop(path: string): Promise<void>;
  /** Stops the server and waits for its process to exit; returns the final usage. Safe to call twice. */
  stop(): Promise<ServerUsage | undefined>;
}

/**
 * Forks bench/server-proc.ts with `config` and waits until it listens.
 * Throws when the server fails to start (its error is in the message) or its process exits first.
 */
export async function startServerProcess(label: string, config: ServerProcConfig): Promise<ServerHandle> {
  const rpc = await forkChild<ServerProcReady>(label, new URL('./server-proc.ts', import.meta.url), [JSON.stringify(config)], [
    '--expose-gc',
  ]);
  let stopping: Promise<ServerUsage | undefined> | undefined;
  return {
    label,
    url: rpc.ready.url,
    pid: rpc.child.pid ?? -1,
    startMs: rpc.ready.startMs,
    spawnToReadyMs: rpc.spawnToReadyMs,
    startUsage: rpc.ready.usage,
    usage: () => rpc.call<ServerUsage>('usage'),
    gcUsage: () => rpc.call<ServerUsage>('gc'),
    profileStart: () => rpc.call<void>('profileStart'),
    profileStop: (path) => rpc.call<void>('profileStop', { path }),
    stop: () =>
      (stopping ??= (async () => {
        let final: ServerUsage | undefined;
        try {
          final = await rpc.call<ServerUsage>('stop', {}, 60_000);
        } catch {
          rpc.child.kill('SIGKILL');
        }
        await rpc.exited;
        return final;
      })()),
  };
}
