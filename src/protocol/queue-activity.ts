/**
 * @module protocol/queue-activity: per-queue send / receive / delete counters and a once-a-second history of depth and
 * rates, for the dashboard (what CloudWatch's SQS metrics show).
 */
import type { Engine } from '../engine/index.ts';
import { type Columns, SeriesRing } from './series-ring.ts';

/** The columns of a queue's history: depth (messages) and rates (messages per second). */
export const QUEUE_HISTORY_COLUMNS = ['visible', 'inFlight', 'delayed', 'sent', 'received', 'deleted'] as const;
export type QueueHistoryColumn = (typeof QUEUE_HISTORY_COLUMNS)[number];
export type QueueHistory = Columns<QueueHistoryColumn>;

/** Defaults: one sample a second, ten minutes kept. */
export const QUEUE_ACTIVITY_DEFAULTS = { sampleIntervalMs: 1_000, historySamples: 600 } as const;

const COUNT_ATTRIBUTES = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;

/** Messages per second over the last sample interval. */
export interface QueueRates {
  sent: number;
  received: number;
  deleted: number;
}

interface Tally {
  sent: number;
  received: number;
  deleted: number;
}

interface Track {
  readonly ring: SeriesRing<QueueHistoryColumn>;
  /** Totals at the last sample. */
  last: Tally;
  rates: QueueRates;
}

export interface QueueActivityOptions {
  readonly sampleIntervalMs?: number;
  readonly historySamples?: number;
  /** Wall-clock time of a sample (charts show real time even when the engine runs on a test clock). */
  readonly now?: () => number;
}

const ZERO_RATES: QueueRates = Object.freeze({ sent: 0, received: 0, deleted: 0 });

/**
 * Counts what clients do to each queue and samples every queue's depth once a second.
 *
 * The counts are the engine's own per-queue totals (`engine.queueTotals`): messages accepted, handed out and deleted.
 * Moves (redrive, move tasks) are not counted, as CloudWatch does not count them as sends or receives either.
 */
export class QueueActivity {
  readonly #engine: Engine;
  readonly #intervalMs: number;
  readonly #capacity: number;
  readonly #now: () => number;
  readonly #tracks = new Map<string, Track>();
  #timer: NodeJS.Timeout | undefined;
  #lastSampleAt: number | undefined;

  /** @throws RangeError for a non-positive interval or history size. */
  constructor(engine: Engine, options: QueueActivityOptions = {}) {
    this.#engine = engine;
    this.#intervalMs = options.sampleIntervalMs ?? QUEUE_ACTIVITY_DEFAULTS.sampleIntervalMs;
    this.#capacity = options.historySamples ?? QUEUE_ACTIVITY_DEFAULTS.historySamples;
    this.#now = options.now ?? Date.now;
    if (!(this.#intervalMs > 0)) throw new RangeError(`sampleIntervalMs must be positive, got ${this.#intervalMs}`);
    if (!Number.isInteger(this.#capacity) || this.#capacity < 1) throw new RangeError(`historySamples must be a positive integer, got ${this.#capacity}`);
  }

  /** Starts sampling (a timer that does not keep the process alive). Idempotent. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.sample();
    this.#timer = setInterval(() => this.sample(), this.#intervalMs);
    this.#timer.unref();
  }

  /** Stops sampling. Idempotent. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Takes one sample of every queue now (the timer calls it; tests may too). Never throws. */
  sample(): void {
    const now = this.#now();
    const elapsedSeconds = this.#lastSampleAt === undefined ? 0 : (now - this.#lastSampleAt) / 1000;
    this.#lastSampleAt = now;
    const names = new Set(this.#engine.queueNames());
    for (const name of this.#tracks.keys()) if (!names.has(name)) this.#tracks.delete(name);
    for (const name of names) {
      let counts: Record<string, string>;
      try {
        counts = this.#engine.getQueueAttributes(name, COUNT_ATTRIBUTES);
      } catch {
        continue; // deleted meanwhile
      }
      const total = this.totals(name);
      let track = this.#tracks.get(name);
      if (track === undefined) {
        // Counting starts with the server, so whatever a queue seen for the first time has done happened since the
        // previous sample: a burst right after CreateQueue must show in the rates, not vanish into the baseline.
        track = { ring: new SeriesRing(QUEUE_HISTORY_COLUMNS, this.#capacity), last: { sent: 0, received: 0, deleted: 0 }, rates: ZERO_RATES };
        this.#tracks.set(name, track);
      }
      const rate = (key: keyof Tally) => (elapsedSeconds > 0 ? round2((total[key] - track.last[key]) / elapsedSeconds) : 0);
      track.rates = { sent: rate('sent'), received: rate('received'), deleted: rate('deleted') };
      track.last = { ...total };
      track.ring.push(now, {
        visible: Number(counts['ApproximateNumberOfMessages'] ?? 0),
        inFlight: Number(counts['ApproximateNumberOfMessagesNotVisible'] ?? 0),
        delayed: Number(counts['ApproximateNumberOfMessagesDelayed'] ?? 0),
        ...track.rates,
      });
    }
  }

  /** The queue's samples taken after `afterMs`, oldest first; empty columns for a queue not sampled yet. */
  history(name: string, afterMs?: number): QueueHistory {
    const track = this.#tracks.get(name);
    if (track !== undefined) return track.ring.columns(afterMs);
    const empty = { t: [] as number[] } as QueueHistory;
    for (const column of QUEUE_HISTORY_COLUMNS) empty[column] = [];
    return empty;
  }

  /** Messages per second over the last interval (zeros before the second sample). */
  rates(name: string): QueueRates {
    return this.#tracks.get(name)?.rates ?? ZERO_RATES;
  }

  /** Totals since the server started. */
  totals(name: string): Readonly<Tally> {
    try {
      return this.#engine.queueTotals(name);
    } catch {
      return ZERO_RATES; // deleted meanwhile
    }
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
