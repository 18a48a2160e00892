/** @module persistence/dedup-prune: when a store may forget a deduplication record. */
import { DEDUP_WINDOW_MS } from '../engine/index.ts';

/**
 * The store never reads a clock, so it dates a prune by the records it is given: a record written now
 * expires at now + window, so `expiresAt - window` is the time of writing. Records that expired a full
 * window before that are certainly dead; dropping them keeps the dedup table about one window long.
 * The engine must still ignore expired records it finds in a snapshot.
 */
export function dedupPruneCutoff(recordedExpiresAt: number): number {
  return recordedExpiresAt - 2 * DEDUP_WINDOW_MS;
}
