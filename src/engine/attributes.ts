/** @module engine/attributes: queue attributes between their wire form (string map) and typed settings. */
import { EngineError, Errors } from './errors.ts';
import {
  MAX_DELAY_SECONDS,
  MAX_KMS_REUSE_SECONDS,
  MAX_MESSAGE_SIZE_LIMIT,
  MAX_RECEIVE_COUNT,
  MAX_REDRIVE_ALLOW_SOURCES,
  MAX_RETENTION_SECONDS,
  MAX_VISIBILITY_SECONDS,
  MAX_WAIT_SECONDS,
  MIN_KMS_REUSE_SECONDS,
  MIN_MESSAGE_SIZE_LIMIT,
  MIN_RETENTION_SECONDS,
  QUEUE_DEFAULTS,
} from './limits.ts';
import type { QueueSettings, RedrivePolicy } from './types.ts';

/** Attributes a caller may set. */
export const SETTABLE_ATTRIBUTES = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
] as const;

/** Attributes GetQueueAttributes reports but nobody sets. */
export const READ_ONLY_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
] as const;

const FIFO_ONLY = new Set(['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);
const SETTABLE = new Set<string>(SETTABLE_ATTRIBUTES);
const READABLE = new Set<string>([...SETTABLE_ATTRIBUTES, ...READ_ONLY_ATTRIBUTES, 'All']);

/** Settings of a fresh queue before any attribute is applied. */
export function defaultSettings(isFifo: boolean): QueueSettings {
  return {
    delaySeconds: QUEUE_DEFAULTS.delaySeconds,
    maximumMessageSize: QUEUE_DEFAULTS.maximumMessageSize,
    messageRetentionPeriod: QUEUE_DEFAULTS.messageRetentionPeriod,
    receiveMessageWaitTimeSeconds: QUEUE_DEFAULTS.receiveMessageWaitTimeSeconds,
    visibilityTimeout: QUEUE_DEFAULTS.visibilityTimeout,
    kmsDataKeyReusePeriodSeconds: QUEUE_DEFAULTS.kmsDataKeyReusePeriodSeconds,
    sqsManagedSseEnabled: QUEUE_DEFAULTS.sqsManagedSseEnabled,
    isFifo,
    contentBasedDeduplication: QUEUE_DEFAULTS.contentBasedDeduplication,
    deduplicationScope: QUEUE_DEFAULTS.deduplicationScope,
    fifoThroughputLimit: QUEUE_DEFAULTS.fifoThroughputLimit,
  };
}

function invalidValue(name: string): EngineError {
  return new EngineError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
}

function integerIn(name: string, text: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(text.trim())) throw invalidValue(name);
  const value = Number(text.trim());
  if (value < min || value > max) throw invalidValue(name);
  return value;
}

function booleanOf(name: string, text: string): boolean {
  const lower = text.trim().toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw invalidValue(name);
}

function parseJsonObject(name: string, text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw Errors.invalidParameter(name, text, `Invalid JSON in ${name}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw Errors.invalidParameter(name, text, `${name} must be a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}

/** Parses and range-checks a RedrivePolicy JSON text; target existence is the engine's check. */
export function parseRedrivePolicy(text: string): RedrivePolicy {
  const json = parseJsonObject('RedrivePolicy', text);
  const target = json['deadLetterTargetArn'];
  const rawCount = json['maxReceiveCount'];
  if (typeof target !== 'string' || target.length === 0) {
    throw Errors.invalidParameter(
      'RedrivePolicy',
      text,
      'Redrive policy does not contain mandatory attribute: deadLetterTargetArn.',
    );
  }
  if (rawCount === undefined) {
    throw Errors.invalidParameter('RedrivePolicy', text, 'Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  }
  const count = typeof rawCount === 'number' ? rawCount : typeof rawCount === 'string' && /^\d+$/.test(rawCount) ? Number(rawCount) : NaN;
  if (!Number.isInteger(count) || count < 1 || count > MAX_RECEIVE_COUNT) {
    throw Errors.invalidParameter(
      'RedrivePolicy',
      text,
      `Invalid value for maxReceiveCount: ${String(rawCount)}, valid values are from 1 to ${MAX_RECEIVE_COUNT} both inclusive.`,
    );
  }
  return { deadLetterTargetArn: target, maxReceiveCount: count };
}

export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueueArns: string[];
}

/** Parses a RedriveAllowPolicy JSON text. */
export function parseRedriveAllowPolicy(text: string): RedriveAllowPolicy {
  const json = parseJsonObject('RedriveAllowPolicy', text);
  const permission = json['redrivePermission'];
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    throw Errors.invalidParameter('RedriveAllowPolicy', text, 'Invalid value for redrivePermission.');
  }
  const sources = json['sourceQueueArns'];
  if (permission === 'byQueue') {
    if (!Array.isArray(sources) || sources.length === 0 || sources.some((s) => typeof s !== 'string')) {
      throw Errors.invalidParameter('RedriveAllowPolicy', text, 'sourceQueueArns must be a non-empty list when redrivePermission is byQueue.');
    }
    if (sources.length > MAX_REDRIVE_ALLOW_SOURCES) {
      throw Errors.invalidParameter('RedriveAllowPolicy', text, `sourceQueueArns can contain at most ${MAX_REDRIVE_ALLOW_SOURCES} ARNs.`);
    }
    return { redrivePermission: permission, sourceQueueArns: sources as string[] };
  }
  if (sources !== undefined) {
    throw Errors.invalidParameter('RedriveAllowPolicy', text, 'sourceQueueArns can be specified only when redrivePermission is byQueue.');
  }
  return { redrivePermission: permission, sourceQueueArns: [] };
}

/**
 * Applies wire attributes to `base`, returning new settings. Throws InvalidAttributeName for unknown,
 * read-only or wrong-queue-type names, InvalidAttributeValue / InvalidParameterValue for bad values.
 * `isCreate` allows FifoQueue (it is create-only).
 */
export function applyAttributes(base: QueueSettings, attributes: Record<string, string>, isCreate: boolean): QueueSettings {
  const next: QueueSettings = { ...base };
  const names = Object.keys(attributes);
  for (const name of names) {
    if (!SETTABLE.has(name)) throw Errors.invalidAttributeName(name);
    if (FIFO_ONLY.has(name) && !base.isFifo) {
      if (name === 'DeduplicationScope' || name === 'FifoThroughputLimit') {
        throw new EngineError('InvalidAttributeName', `You can specify the ${name} only when FifoQueue is set to true.`);
      }
      throw Errors.invalidAttributeName(name);
    }
  }
  for (const name of names) {
    const text = attributes[name]!;
    switch (name) {
      case 'DelaySeconds':
        next.delaySeconds = integerIn(name, text, 0, MAX_DELAY_SECONDS);
        break;
      case 'MaximumMessageSize':
        next.maximumMessageSize = integerIn(name, text, MIN_MESSAGE_SIZE_LIMIT, MAX_MESSAGE_SIZE_LIMIT);
        break;
      case 'MessageRetentionPeriod':
        next.messageRetentionPeriod = integerIn(name, text, MIN_RETENTION_SECONDS, MAX_RETENTION_SECONDS);
        break;
      case 'ReceiveMessageWaitTimeSeconds':
        next.receiveMessageWaitTimeSeconds = integerIn(name, text, 0, MAX_WAIT_SECONDS);
        break;
      case 'VisibilityTimeout':
        next.visibilityTimeout = integerIn(name, text, 0, MAX_VISIBILITY_SECONDS);
        break;
      case 'Policy':
        if (text === '') delete next.policy;
        else {
          parseJsonObject('Policy', text);
          next.policy = text;
        }
        break;
      case 'RedrivePolicy':
        if (text === '') delete next.redrivePolicy;
        else next.redrivePolicy = parseRedrivePolicy(text);
        break;
      case 'RedriveAllowPolicy':
        if (text === '') delete next.redriveAllowPolicy;
        else {
          parseRedriveAllowPolicy(text);
          next.redriveAllowPolicy = text;
        }
        break;
      case 'KmsMasterKeyId':
        if (text === '') delete next.kmsMasterKeyId;
        else {
          next.kmsMasterKeyId = text;
          next.sqsManagedSseEnabled = false;
        }
        break;
      case 'KmsDataKeyReusePeriodSeconds':
        next.kmsDataKeyReusePeriodSeconds = integerIn(name, text, MIN_KMS_REUSE_SECONDS, MAX_KMS_REUSE_SECONDS);
        break;
      case 'SqsManagedSseEnabled':
        next.sqsManagedSseEnabled = booleanOf(name, text);
        break;
      case 'FifoQueue':
        if (!booleanOf(name, text)) {
          throw new EngineError(
            'InvalidAttributeValue',
            'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
          );
        }
        if (!isCreate && !base.isFifo) throw Errors.invalidAttributeName(name);
        break;
      case 'ContentBasedDeduplication':
        next.contentBasedDeduplication = booleanOf(name, text);
        break;
      case 'DeduplicationScope':
        if (text !== 'queue' && text !== 'messageGroup') throw invalidValue(name);
        next.deduplicationScope = text;
        break;
      case 'FifoThroughputLimit':
        if (text !== 'perQueue' && text !== 'perMessageGroupId') throw invalidValue(name);
        next.fifoThroughputLimit = text;
        break;
    }
  }
  const setsKms = attributes['KmsMasterKeyId'] !== undefined && attributes['KmsMasterKeyId'] !== '';
  if (setsKms && attributes['SqsManagedSseEnabled']?.trim().toLowerCase() === 'true') {
    throw new EngineError(
      'InvalidAttributeName',
      'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
    );
  }
  if (next.sqsManagedSseEnabled && next.kmsMasterKeyId !== undefined && attributes['SqsManagedSseEnabled'] !== undefined) {
    // Turning SQS SSE on replaces KMS.
    delete next.kmsMasterKeyId;
  }
  if (next.isFifo && next.fifoThroughputLimit === 'perMessageGroupId' && next.deduplicationScope !== 'messageGroup') {
    throw new EngineError(
      'InvalidAttributeValue',
      'Invalid value for the parameter FifoThroughputLimit. Reason: perMessageGroupId requires DeduplicationScope messageGroup.',
    );
  }
  return next;
}

/** Throws InvalidAttributeName for a name GetQueueAttributes does not know. */
export function checkReadableAttributeNames(names: readonly string[]): void {
  for (const name of names) if (!READABLE.has(name)) throw Errors.invalidAttributeName(name);
}

/** The settable attributes in wire form, as `All` shows them. */
export function settingsToAttributes(settings: QueueSettings): Record<string, string> {
  const out: Record<string, string> = {
    DelaySeconds: String(settings.delaySeconds),
    MaximumMessageSize: String(settings.maximumMessageSize),
    MessageRetentionPeriod: String(settings.messageRetentionPeriod),
    ReceiveMessageWaitTimeSeconds: String(settings.receiveMessageWaitTimeSeconds),
    VisibilityTimeout: String(settings.visibilityTimeout),
    SqsManagedSseEnabled: String(settings.sqsManagedSseEnabled),
  };
  if (settings.policy !== undefined) out['Policy'] = settings.policy;
  if (settings.redrivePolicy) out['RedrivePolicy'] = JSON.stringify(settings.redrivePolicy);
  if (settings.redriveAllowPolicy !== undefined) out['RedriveAllowPolicy'] = settings.redriveAllowPolicy;
  if (settings.kmsMasterKeyId !== undefined) {
    out['KmsMasterKeyId'] = settings.kmsMasterKeyId;
    out['KmsDataKeyReusePeriodSeconds'] = String(settings.kmsDataKeyReusePeriodSeconds);
  }
  if (settings.isFifo) {
    out['FifoQueue'] = 'true';
    out['ContentBasedDeduplication'] = String(settings.contentBasedDeduplication);
    out['DeduplicationScope'] = settings.deduplicationScope;
    out['FifoThroughputLimit'] = settings.fifoThroughputLimit;
  }
  return out;
}

/** First settable attribute whose value differs, for CreateQueue's QueueNameExists message. */
export function firstDifference(a: QueueSettings, b: QueueSettings): string | undefined {
  const left = settingsToAttributes(a);
  const right = settingsToAttributes(b);
  for (const name of SETTABLE_ATTRIBUTES) {
    if (left[name] !== right[name]) return name;
  }
  return undefined;
}
