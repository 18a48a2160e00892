/** @module runtime/batch-result: what to delete after an invocation, per spec §F.4 (ReportBatchItemFailures). */

/** The decision for one batch. */
export type BatchDecision =
  /** Delete every message. */
  | { readonly kind: 'delete-all' }
  /** Delete all but these message ids (they come back after the visibility timeout). */
  | { readonly kind: 'partial'; readonly failedIds: ReadonlySet<string> }
  /** Delete nothing; `reason` says why (function error, timeout, or a malformed response). */
  | { readonly kind: 'fail-all'; readonly reason: string };

/** What an invocation produced, as far as the mapping cares. */
export interface InvocationResult {
  readonly isSuccess: boolean;
  /** The function's result as JSON text (absent or `null` when it returned nothing). */
  readonly payload?: string | undefined;
  /** Why it failed (errorType), when it did. */
  readonly errorType?: string | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Decides what the mapping deletes:
 * - function error, timeout or throttle → nothing, whatever the payload;
 * - ReportBatchItemFailures off → everything (the payload is ignored);
 * - empty / `null` payload, `{}`, `batchItemFailures` null or `[]` → everything;
 * - a list of ids of this batch → all but those;
 * - anything else (unparsable JSON, an item whose `itemIdentifier` is missing, `""`, null, not a string, or not an id
 *   of this batch; `batchItemFailures` not a list) → nothing: the whole batch failed.
 */
export function decideBatch(result: InvocationResult, batchIds: ReadonlySet<string>, isReportingBatchItemFailures: boolean): BatchDecision {
  if (!result.isSuccess) return { kind: 'fail-all', reason: `function error (${result.errorType ?? 'unknown'})` };
  if (!isReportingBatchItemFailures) return { kind: 'delete-all' };
  const text = result.payload;
  if (text === undefined || text === '' || text === 'null') return { kind: 'delete-all' };
  let response: unknown;
  try {
    response = JSON.parse(text);
  } catch {
    return { kind: 'fail-all', reason: 'the response is not valid JSON' };
  }
  if (response === null) return { kind: 'delete-all' };
  if (!isRecord(response)) return { kind: 'fail-all', reason: 'the response is not a JSON object' };
  const failures = response['batchItemFailures'];
  if (failures === undefined || failures === null) return { kind: 'delete-all' };
  if (!Array.isArray(failures)) return { kind: 'fail-all', reason: 'batchItemFailures is not a list' };
  const failedIds = new Set<string>();
  for (const item of failures) {
    const id = isRecord(item) ? item['itemIdentifier'] : undefined;
    if (typeof id !== 'string' || id === '') {
      return { kind: 'fail-all', reason: `batchItemFailures has an item without a valid itemIdentifier: ${JSON.stringify(item)}` };
    }
    if (!batchIds.has(id)) return { kind: 'fail-all', reason: `batchItemFailures names ${JSON.stringify(id)}, which is not in the batch` };
    failedIds.add(id);
  }
  return failedIds.size === 0 ? { kind: 'delete-all' } : { kind: 'partial', failedIds };
}
