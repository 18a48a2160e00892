/**
 * @module bench/backlog-section: receive+delete throughput on SQLite from a queue holding a small backlog
 * against one holding a huge one (seeded through the store and restored at start-up), with the server's memory.
 */
import { join } from 'node:path';
import type { ClientLayout, ClientPool } from './client-pool.ts';
import type { QueueKind } from './sdk-workload.ts';
import { seedBacklog } from './seed-backlog.ts';
import { type ServerHandle, startServerProcess } from './server-handle.ts';

export interface BacklogOptions {
  /** Messages received and deleted from each queue (in rounds of `smallBacklog`). */
  messages: number;
  smallBacklog: number;
  bigBacklog: number;
  kind: QueueKind;
  layout: ClientLayout & { label: string };
  /** Two fresh directories, one per server. */
  smallDataDir: string;
  bigDataDir: string;
  profileDir?: string;
  log(line: string): void;
}

/** One side of the comparison. */
export interface BacklogRun {
  backlog: number;
  /** How the backlog got there: sent over the SDK before each round, or seeded through the store. */
  filledBy: 'sdk' | 'store';
  seedMs?: number;
  /** startServer in the server process: open the store, restore, listen. */
  startMs: number;
  spawnToReadyMs: number;
  rssAfterStartBytes: number;
  /** Heap in use after a full GC right after start: what the restored state costs. */
  heapAfterStartBytes: number;
  rssEndBytes: number;
  maxRssBytes: number;
  messages: number;
  rounds: number;
  wallMs: number;
  msgsPerSec: number;
  serverCpuUsPerMsg: number;
  profile?: string;
}

export interface BacklogResult {
  kind: QueueKind;
  layout: string;
  small: BacklogRun;
  big: BacklogRun;
  /** big msgs/s ÷ small msgs/s. */
  ratio: number;
}

const QUEUE_NAME = 'bench-backlog';

/**
 * Measures both sides. Small: a fresh SQLite server; each round sends `smallBacklog` messages (not timed), then
 * receives and deletes them (timed). Big: `bigBacklog` messages are seeded into the store, a server restores them,
 * and each round receives and deletes `smallBacklog` of them (timed). One untimed round warms each server up.
 * Throws on SDK or store errors.
 */
export async function runBacklog(pool: ClientPool, options: BacklogOptions): Promise<BacklogResult> {
  const roundSize = options.smallBacklog;
  const rounds = Math.max(1, Math.round(options.messages / roundSize));
  if ((rounds + 1) * roundSize > options.bigBacklog) {
    throw new Error(`the big backlog (${options.bigBacklog}) must hold at least ${(rounds + 1) * roundSize} messages`);
  }

  const measure = async (
    handle: ServerHandle,
    queueUrl: string,
    fill: (() => Promise<void>) | undefined,
    label: string,
  ): Promise<{ wallMs: number; cpuMicros: number; profile?: string }> => {
    // Warm-up round (not timed).
    if (fill !== undefined) await fill();
    await pool.receiveDelete(handle.url, queueUrl, roundSize, options.layout);
    let wallMs = 0;
    let cpuMicros = 0;
    // Only the big side is profiled: the small side's rounds interleave sends, which would blur the picture.
    const profile = options.profileDir === undefined || fill !== undefined ? undefined : join(options.profileDir, `backlog-${label}-receiveDelete.cpuprofile`);
    for (let round = 0; round < rounds; round++) {
      if (fill !== undefined) await fill();
      if (profile !== undefined && round === 0) await handle.profileStart();
      const before = await handle.usage();
      const run = await pool.receiveDelete(handle.url, queueUrl, roundSize, options.layout);
      const after = await handle.usage();
      wallMs += run.wallMs;
      cpuMicros += after.cpuMicros - before.cpuMicros;
    }
    if (profile !== undefined) await handle.profileStop(profile);
    return profile === undefined ? { wallMs, cpuMicros } : { wallMs, cpuMicros, profile };
  };

  const finish = async (
    handle: ServerHandle,
    partial: Omit<BacklogRun, 'rssEndBytes' | 'maxRssBytes' | 'heapAfterStartBytes' | 'wallMs' | 'msgsPerSec' | 'serverCpuUsPerMsg' | 'messages' | 'rounds'>,
    heapAfterStartBytes: number,
    timing: { wallMs: number; cpuMicros: number; profile?: string },
  ): Promise<BacklogRun> => {
    const end = await handle.usage();
    const messages = rounds * roundSize;
    const run: BacklogRun = {
      ...partial,
      heapAfterStartBytes,
      rssEndBytes: end.rssBytes,
      maxRssBytes: end.maxRssBytes,
      messages,
      rounds,
      wallMs: timing.wallMs,
      msgsPerSec: (messages * 1000) / timing.wallMs,
      serverCpuUsPerMsg: timing.cpuMicros / messages,
    };
    if (timing.profile !== undefined) run.profile = timing.profile;
    return run;
  };

  // Small: the queue never holds more than one round.
  options.log(`backlog: ${options.smallBacklog} messages per round, ${rounds} rounds, on a fresh SQLite server`);
  let small: BacklogRun;
  {
    const handle = await startServerProcess('sqlite-small-backlog', { kind: 'mqs', dataDir: options.smallDataDir });
    try {
      const heapAfterStart = (await handle.gcUsage()).heapUsedBytes;
      const queueUrl = await pool.createQueue(handle.url, QUEUE_NAME, options.kind);
      let fillRound = 0;
      const fill = async (): Promise<void> => {
        await pool.send(handle.url, queueUrl, options.kind, roundSize, options.layout, `fill${fillRound++}`);
      };
      const timing = await measure(handle, queueUrl, fill, 'small');
      small = await finish(
        handle,
        {
          backlog: options.smallBacklog,
          filledBy: 'sdk',
          startMs: handle.startMs,
          spawnToReadyMs: handle.spawnToReadyMs,
          rssAfterStartBytes: handle.startUsage.rssBytes,
        },
        heapAfterStart,
        timing,
      );
    } finally {
      await handle.stop();
      await pool.forget(handle.url).catch(() => undefined);
    }
  }
  options.log(`backlog small: ${Math.round(small.msgsPerSec)} msg/s`);

  // Big: seeded through the store, restored by the server at start-up.
  options.log(`backlog: seeding ${options.bigBacklog} messages through the SQLite store`);
  const seed = seedBacklog(options.bigDataDir, QUEUE_NAME, options.kind, options.bigBacklog);
  options.log(`backlog: seeded in ${(seed.wallMs / 1000).toFixed(1)} s; starting a server on it (restore)`);
  let big: BacklogRun;
  {
    const handle = await startServerProcess('sqlite-big-backlog', { kind: 'mqs', dataDir: options.bigDataDir });
    try {
      options.log(`backlog: restored in ${(handle.startMs / 1000).toFixed(1)} s, RSS ${(handle.startUsage.rssBytes / 1e6).toFixed(0)} MB`);
      const heapAfterStart = (await handle.gcUsage()).heapUsedBytes;
      // CreateQueue with the seeded attributes answers with the existing queue's URL.
      const queueUrl = await pool.createQueue(handle.url, QUEUE_NAME, options.kind);
      const timing = await measure(handle, queueUrl, undefined, 'big');
      big = await finish(
        handle,
        {
          backlog: options.bigBacklog,
          filledBy: 'store',
          seedMs: seed.wallMs,
          startMs: handle.startMs,
          spawnToReadyMs: handle.spawnToReadyMs,
          rssAfterStartBytes: handle.startUsage.rssBytes,
        },
        heapAfterStart,
        timing,
      );
    } finally {
      await handle.stop();
      await pool.forget(handle.url).catch(() => undefined);
    }
  }
  options.log(`backlog big: ${Math.round(big.msgsPerSec)} msg/s`);
  return { kind: options.kind, layout: options.layout.label, small, big, ratio: big.msgsPerSec / small.msgsPerSec };
}
