/**
 * @module server/dashboard-runtime: the functions and logs part of `/_admin/*`, over a local Lambda runtime that the
 * caller attaches (`mqs start` does; `mqs server` alone has none). The server may not import the runtime, so this
 * module names only the few members it reads ({@link DashboardRuntime}); the runtime's `Runtime` object has them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AdminHttpError, adminSegments, intParam, numberParam, sendAdminError, sendJson, SeriesRing, type Columns } from '../protocol/index.ts';

/** A function's counters since the runtime started (the runtime's `FunctionStats`). */
export interface DashboardFunctionStats {
  readonly name: string;
  readonly invocations: number;
  /** Failed invocations, timeouts included. */
  readonly errors: number;
  readonly timeouts: number;
  readonly throttles: number;
  readonly coldStarts: number;
  readonly concurrentExecutions: number;
  readonly maxConcurrentExecutions: number;
  readonly instances: number;
  readonly totalDurationMs: number;
  readonly maxDurationMs: number;
}

/** An event source mapping's state and counters (the runtime's `MappingStats`). */
export interface DashboardMappingStats {
  readonly id: string;
  readonly functionName: string;
  readonly queueUrl: string;
  readonly state: string;
  readonly maximumConcurrency: number;
  readonly inFlightBatches: number;
  readonly maxInFlightBatches: number;
  readonly batches: number;
  readonly receivedMessages: number;
  readonly deletedMessages: number;
  readonly failedMessages: number;
  readonly filteredMessages: number;
  readonly lastError?: string;
}

/** A stored log event (the runtime's `LogEvent`). */
export interface DashboardLogEvent {
  readonly id: number;
  readonly group: string;
  readonly stream: string;
  readonly timestamp: number;
  readonly message: string;
}

/** What the dashboard reads of a runtime: `Runtime` from `src/runtime/index.ts` fits as it is. */
export interface DashboardRuntime {
  readonly functions: ReadonlyArray<{ readonly name: string; readonly logGroup: string; readonly arn?: string; readonly role?: string; readonly timeoutSeconds?: number; readonly memorySizeMb?: number }>;
  stats(): { readonly functions: readonly DashboardFunctionStats[]; readonly mappings: readonly DashboardMappingStats[] };
  /** Called after every invocation; returns the unsubscribe function. */
  onInvocation(
    listener: (record: {
      readonly functionName: string;
      readonly outcome: { readonly status: string; readonly durationMs?: number };
      readonly batch?: { readonly functionConcurrency: number };
    }) => void,
  ): () => void;
  readonly logStore: {
    query(query: {
      readonly group?: string;
      readonly stream?: string;
      readonly sinceMs?: number;
      readonly filter?: string;
      readonly afterId?: number;
      readonly limit?: number;
    }): DashboardLogEvent[];
    streams(group: string): ReadonlyArray<{ readonly stream: string; readonly firstEventAt: number; readonly lastEventAt: number; readonly events: number }>;
  };
}

export const FUNCTION_HISTORY_COLUMNS = ['invocations', 'errors', 'throttles', 'avgDurationMs', 'p99DurationMs', 'concurrency', 'instances'] as const;
export type FunctionHistory = Columns<(typeof FUNCTION_HISTORY_COLUMNS)[number]>;

/** Durations kept per function for the p99 of the summary. */
const RECENT_DURATIONS = 1_000;
/** Log lines a request gets when not asked, and at most. */
export const LOG_LINES_DEFAULT = 200;
export const LOG_LINES_MAX = 2_000;
/** Streams listed per function, newest first. */
const STREAMS_LISTED = 50;

/** One function as the dashboard lists it. */
export interface FunctionSummary extends DashboardFunctionStats {
  readonly logGroup: string;
  readonly arn?: string;
  readonly role?: string;
  readonly timeoutSeconds?: number;
  readonly memorySizeMb?: number;
  /** Over every invocation. */
  readonly avgDurationMs: number;
  /** Over the last 1,000 invocations. */
  readonly p99DurationMs: number;
}

interface FunctionTrack {
  readonly ring: SeriesRing<(typeof FUNCTION_HISTORY_COLUMNS)[number]>;
  /** Durations of this interval's invocations. */
  interval: number[];
  /** Highest concurrency seen this interval. */
  intervalConcurrency: number;
  readonly recent: number[];
  recentAt: number;
  last: { invocations: number; errors: number; throttles: number } | undefined;
}

/** The `q`-quantile of `values` (nearest rank); 0 when empty. Sorts a copy. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * Samples an attached runtime once a second (invocations, errors, throttles per second, duration average and p99,
 * concurrency, instances) and answers `/_admin/functions*` and `/_admin/logs`.
 */
export class RuntimeMonitor {
  readonly #runtime: DashboardRuntime;
  readonly #tracks = new Map<string, FunctionTrack>();
  readonly #capacity: number;
  readonly #unsubscribe: () => void;
  #lastSampleAt: number | undefined;

  constructor(runtime: DashboardRuntime, historySamples: number) {
    this.#runtime = runtime;
    this.#capacity = historySamples;
    this.#unsubscribe = runtime.onInvocation((record) => {
      const track = this.#track(record.functionName);
      const duration = record.outcome.durationMs;
      if (duration !== undefined) {
        track.interval.push(duration);
        if (track.recent.length < RECENT_DURATIONS) track.recent.push(duration);
        else track.recent[track.recentAt] = duration;
        track.recentAt = (track.recentAt + 1) % RECENT_DURATIONS;
      }
      if (record.batch !== undefined) track.intervalConcurrency = Math.max(track.intervalConcurrency, record.batch.functionConcurrency);
    });
  }

  /** Stops listening to the runtime. */
  detach(): void {
    this.#unsubscribe();
  }

  /** Takes one sample of every function. Never throws for a stopped runtime (it keeps its last counters). */
  sample(now = Date.now()): void {
    const elapsedSeconds = this.#lastSampleAt === undefined ? 0 : (now - this.#lastSampleAt) / 1000;
    this.#lastSampleAt = now;
    for (const stats of this.#runtime.stats().functions) {
      const track = this.#track(stats.name);
      const last = track.last;
      const perSecond = (key: 'invocations' | 'errors' | 'throttles') =>
        last === undefined || elapsedSeconds <= 0 ? 0 : round1((stats[key] - last[key]) / elapsedSeconds);
      const durations = track.interval;
      track.ring.push(now, {
        invocations: perSecond('invocations'),
        errors: perSecond('errors'),
        throttles: perSecond('throttles'),
        avgDurationMs: durations.length === 0 ? 0 : round1(durations.reduce((sum, d) => sum + d, 0) / durations.length),
        p99DurationMs: round1(quantile(durations, 0.99)),
        concurrency: Math.max(stats.concurrentExecutions, track.intervalConcurrency),
        instances: stats.instances,
      });
      track.interval = [];
      track.intervalConcurrency = 0;
      track.last = { invocations: stats.invocations, errors: stats.errors, throttles: stats.throttles };
    }
  }

  /** Every function with its counters, and every event source mapping. */
  overview(): { functions: FunctionSummary[]; mappings: DashboardMappingStats[] } {
    const stats = this.#runtime.stats();
    const byName = new Map(stats.functions.map((s) => [s.name, s]));
    const functions = this.#runtime.functions.map((fn): FunctionSummary => {
      const s = byName.get(fn.name) ?? emptyStats(fn.name);
      const summary: FunctionSummary = {
        ...s,
        logGroup: fn.logGroup,
        avgDurationMs: s.invocations === 0 ? 0 : round1(s.totalDurationMs / s.invocations),
        p99DurationMs: round1(quantile(this.#tracks.get(fn.name)?.recent ?? [], 0.99)),
      };
      return {
        ...summary,
        ...(fn.arn === undefined ? {} : { arn: fn.arn }),
        ...(fn.role === undefined ? {} : { role: fn.role }),
        ...(fn.timeoutSeconds === undefined ? {} : { timeoutSeconds: fn.timeoutSeconds }),
        ...(fn.memorySizeMb === undefined ? {} : { memorySizeMb: fn.memorySizeMb }),
      };
    });
    return { functions, mappings: [...stats.mappings] };
  }

  /** @throws AdminHttpError 404 for an unknown function. */
  history(name: string, afterMs?: number): FunctionHistory {
    this.#function(name);
    const track = this.#tracks.get(name);
    if (track !== undefined) return track.ring.columns(afterMs);
    return new SeriesRing(FUNCTION_HISTORY_COLUMNS, 1).columns();
  }

  /** The function's log streams, newest first. @throws AdminHttpError 404 for an unknown function. */
  streams(name: string): Array<{ stream: string; firstEventAt: number; lastEventAt: number; events: number }> {
    const fn = this.#function(name);
    return [...this.#runtime.logStore.streams(fn.logGroup)]
      .sort((a, b) => b.lastEventAt - a.lastEventAt)
      .slice(0, STREAMS_LISTED)
      .map(({ stream, firstEventAt, lastEventAt, events }) => ({ stream, firstEventAt, lastEventAt, events }));
  }

  /**
   * Log events of a function (or of every function), oldest first. With `afterId`: the events after it, at most
   * `limit` (`hasGap` when more arrived, and then the newest ones); without: about the newest `limit` events.
   * @throws AdminHttpError 404 for an unknown function.
   */
  logs(query: { functionName?: string; stream?: string; filter?: string; afterId?: number; limit: number }): { events: DashboardLogEvent[]; lastId: number | undefined; hasGap: boolean } {
    const group = query.functionName === undefined ? undefined : this.#function(query.functionName).logGroup;
    const base = {
      ...(group === undefined ? {} : { group }),
      ...(query.stream === undefined ? {} : { stream: query.stream }),
      ...(query.filter === undefined ? {} : { filter: query.filter }),
    };
    const store = this.#runtime.logStore;
    let events: DashboardLogEvent[];
    let hasGap = false;
    if (query.afterId !== undefined) {
      events = store.query({ ...base, afterId: query.afterId, limit: query.limit + 1 });
      if (events.length > query.limit) {
        hasGap = true;
        events = this.#newest(base, query.limit, query.afterId);
      }
    } else {
      events = this.#newest(base, query.limit, undefined);
    }
    const lastId = events.at(-1)?.id ?? query.afterId;
    return { events: events.map(({ id, group: g, stream, timestamp, message }) => ({ id, group: g, stream, timestamp, message })), lastId, hasGap };
  }

  /**
   * About the newest `limit` events: the store reads oldest first, so widen a time window from one second (×4 each
   * step) until it would hold more than `limit`, and keep the last window that did not. Each step reads at most
   * `limit + 1` rows.
   */
  #newest(base: { group?: string; stream?: string; filter?: string }, limit: number, afterId: number | undefined): DashboardLogEvent[] {
    const store = this.#runtime.logStore;
    const now = Date.now();
    const after = afterId === undefined ? {} : { afterId };
    let kept: DashboardLogEvent[] | undefined;
    for (let windowMs = 1_000; ; windowMs *= 4) {
      const isAll = windowMs > 30 * 24 * 3_600_000;
      const events = store.query({ ...base, ...after, ...(isAll ? {} : { sinceMs: now - windowMs }), limit: limit + 1 });
      if (events.length > limit) return kept ?? events.slice(-limit);
      kept = events;
      if (isAll) return kept;
    }
  }

  #function(name: string): DashboardRuntime['functions'][number] {
    const fn = this.#runtime.functions.find((candidate) => candidate.name === name);
    if (fn === undefined) throw AdminHttpError.notFound(`The function ${name}`);
    return fn;
  }

  #track(name: string): FunctionTrack {
    let track = this.#tracks.get(name);
    if (track === undefined) {
      track = { ring: new SeriesRing(FUNCTION_HISTORY_COLUMNS, this.#capacity), interval: [], intervalConcurrency: 0, recent: [], recentAt: 0, last: undefined };
      this.#tracks.set(name, track);
    }
    return track;
  }
}

function emptyStats(name: string): DashboardFunctionStats {
  return { name, invocations: 0, errors: 0, timeouts: 0, throttles: 0, coldStarts: 0, concurrentExecutions: 0, maxConcurrentExecutions: 0, instances: 0, totalDurationMs: 0, maxDurationMs: 0 };
}

/**
 * Answers the runtime routes, all GET (`monitor` undefined: no runtime attached):
 * - `/_admin/functions`: `{ isAttached, functions: FunctionSummary[], mappings }`
 * - `/_admin/functions/<name>/history?after=<ms>`: columns of {@link FUNCTION_HISTORY_COLUMNS}
 * - `/_admin/functions/<name>/streams`: `{ streams }`, newest first
 * - `/_admin/logs?function=<name>&stream=&filter=&afterId=&limit=`: `{ events, lastId, hasGap }`
 * @throws AdminHttpError for a bad path, method or parameter (the caller renders it).
 */
export function serveRuntimeRoute(req: IncomingMessage, res: ServerResponse, path: string, queryText: string, monitor: RuntimeMonitor | undefined): void {
  const segments = adminSegments(path);
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') throw AdminHttpError.methodNotAllowed(method, 'GET');
  const params = new URLSearchParams(queryText);
  if (segments[0] === 'functions' && segments.length === 1) {
    sendJson(res, 200, { now: Date.now(), isAttached: monitor !== undefined, ...(monitor?.overview() ?? { functions: [], mappings: [] }) });
    return;
  }
  if (monitor === undefined) throw AdminHttpError.unavailable('No local Lambda runtime is attached to this server (mqs server runs queues only; mqs start runs functions).');
  const name = segments[1];
  if (segments[0] === 'functions' && name !== undefined && segments.length === 3 && segments[2] === 'history') {
    sendJson(res, 200, monitor.history(name, numberParam(params, 'after')));
  } else if (segments[0] === 'functions' && name !== undefined && segments.length === 3 && segments[2] === 'streams') {
    sendJson(res, 200, { streams: monitor.streams(name) });
  } else if (segments[0] === 'logs' && segments.length === 1) {
    const text = (key: string) => {
      const value = params.get(key);
      return value === null || value === '' ? undefined : value;
    };
    const functionName = text('function');
    const stream = text('stream');
    const filter = text('filter');
    const afterId = numberParam(params, 'afterId');
    sendJson(
      res,
      200,
      monitor.logs({
        limit: intParam(params, 'limit', LOG_LINES_DEFAULT, 1, LOG_LINES_MAX),
        ...(functionName === undefined ? {} : { functionName }),
        ...(stream === undefined ? {} : { stream }),
        ...(filter === undefined ? {} : { filter }),
        ...(afterId === undefined ? {} : { afterId }),
      }),
    );
  } else {
    throw AdminHttpError.notFound(`The admin path ${path}`);
  }
}

/** Renders what {@link serveRuntimeRoute} throws; a closed log store (the runtime stopped) becomes a 503. */
export function sendRuntimeRouteError(res: ServerResponse, error: unknown): void {
  if (error instanceof AdminHttpError) return sendAdminError(res, error);
  if (error instanceof Error && /not open|closed/i.test(error.message)) {
    return sendAdminError(res, AdminHttpError.unavailable(`The runtime's log store is closed: ${error.message}`));
  }
  throw error;
}
