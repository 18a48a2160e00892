/** @module cli/verify/read-run: a run's log lines out of the log store, and the latest run the producer logged. */
import type { LogQuery, LogStore } from '../../runtime/index.ts';
import { parseRunLogLine, PRODUCER_LOG_MESSAGES, type RunLogLine } from './run-log-line.ts';

/** The store query for every line of a run (all log groups: the producer's and every consumer's). */
export function runQuery(runId: string): LogQuery {
  // Powertools writes compact JSON, so the key and value appear exactly like this.
  return { filter: `"runId":${JSON.stringify(runId)}` };
}

/** The run's lines in log (insertion) order, parsed; lines verification does not read are skipped. */
export function* readRunLines(store: LogStore, runId: string, afterId?: number): Generator<RunLogLine & { readonly id: number }> {
  for (const event of store.iterate({ ...runQuery(runId), ...(afterId === undefined ? {} : { afterId }) })) {
    const line = parseRunLogLine(event.message, event.timestamp);
    if (line !== undefined && line.runId === runId) yield { ...line, id: event.id };
  }
}

/** The run ids of the producer's `producing` lines, each once, oldest first. */
export function producerRunIds(store: LogStore): string[] {
  const runIds = new Set<string>();
  for (const event of store.iterate({ filter: `"message":"${PRODUCER_LOG_MESSAGES.producing}"` })) {
    const line = parseRunLogLine(event.message, event.timestamp);
    if (line?.kind === 'producing') {
      // A run resumed later moves to the end: the latest is the one produced last.
      runIds.delete(line.runId);
      runIds.add(line.runId);
    }
  }
  return [...runIds];
}

/** The run id of the producer's most recent `producing` line, or undefined when the store has none. */
export function latestRunId(store: LogStore): string | undefined {
  return producerRunIds(store).at(-1);
}
