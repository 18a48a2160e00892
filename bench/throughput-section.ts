/**
 * @module bench/throughput-section: the table: the same SDK workload against the baseline and against mqs (in
 * memory, on SQLite), per queue kind, operation and client layout, with each server's CPU time per message.
 */
import { join } from 'node:path';
import type { ClientLayout, ClientPool } from './client-pool.ts';
import { type ServerHandle, startServerProcess } from './server-handle.ts';
import type { ServerProcConfig } from './server-proc.ts';
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
  warmupMessages: number;
  servers: readonly TableServer[];
  layouts: readonly NamedLayout[];
  /** A fresh directory for the SQLite server's data. */
  sqliteDataDir: string;
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
  profile?: string;
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

function serverConfig(server: TableServer, sqliteDataDir: string): ServerProcConfig {
  if (server === 'baseline') return { kind: 'baseline' };
  if (server === 'memory') return { kind: 'mqs', inMemory: true };
  return { kind: 'mqs', dataDir: sqliteDataDir, sync: 'normal' };
}

/**
 * Runs every cell `repeats` times. Within a repetition the servers take turns cell by cell (baseline, memory,
 * sqlite), so a disturbance on this machine hits all of them alike. Each cell sends `messages` to a new queue,
 * then receives and deletes them all. Throws on any SDK error (a bench that hides errors measures nothing).
 */
export async function runThroughput(pool: ClientPool, options: ThroughputOptions): Promise<ThroughputResult> {
  const handles = new Map<TableServer, ServerHandle>();
  const result: ThroughputResult = { runs: [], best: {}, servers: {} };
  try {
    for (const server of options.servers) {
      const handle = await startServerProcess(server, serverConfig(server, options.sqliteDataDir));
      handles.set(server, handle);
      result.servers[server] = { startMs: handle.startMs };
    }
    let queueSeq = 0;
    const cell = async (
      server: TableServer,
      kind: QueueKind,
      layout: NamedLayout,
      total: number,
      onPhase?: (phase: Phase, run: PhaseResult, serverCpuMicros: number, profile?: string) => void,
      profilePrefix?: string,
    ): Promise<void> => {
      const handle = handles.get(server)!;
      const queueUrl = await pool.createQueue(handle.url, `bench-${server}-${kind}-${queueSeq++}`, kind);
      for (const phase of PHASES) {
        const profile = profilePrefix === undefined || server === 'baseline' ? undefined : `${profilePrefix}-${phase}.cpuprofile`;
        if (profile !== undefined) await handle.profileStart();
        const before = await handle.usage();
        const run =
          phase === 'send'
            ? await pool.send(handle.url, queueUrl, kind, total, layout, `q${queueSeq}`)
            : await pool.receiveDelete(handle.url, queueUrl, total, layout);
        const after = await handle.usage();
        if (profile !== undefined) await handle.profileStop(profile);
        onPhase?.(phase, run, after.cpuMicros - before.cpuMicros, profile);
      }
    };

    options.log(`warm-up: ${options.warmupMessages} messages per server, queue kind and layout`);
    for (const kind of QUEUE_KINDS) {
      for (const layout of options.layouts) {
        for (const server of options.servers) await cell(server, kind, layout, options.warmupMessages);
      }
    }

    const totalPhases = options.repeats * QUEUE_KINDS.length * options.layouts.length * options.servers.length * PHASES.length;
    for (let rep = 0; rep < options.repeats; rep++) {
      for (const kind of QUEUE_KINDS) {
        for (const layout of options.layouts) {
          for (const server of options.servers) {
            const profilePrefix =
              options.profileDir !== undefined && rep === 0 ? join(options.profileDir, `${server}-${kind}-${layout.label.replace(/\W+/g, '')}`) : undefined;
            await cell(
              server,
              kind,
              layout,
              options.messages,
              (phase, run, serverCpuMicros, profile) => {
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
                  ...(profile === undefined ? {} : { profile }),
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
  const counted = options.repeats > 1 ? result.runs.filter((r) => r.profile === undefined) : result.runs;
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
