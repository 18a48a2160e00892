/** @module cli/verify/plan-redrive: the dead-letter queue and maxReceiveCount the template declares, without running anything. */
import type { RuntimePlan } from '../../runtime/index.ts';

/** A source queue's RedrivePolicy as the template states it. */
export interface PlannedRedrive {
  readonly queueName: string;
  readonly dlqName: string;
  readonly maxReceiveCount: number;
}

/**
 * The first queue with a RedrivePolicy. The policy's target ARN is symbolic until queues exist, so its intrinsic
 * parts are read for the DLQ's logical id and replaced by a placeholder to parse the JSON. Undefined when none.
 */
export function plannedRedrive(plan: RuntimePlan): PlannedRedrive | undefined {
  for (const queue of plan.queues) {
    const policy = queue.attributes['RedrivePolicy'];
    if (policy === undefined) continue;
    const parts = typeof policy === 'string' ? [policy] : policy;
    let dlqId: string | undefined;
    const text = parts
      .map((part) => {
        if (typeof part === 'string') return part;
        if ('queue' in part) dlqId ??= part.queue;
        return 'x';
      })
      .join('');
    let parsed: { maxReceiveCount?: unknown; deadLetterTargetArn?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      continue;
    }
    const maxReceiveCount = Number(parsed.maxReceiveCount);
    const dlq =
      plan.queues.find((candidate) => candidate.logicalId === dlqId) ??
      // A literal ARN: its last part is the queue name.
      plan.queues.find((candidate) => typeof parsed.deadLetterTargetArn === 'string' && parsed.deadLetterTargetArn.endsWith(`:${candidate.name}`));
    if (dlq === undefined || !Number.isInteger(maxReceiveCount)) continue;
    return { queueName: queue.name, dlqName: dlq.name, maxReceiveCount };
  }
  return undefined;
}
