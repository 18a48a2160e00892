/** @module protocol/series-ring: a fixed-size ring of timed samples with named columns, read back column by column (as charts want them). */

/** Columnar samples, oldest first: `t` holds the sample times (ms since the epoch), each other key one value per time. */
export type Columns<K extends string> = { t: number[] } & Record<K, number[]>;

/**
 * Keeps the last `capacity` samples. Columns are plain arrays that grow up to the capacity and are then overwritten in
 * place, so a short-lived queue costs a few samples, not the whole window, and nothing is allocated per sample after
 * that.
 */
export class SeriesRing<K extends string> {
  readonly #names: readonly K[];
  readonly #capacity: number;
  readonly #times: number[] = [];
  readonly #values: number[][];
  /** Index of the oldest sample once the ring is full. */
  #start = 0;

  /** @throws RangeError when `capacity` is not a positive integer. */
  constructor(names: readonly K[], capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.#names = names;
    this.#capacity = capacity;
    this.#values = names.map(() => []);
  }

  /** Samples held now. */
  get size(): number {
    return this.#times.length;
  }

  /** Time of the newest sample, or undefined when empty. */
  get lastTime(): number | undefined {
    if (this.#times.length === 0) return undefined;
    const newest = (this.#start + this.#times.length - 1) % this.#times.length;
    return this.#times[newest];
  }

  /** Appends one sample; a missing column value counts as 0. Drops the oldest sample when full. */
  push(timeMs: number, sample: Readonly<Record<K, number>>): void {
    if (this.#times.length < this.#capacity) {
      this.#times.push(timeMs);
      for (let c = 0; c < this.#names.length; c++) this.#values[c]!.push(sample[this.#names[c]!] ?? 0);
      return;
    }
    const at = this.#start;
    this.#times[at] = timeMs;
    for (let c = 0; c < this.#names.length; c++) this.#values[c]![at] = sample[this.#names[c]!] ?? 0;
    this.#start = (at + 1) % this.#capacity;
  }

  /** The samples taken after `afterMs` (all when absent), oldest first, as one array per column. */
  columns(afterMs = Number.NEGATIVE_INFINITY): Columns<K> {
    const n = this.#times.length;
    const out = { t: [] as number[] } as Columns<K>;
    for (const name of this.#names) (out as Record<string, number[]>)[name] = [];
    for (let i = 0; i < n; i++) {
      const at = (this.#start + i) % n;
      const time = this.#times[at]!;
      if (time <= afterMs) continue;
      out.t.push(time);
      for (let c = 0; c < this.#names.length; c++) (out as Record<string, number[]>)[this.#names[c]!]!.push(this.#values[c]![at]!);
    }
    return out;
  }
}
