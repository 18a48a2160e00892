/** @module engine/clock: time as a port, so tests advance it instead of sleeping. */

/** A cancellable scheduled callback. */
export interface Timer {
  cancel(): void;
}

/** Where the engine reads the time and schedules its own wake-ups (visibility expiry, delays, retention). */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once at (or soon after) `atMs`. */
  schedule(atMs: number, fn: () => void): Timer;
}

/** Wall-clock time and real timers. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
  schedule(atMs: number, fn: () => void): Timer {
    // setTimeout caps at 2^31-1 ms; re-arm for longer waits.
    const MAX = 2_147_483_647;
    let handle: NodeJS.Timeout;
    const arm = () => {
      const delay = atMs - Date.now();
      if (delay > MAX) handle = setTimeout(arm, MAX);
      else handle = setTimeout(fn, Math.max(0, delay));
      handle.unref?.();
    };
    arm();
    return { cancel: () => clearTimeout(handle) };
  }
}

interface ManualTimer {
  atMs: number;
  order: number;
  fn: () => void;
  isCancelled: boolean;
}

/** A clock that moves only when a test calls `advance`; due timers run in time order. */
export class ManualClock implements Clock {
  private current: number;
  private timers: ManualTimer[] = [];
  private order = 0;

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
  }
  now(): number {
    return this.current;
  }
  schedule(atMs: number, fn: () => void): Timer {
    const timer: ManualTimer = { atMs, order: this.order++, fn, isCancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.isCancelled = true) };
  }
  /** Moves time forward by `ms`, running every timer that falls due on the way, at its own time. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.isCancelled);
      let next: ManualTimer | undefined;
      for (const t of this.timers) {
        if (t.atMs <= target && (!next || t.atMs < next.atMs || (t.atMs === next.atMs && t.order < next.order))) next = t;
      }
      if (!next) break;
      this.current = Math.max(this.current, next.atMs);
      next.isCancelled = true;
      next.fn();
    }
    this.current = target;
  }
}
