/**
 * @module bench/throughput-section: the table: the same SDK workload against the baseline and against mqs (in
 * memory, on SQLite), per queue kind, operation and client layout, with each server's CPU time per message.
 */
import { join } from 'node:path';
import type { ClientLayout, ClientPool } from './client-pool.ts';
import { type ServerHandle, startServerProcess } from './server-handle.ts';
import type { BaselineTransport } from './baseline-server.ts';
import type { ServerProcConfig } from './server-proc.ts';
import { BATCH_SIZE } from './bench-messages.ts';
import { type PhaseResult, QUEUE_KINDS, type QueueKind } from './sdk-workload.ts';

/** The servers the table compares. */
export const TABLE_SERVERS = ['baseline', 'memory', 'sqlite'] as const;
export type TableServer = (typeof TABLE_SERVERS)[number];

/** The two measured operations. */
export const PHASES = ['send', 'receiveDelete'] as const;
export type Phase = (typeof PHASES)[number];

/** A layout with its printed label. */
export interface NamedLayout extends ClientLayout {
  label: string;
}

export interface ThroughputOptions {
  messages: number;
  repeats: number;
  /** Each cell's messages are handled in this many slices, the servers taking turns slice by slice. */
  slices: number;
  warmupMessages: number;
  servers: readonly TableServer[];
  layouts: readonly NamedLayout[];
  /** A fresh directory for the SQLite server's data. */
  sqliteDataDir: string;
  /** The SQLite server's `--sync`. */
  sqliteSync: 'normal' | 'full';
  /** What the baseline answers through: node:http (the ceiling the targets compare with) or raw node:net. */
  baselineTransport: BaselineTransport;
  /** When set, each mqs phase of the first repetition is CPU-profiled into this directory. */
  profileDir?: string;
  log(line: string): void;
}

/** One measured phase. */
export interface PhaseRun {
  server: TableServer;
  kind: QueueKind;
  phase: Phase;
  layout: string;
  rep: number;
  msgsPerSec: number;
  wallMs: number;
  serverCpuUsPerMsg: number;
  clientCpuUsPerMsg: number;
  requests: number;
  emptyReceives: number;
  /** CPU profiles of this phase's slices, when profiled. */
  profiles?: string[];
}

/** Best of the repetitions for one server in one cell. */
export interface CellBest {
  msgsPerSec: number;
  serverCpuUsPerMsg: number;
  clientCpuUsPerMsg: number;
}

export interface ThroughputResult {
  runs: PhaseRun[];
  /** `best[server][kind|phase|layout]`. */
  best: Partial<Record<TableServer, Record<string, CellBest>>>;
  servers: Partial<Record<TableServer, { startMs: number; finalRssBytes?: number; maxRssBytes?: number }>>;
}

/** The key of a cell in `ThroughputResult.best`. */
export function cellKey(kind: QueueKind, phase: Phase, layout: string): string {
  return `${kind}|${phase}|${layout}`;
}

function serverConfig(server: TableServer, options: ThroughputOptions): ServerProcConfig {
  if (server === 'baseline') return { kind: 'baseline', transport: options.baselineTransport };
  if (server === 'memory') return { kind: 'mqs', inMemory: true };
  return { kind: 'mqs', dataDir: options.sqliteDataDir, sync: options.sqliteSync };
}

/**
 * Runs every cell `repeats` times. Each cell sends `messages` to a new queue on every server, then receives and
 * deletes them all; within a phase the servers take turns slice by slice (a few seconds each), so a disturbance on
 * this machine hits all of them alike. Throws on any SDK error (a bench that hides errors measures nothing).
 */
export async function runThroughput(pool: ClientPool, options: ThroughputOptions): Promise<ThroughputResult> {
  const handles = new Map<TableServer, ServerHandle>();
  const result: ThroughputResult = { runs: [], best: {}, servers: {} };
  try {
    for (const server of options.servers) {
      const handle = await startServerProcess(server, serverConfig(server, options));
      handles.set(server, handle);
      result.servers[server] = { startMs: handle.startMs };
    }
    let queueSeq = 0;
    /**
     * One cell on every server: a new queue each, then per phase `slices` rounds in which each server in turn
     * handles total/slices messages (the first server rotates every round). Wall and CPU times are summed per server.
     */
    const cell = async (
      kind: QueueKind,
      layout: NamedLayout,
      total: number,
      slices: number,
      onPhase?: (server: TableServer, phase: Phase, run: PhaseResult, serverCpuMicros: number, profiles: string[]) => void,
      profilePrefix?: string,
    ): Promise<void> => {
      const queueUrls = new Map<TableServer, string>();
      for (const server of options.servers) {
        queueUrls.set(server, await pool.createQueue(handles.get(server)!.url, `bench-${server}-${kind}-${queueSeq++}`, kind));
      }
      const sliceSize = Math.ceil(total / slices / BATCH_SIZE) * BATCH_SIZE;
      for (const phase of PHASES) {
        const sums = new Map<TableServer, { run: PhaseResult; cpuMicros: number; profiles: string[] }>();
        for (let slice = 0, left = total; left > 0; slice++, left -= sliceSize) {
          const size = Math.min(sliceSize, left);
          for (let i = 0; i < options.servers.length; i++) {
            const server = options.servers[(slice + i) % options.servers.length]!;
            const handle = handles.get(server)!;
            const queueUrl = queueUrls.get(server)!;
            const profile =
              profilePrefix === undefined || server === 'baseline' ? undefined : `${profilePrefix}-${server}-${phase}-${slice}.cpuprofile`;
            if (profile !== undefined) await handle.profileStart();
            const before = await handle.usage();
            const run =
              phase === 'send'
                ? await pool.send(handle.url, queueUrl, kind, size, layout, `q${queueSeq}s${slice}`)
                : await pool.receiveDelete(handle.url, queueUrl, size, layout);
            const after = await handle.usage();
            if (profile !== undefined) await handle.profileStop(profile);
            const sum = sums.get(server);
            if (sum === undefined) {
              sums.set(server, { run: { ...run }, cpuMicros: after.cpuMicros - before.cpuMicros, profiles: profile === undefined ? [] : [profile] });
            } else {
              sum.run.messages += run.messages;
              sum.run.requests += run.requests;
              sum.run.emptyReceives += run.emptyReceives;
              sum.run.wallMs += run.wallMs;
              sum.run.clientCpuMicros += run.clientCpuMicros;
              sum.cpuMicros += after.cpuMicros - before.cpuMicros;
              if (profile !== undefined) sum.profiles.push(profile);
            }
          }
        }
        for (const server of options.servers) {
          const sum = sums.get(server)!;
          onPhase?.(server, phase, sum.run, sum.cpuMicros, sum.profiles);
        }
      }
    };

    options.log(`warm-up: ${options.warmupMessages} messages per server, queue kind and layout`);
    for (const kind of QUEUE_KINDS) {
      for (const layout of options.layouts) await cell(kind, layout, options.warmupMessages, 1);
    }

    const totalPhases = options.repeats * QUEUE_KINDS.length * options.layouts.length * options.servers.length * PHASES.length;
    for (let rep = 0; rep < options.repeats; rep++) {
      for (const kind of QUEUE_KINDS) {
        for (const layout of options.layouts) {
          const profilePrefix =
            options.profileDir !== undefined && rep === 0 ? join(options.profileDir, `${kind}-${layout.label.replace(/\W+/g, '')}`) : undefined;
          await cell(
            kind,
            layout,
            options.messages,
            options.slices,
            (server, phase, run, serverCpuMicros, profiles) => {
              const record: PhaseRun = {
                server,
                kind,
                phase,
                layout: layout.label,
                rep,
                msgsPerSec: (run.messages * 1000) / run.wallMs,
                wallMs: run.wallMs,
                serverCpuUsPerMsg: serverCpuMicros / run.messages,
                clientCpuUsPerMsg: run.clientCpuMicros / run.messages,
                requests: run.requests,
                emptyReceives: run.emptyReceives,
                ...(profiles.length === 0 ? {} : { profiles }),
              };
              result.runs.push(record);
              options.log(
                `[${String(result.runs.length).padStart(3)}/${totalPhases}] ${server.padEnd(8)} ${kind.padEnd(8)} ${phase.padEnd(13)} ` +
                  `${layout.label.padEnd(11)} ${Math.round(record.msgsPerSec).toString().padStart(6)} msg/s  ` +
                  `server ${record.serverCpuUsPerMsg.toFixed(1).padStart(6)} µs/msg  client ${record.clientCpuUsPerMsg.toFixed(1).padStart(6)} µs/msg`,
              );
            },
            profilePrefix,
          );
        }
      }
    }
  } finally {
    for (const [server, handle] of handles) {
      const final = await handle.stop();
      const info = result.servers[server];
      if (info !== undefined && final !== undefined) {
        info.finalRssBytes = final.rssBytes;
        info.maxRssBytes = final.maxRssBytes;
      }
      await pool.forget(handle.url).catch(() => undefined);
    }
  }

  // A profiled phase runs slower and burns more CPU; with more than one repetition it does not count.
  const counted = options.repeats > 1 ? result.runs.filter((r) => r.profiles === undefined) : result.runs;
  for (const run of counted) {
    const table = (result.best[run.server] ??= {});
    const key = cellKey(run.kind, run.phase, run.layout);
    const best = table[key];
    if (best === undefined) {
      table[key] = { msgsPerSec: run.msgsPerSec, serverCpuUsPerMsg: run.serverCpuUsPerMsg, clientCpuUsPerMsg: run.clientCpuUsPerMsg };
    } else {
      best.msgsPerSec = Math.max(best.msgsPerSec, run.msgsPerSec);
      best.serverCpuUsPerMsg = Math.min(best.serverCpuUsPerMsg, run.serverCpuUsPerMsg);
      best.clientCpuUsPerMsg = Math.min(best.clientCpuUsPerMsg, run.clientCpuUsPerMsg);
    }
  }
  return result;
}
