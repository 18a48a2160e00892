/** @module test/helpers/long-poll: observe that a long poll is parked in the server, and settle one by moving the clock. */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { ManualClock } from '../../src/engine/clock.ts';

/** The engine method a long-polling ReceiveMessage parks on (engine-api.md). */
interface WaitingEngine {
  waitForMessages(...args: never[]): Promise<void>;
}

/** Counts the long polls the server has parked, so a test sends only once the receive is waiting. */
export interface LongPollWatch {
  /** Resolves once `waitForMessages` has been entered `count` times in total, or after a grace period. */
  parked(count: number): Promise<void>;
  readonly count: number;
}

/** How long `parked` waits for the spy before going on anyway (only the proof gets weaker, never the verdict). */
const PARK_GRACE_MS = 1_000;

/**
 * Wraps `engine.waitForMessages` with a spy (a spy, not a mock: it calls through). If the server bound the
 * method before we wrapped it, the spy never fires and `parked` falls back to a grace period.
 */
export function watchLongPolls(engine: unknown): LongPollWatch {
  const target = engine as WaitingEngine;
  const original = target.waitForMessages;
  let count = 0;
  let listeners: Array<() => void> = [];
  target.waitForMessages = function (this: unknown, ...args: never[]) {
    count += 1;
    const current = listeners;
    listeners = [];
    for (const listener of current) listener();
    return original.apply(this, args);
  };
  return {
    get count() {
      return count;
    },
    async parked(wanted: number) {
      const graceEndsAt = Date.now() + PARK_GRACE_MS;
      while (count < wanted && Date.now() < graceEndsAt) {
        await new Promise<void>((resolve) => {
          listeners.push(resolve);
          setTimeout(resolve, 20).unref();
        });
      }
      // Let the server finish the synchronous part of the receive (it is parked now).
      await yieldToLoop();
    },
  };
}

/** Whether `promise` is still pending after the event loop has had a few turns. */
export async function isPending(promise: Promise<unknown>): Promise<boolean> {
  let isSettled = false;
  promise.then(
    () => (isSettled = true),
    () => (isSettled = true),
  );
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return !isSettled;
}

/**
 * Advances `clock` by `stepMs` at a time until `promise` settles (at most `maxSteps` steps), giving the server
 * a few event-loop turns between steps. Returns the result. Throws whatever `promise` rejects with, or when it
 * is still pending after the last step.
 */
export async function advanceUntilSettled<T>(
  clock: ManualClock,
  promise: Promise<T>,
  stepMs = 1_000,
  maxSteps = 60,
): Promise<T> {
  let isSettled = false;
  const tracked = promise.finally(() => (isSettled = true));
  for (let step = 0; step < maxSteps && !isSettled; step++) {
    clock.advance(stepMs);
    for (let i = 0; i < 3 && !isSettled; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!isSettled) throw new Error(`still pending after advancing the clock ${maxSteps} x ${stepMs} ms`);
  return tracked;
}
