/** @module protocol/batch-failures: the `Failed` list of the batch operations. */
import type { BatchResultErrorEntry } from '@aws-sdk/client-sqs';
import type { BatchFailure } from '../engine/index.ts';

/** Engine batch failures → `BatchResultErrorEntry[]` (legacy short codes, e.g. `InvalidParameterValue`). */
export function toWireFailures(failures: readonly BatchFailure[]): BatchResultErrorEntry[] {
  const out = new Array<BatchResultErrorEntry>(failures.length);
  for (let i = 0; i < failures.length; i++) {
    const failure = failures[i]!;
    out[i] = { Id: failure.id, SenderFault: failure.senderFault, Code: failure.code, Message: failure.message };
  }
  return out;
}

/** Ids of a batch's successful entries → `[{ Id }]`. */
export function toWireIds(successful: ReadonlyArray<{ id: string }>): Array<{ Id: string }> {
  const out = new Array<{ Id: string }>(successful.length);
  for (let i = 0; i < successful.length; i++) out[i] = { Id: successful[i]!.id };
  return out;
}
