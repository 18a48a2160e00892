/** @module runtime/bindings: creates the plan's queues over the SQS API and resolves plan values to their URLs and ARNs. */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
  SQSServiceException,
} from '@aws-sdk/client-sqs';
import { RUNTIME_DEFAULTS } from './config.ts';
import type { PlanValue, PseudoParameter, QueueAttribute, QueuePlan, RuntimePlan } from './plan.ts';

/** A created (or found) queue. */
export interface QueueBinding {
  readonly logicalId: string;
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly isFifo: boolean;
}

/** Where values resolve: the queues by logical id, and the pseudo parameters. */
export interface Bindings {
  readonly queues: ReadonlyMap<string, QueueBinding>;
  readonly region: string;
  readonly accountId: string;
  /** `aws` unless told otherwise. */
  readonly partition?: string;
}

/** A plan value that points at something the bindings do not have. */
export class UnboundValueError extends Error {
  override readonly name = 'UnboundValueError';
}

const PSEUDO_DEFAULTS = { partition: 'aws', urlSuffix: 'amazonaws.com' } as const;

/**
 * Resolves a plan value to text.
 * @throws UnboundValueError when it names a queue that is not bound.
 */
export function resolveValue(value: PlanValue, bindings: Bindings): string {
  if (typeof value === 'string') return value;
  let text = '';
  for (const part of value) {
    if (typeof part === 'string') text += part;
    else if ('pseudo' in part) text += pseudo(part.pseudo, bindings);
    else text += queueAttribute(part.queue, part.attribute, bindings);
  }
  return text;
}

function pseudo(name: PseudoParameter, bindings: Bindings): string {
  switch (name) {
    case 'AWS::Region':
      return bindings.region;
    case 'AWS::AccountId':
      return bindings.accountId;
    case 'AWS::Partition':
      return bindings.partition ?? PSEUDO_DEFAULTS.partition;
    case 'AWS::URLSuffix':
      return PSEUDO_DEFAULTS.urlSuffix;
  }
}

function queueAttribute(logicalId: string, attribute: QueueAttribute, bindings: Bindings): string {
  const queue = bindings.queues.get(logicalId);
  if (queue === undefined) throw new UnboundValueError(`queue ${logicalId} is not created`);
  switch (attribute) {
    case 'Arn':
      return queue.arn;
    case 'QueueName':
      return queue.name;
    case 'QueueUrl':
      return queue.url;
  }
}

/** Queues in creation order: each after the queues it refers to (its DLQ). @throws Error on a reference cycle. */
function creationOrder(queues: readonly QueuePlan[]): QueuePlan[] {
  const byId = new Map(queues.map((queue) => [queue.logicalId, queue]));
  const ordered: QueuePlan[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (queue: QueuePlan) => {
    if (state.get(queue.logicalId) === 'done') return;
    if (state.get(queue.logicalId) === 'visiting') throw new Error(`queues refer to each other in a cycle through ${queue.logicalId}`);
    state.set(queue.logicalId, 'visiting');
    for (const id of queue.dependsOn) {
      const dependency = byId.get(id);
      if (dependency !== undefined) visit(dependency);
    }
    state.set(queue.logicalId, 'done');
    ordered.push(queue);
  };
  for (const queue of queues) visit(queue);
  return ordered;
}

const isNameTaken = (error: unknown) =>
  error instanceof SQSServiceException && (error.name === 'QueueNameExists' || error.name === 'QueueAlreadyExists');

/**
 * Creates the plan's queues (DLQs first), so their URLs and ARNs can be bound. Idempotent: a queue that exists with
 * the same attributes is reused; one that exists with other attributes (the template changed) gets them with
 * SetQueueAttributes (FifoQueue cannot change: SQS then rejects it). Messages already in the queues are kept, which is
 * how a restart resumes. `where` gives the region and account for pseudo parameters in attribute values (queue ARNs
 * themselves come from SQS).
 * @throws the SDK's error when a queue cannot be created or updated (e.g. InvalidAttributeValue from a bad template).
 */
export async function createQueues(
  plan: RuntimePlan,
  sqs: SQSClient,
  where: { region: string; accountId: string } = { region: RUNTIME_DEFAULTS.region, accountId: RUNTIME_DEFAULTS.accountId },
): Promise<Bindings> {
  const queues = new Map<string, QueueBinding>();
  const bindings: Bindings = { queues, region: where.region, accountId: where.accountId };
  for (const queue of creationOrder(plan.queues)) {
    const attributes = Object.fromEntries(Object.entries(queue.attributes).map(([name, value]) => [name, resolveValue(value, bindings)]));
    let url: string | undefined;
    try {
      ({ QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: queue.name, Attributes: attributes, tags: { ...queue.tags } })));
    } catch (error) {
      if (!isNameTaken(error)) throw error;
      ({ QueueUrl: url } = await sqs.send(new GetQueueUrlCommand({ QueueName: queue.name })));
      const { FifoQueue: _immutable, ...changeable } = attributes;
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: changeable }));
    }
    if (url === undefined) throw new Error(`CreateQueue ${queue.name} returned no QueueUrl`);
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    const arn = Attributes?.['QueueArn'];
    if (arn === undefined) throw new Error(`GetQueueAttributes ${queue.name} returned no QueueArn`);
    queues.set(queue.logicalId, { logicalId: queue.logicalId, name: queue.name, url, arn, isFifo: queue.isFifo });
  }
  return bindings;
}

/** The queue an ARN names: a bound one, else looked up with GetQueueUrl (a queue made outside the template). */
export async function queueOfArn(arn: string, bindings: Bindings, sqs: SQSClient): Promise<QueueBinding> {
  for (const queue of bindings.queues.values()) if (queue.arn === arn) return queue;
  // arn:aws:sqs:<region>:<account>:<name>
  const [, , service, , account, name] = arn.split(':');
  if (service !== 'sqs' || account === undefined || name === undefined) throw new UnboundValueError(`${arn} is not an SQS queue ARN`);
  const { QueueUrl: url } = await sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }));
  if (url === undefined) throw new UnboundValueError(`no queue for ${arn}`);
  return { logicalId: name, name, url, arn, isFifo: name.endsWith('.fifo') };
}
