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
  /** How the backlog got there: only the SDK sends of each round, or seeded through the store (plus those sends). */
  filledBy: 'sdk' | 'store';
  seedMs?: number;
  /** startServer in the server process: open the store, restore, listen. */
  startMs: number;
  spawnToReadyMs: number;
  rssAfterStartBytes: number;
  /** Heap in use after a full GC right after start: what the restored state costs. */
  heapAfterStartBytes: number;
  rssEndBytes: number;
  /** V8 heap used and reserved at the end. */
  heapUsedEndBytes: number;
  heapTotalEndBytes: number;
  maxRssBytes: number;
  messages: number;
  rounds: number;
  wallMs: number;
  msgsPerSec: number;
  serverCpuUsPerMsg: number;
  profile?: string;
  /** The CPU profile of the start-up (restore), when profiled. */
  restoreProfile?: string;
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
 * Measures both sides, each on its own SQLite server. Small: a fresh queue. Big: `bigBacklog` messages seeded into
 * the store and restored by the server at start-up. Every round sends `smallBacklog` messages (not timed), then
 * receives and deletes as many (timed), so the small queue never holds more than one round while the big one stays
 * near `bigBacklog`. One untimed round warms each server up. Throws on SDK or store errors.
 */
export async function runBacklog(pool: ClientPool, options: BacklogOptions): Promise<BacklogResult> {
  const roundSize = options.smallBacklog;
  const rounds = Math.max(1, Math.round(options.messages / roundSize));

  interface Side {
    handle: ServerHandle;
    queueUrl: string;
    label: 'small' | 'big';
    heapAfterStartBytes: number;
    fillRound: number;
    wallMs: number;
    cpuMicros: number;
    profile?: string;
  }
  const open = async (label: 'small' | 'big', dataDir: string, profileStartPath?: string): Promise<Side> => {
    const handle = await startServerProcess(`sqlite-${label}-backlog`, {
      kind: 'mqs',
      dataDir,
      ...(profileStartPath === undefined ? {} : { profileStartPath }),
    });
    const heapAfterStartBytes = (await handle.gcUsage()).heapUsedBytes;
    // For the seeded queue, CreateQueue with the seeded attributes answers with the existing queue's URL.
    const queueUrl = await pool.createQueue(handle.url, QUEUE_NAME, options.kind);
    return { handle, queueUrl, label, heapAfterStartBytes, fillRound: 0, wallMs: 0, cpuMicros: 0 };
  };
  // Both sides get the same rounds: send `roundSize` messages (not timed), then receive and delete `roundSize`
  // (timed). On the small side those are the very messages just sent; on the big side they come from the head
  // of the backlog, while the new ones join its tail.
  const round = async (side: Side, isTimed: boolean): Promise<void> => {
    const { handle, queueUrl } = side;
    await pool.send(handle.url, queueUrl, options.kind, roundSize, options.layout, `fill${side.fillRound++}`);
    const before = await handle.usage();
    const run = await pool.receiveDelete(handle.url, queueUrl, roundSize, options.layout);
    const after = await handle.usage();
    if (!isTimed) return;
    side.wallMs += run.wallMs;
    side.cpuMicros += after.cpuMicros - before.cpuMicros;
  };
  const result = async (side: Side, partial: Pick<BacklogRun, 'backlog' | 'filledBy'> & { seedMs?: number }): Promise<BacklogRun> => {
    const end = await side.handle.usage();
    const messages = rounds * roundSize;
    const run: BacklogRun = {
      ...partial,
      startMs: side.handle.startMs,
      spawnToReadyMs: side.handle.spawnToReadyMs,
      rssAfterStartBytes: side.handle.startUsage.rssBytes,
      heapAfterStartBytes: side.heapAfterStartBytes,
      rssEndBytes: end.rssBytes,
      heapUsedEndBytes: end.heapUsedBytes,
      heapTotalEndBytes: end.heapTotalBytes,
      maxRssBytes: end.maxRssBytes,
      messages,
      rounds,
      wallMs: side.wallMs,
      msgsPerSec: (messages * 1000) / side.wallMs,
      serverCpuUsPerMsg: side.cpuMicros / messages,
    };
    if (side.profile !== undefined) run.profile = side.profile;
    return run;
  };

  const sides: Side[] = [];
  try {
    sides.push(await open('small', options.smallDataDir));
    options.log(`backlog: seeding ${options.bigBacklog} messages through the SQLite store`);
    const seed = seedBacklog(options.bigDataDir, QUEUE_NAME, options.kind, options.bigBacklog);
    options.log(`backlog: seeded in ${(seed.wallMs / 1000).toFixed(1)} s; starting a server on it (restore)`);
    const restoreProfile = options.profileDir === undefined ? undefined : join(options.profileDir, 'backlog-big-restore.cpuprofile');
    const bigSide = await open('big', options.bigDataDir, restoreProfile);
    sides.push(bigSide);
    options.log(`backlog: restored in ${(bigSide.handle.startMs / 1000).toFixed(1)} s, RSS ${(bigSide.handle.startUsage.rssBytes / 1e6).toFixed(0)} MB`);
    const [smallSide] = sides as [Side, Side];

    // One warm-up round each, then the timed rounds alternate between the two servers, so a change in the load on
    // this machine hits both sides alike.
    await round(smallSide, false);
    await round(bigSide, false);
    options.log(`backlog: ${rounds} rounds of ${roundSize} messages on each side, alternating`);
    if (options.profileDir !== undefined) {
      bigSide.profile = join(options.profileDir, 'backlog-big-round.cpuprofile');
      await bigSide.handle.profileStart();
    }
    for (let r = 0; r < rounds; r++) {
      await round(smallSide, true);
      await round(bigSide, true);
    }
    if (bigSide.profile !== undefined) await bigSide.handle.profileStop(bigSide.profile);
    const small = await result(smallSide, { backlog: options.smallBacklog, filledBy: 'sdk' });
    const big = await result(bigSide, { backlog: options.bigBacklog, filledBy: 'store', seedMs: seed.wallMs });
    if (restoreProfile !== undefined) big.restoreProfile = restoreProfile;
    options.log(`backlog: small ${Math.round(small.msgsPerSec)} msg/s, big ${Math.round(big.msgsPerSec)} msg/s`);
    return { kind: options.kind, layout: options.layout.label, small, big, ratio: big.msgsPerSec / small.msgsPerSec };
  } finally {
    for (const side of sides) {
      await side.handle.stop();
      await pool.forget(side.handle.url).catch(() => undefined);
    }
  }
}
