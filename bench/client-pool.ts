/** @module bench/client-pool: the client worker processes and how one phase is spread over them. */
import { performance } from 'node:perf_hooks';
import { type ChildRpc, forkChild } from './child-rpc.ts';
import type { PhaseResult, QueueKind } from './sdk-workload.ts';
import { BATCH_SIZE } from './bench-messages.ts';

/** How a cell's client loops are laid out. */
export interface ClientLayout {
  /** Concurrent request loops in total. */
  concurrency: number;
  /** Worker processes the loops are split over (each gets concurrency / processes). */
  processes: number;
}

/** The client workers, forked once and kept warm for the whole run. */
export interface ClientPool {
  size: number;
  createQueue(endpoint: string, name: string, kind: QueueKind): Promise<string>;
  /** Sends `total` messages from `layout`, split evenly over the workers; wall time is measured here. */
  send(endpoint: string, queueUrl: string, kind: QueueKind, total: number, layout: ClientLayout, runTag: string): Promise<PhaseResult>;
  receiveDelete(endpoint: string, queueUrl: string, total: number, layout: ClientLayout): Promise<PhaseResult>;
  /** Drops the workers' clients of a server that is going away. */
  forget(endpoint: string): Promise<void>;
  close(): Promise<void>;
}

/** Splits `total` messages into `parts` shares that are multiples of a batch. */
function shares(total: number, parts: number): number[] {
  const batches = Math.ceil(total / BATCH_SIZE);
  return Array.from({ length: parts }, (_, p) => (Math.floor(batches / parts) + (p < batches % parts ? 1 : 0)) * BATCH_SIZE);
}

async function acrossWorkers(
  workers: Array<ChildRpc<unknown>>,
  layout: ClientLayout,
  total: number,
  run: (worker: ChildRpc<unknown>, share: number, concurrency: number, index: number) => Promise<PhaseResult>,
): Promise<PhaseResult> {
  if (layout.processes > workers.length) throw new Error(`layout wants ${layout.processes} client processes, pool has ${workers.length}`);
  if (layout.concurrency % layout.processes !== 0) throw new Error(`concurrency ${layout.concurrency} does not split over ${layout.processes} processes`);
  const perProcess = layout.concurrency / layout.processes;
  const started = performance.now();
  const results = await Promise.all(
    shares(total, layout.processes).map((share, p) => run(workers[p]!, share, perProcess, p)),
  );
  const wallMs = performance.now() - started;
  return {
    messages: results.reduce((sum, r) => sum + r.messages, 0),
    requests: results.reduce((sum, r) => sum + r.requests, 0),
    emptyReceives: results.reduce((sum, r) => sum + r.emptyReceives, 0),
    wallMs,
    clientCpuMicros: results.reduce((sum, r) => sum + r.clientCpuMicros, 0),
  };
}

/** Forks `size` client workers. Throws when one fails to start. */
export async function startClientPool(size: number): Promise<ClientPool> {
  const workers = await Promise.all(
    Array.from({ length: size }, (_, i) => forkChild<unknown>(`client-${i}`, new URL('./client-proc.ts', import.meta.url), [])),
  );
  return {
    size,
    createQueue: (endpoint, name, kind) => workers[0]!.call<string>('createQueue', { endpoint, name, kind }),
    send: (endpoint, queueUrl, kind, total, layout, runTag) =>
      acrossWorkers(workers, layout, total, (worker, share, concurrency, p) =>
        worker.call<PhaseResult>('send', { endpoint, queueUrl, kind, total: share, concurrency, runTag: `${runTag}-p${p}` }),
      ),
    receiveDelete: (endpoint, queueUrl, total, layout) =>
      acrossWorkers(workers, layout, total, (worker, share, concurrency) =>
        worker.call<PhaseResult>('receiveDelete', { endpoint, queueUrl, total: share, concurrency }),
      ),
    forget: async (endpoint) => {
      await Promise.all(workers.map((w) => w.call('forget', { endpoint })));
    },
    close: async () => {
      for (const worker of workers) worker.child.disconnect();
      await Promise.all(workers.map((w) => w.exited));
    },
  };
}
