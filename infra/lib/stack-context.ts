/** @module infra/lib/stack-context — turns CDK context (`cdk.json` or `-c key=value`) into QueueStack settings. */

import * as logs from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import type { QueueStackProps } from './queue-stack.ts';

/**
 * The context keys the app reads, with what they set. Pass them as `-c mqs:maxReceiveCount=5`
 * (after `--` when going through npm: `npm run deploy -- -c mqs:maxConcurrency=5`).
 */
export const CONTEXT_KEYS = {
  stackName: 'mqs:stackName',
  maxReceiveCount: 'mqs:maxReceiveCount',
  maxConcurrency: 'mqs:maxConcurrency',
  consumerTimeoutSeconds: 'mqs:consumerTimeoutSeconds',
  producerTimeoutSeconds: 'mqs:producerTimeoutSeconds',
  logRetentionDays: 'mqs:logRetentionDays',
  oldestMessageAgeAlarmSeconds: 'mqs:oldestMessageAgeAlarmSeconds',
  failureRate: 'mqs:failureRate',
  workMs: 'mqs:workMs',
  poisonMarker: 'mqs:poisonMarker',
  alarmTopicArn: 'mqs:alarmTopicArn',
} as const;

/** Stack name when `mqs:stackName` is not set. */
export const DEFAULT_STACK_NAME = 'mqs';

/** The stack name and props read from context. */
export interface StackContext {
  readonly stackName: string;
  readonly props: QueueStackProps;
}

/**
 * Reads the `mqs:*` context keys. Values from `-c` arrive as strings, values from cdk.json as JSON;
 * both are accepted. Unset keys are left out, so QueueStack's defaults apply.
 * @throws {Error} naming the key when a value is not a number, or the log retention is not one CloudWatch offers.
 */
export function readStackContext(node: Node): StackContext {
  const text = (key: string): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    return String(value);
  };
  const number = (key: string): number | undefined => {
    const raw = text(key);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new Error(`Context ${key}=${JSON.stringify(raw)} is not a number`);
    return value;
  };
  const stackName = text(CONTEXT_KEYS.stackName) ?? DEFAULT_STACK_NAME;
  if (!/^[A-Za-z][A-Za-z0-9-]{0,40}$/.test(stackName)) {
    throw new Error(`Context ${CONTEXT_KEYS.stackName}=${JSON.stringify(stackName)} must start with a letter and hold up to 41 letters, digits or hyphens`);
  }
  const retentionDays = number(CONTEXT_KEYS.logRetentionDays);
  if (retentionDays !== undefined && !(Object.values(logs.RetentionDays) as unknown[]).includes(retentionDays)) {
    throw new Error(`Context ${CONTEXT_KEYS.logRetentionDays}=${retentionDays} is not a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, …)`);
  }
  const entries: Array<[keyof QueueStackProps, unknown]> = [
    ['maxReceiveCount', number(CONTEXT_KEYS.maxReceiveCount)],
    ['maxConcurrency', number(CONTEXT_KEYS.maxConcurrency)],
    ['consumerTimeoutSeconds', number(CONTEXT_KEYS.consumerTimeoutSeconds)],
    ['producerTimeoutSeconds', number(CONTEXT_KEYS.producerTimeoutSeconds)],
    ['logRetention', retentionDays as logs.RetentionDays | undefined],
    ['oldestMessageAgeAlarmSeconds', number(CONTEXT_KEYS.oldestMessageAgeAlarmSeconds)],
    ['failureRate', number(CONTEXT_KEYS.failureRate)],
    ['workMs', number(CONTEXT_KEYS.workMs)],
    ['poisonMarker', text(CONTEXT_KEYS.poisonMarker)],
    ['alarmTopicArn', text(CONTEXT_KEYS.alarmTopicArn)],
  ];
  const props = Object.fromEntries(entries.filter(([, value]) => value !== undefined)) as QueueStackProps;
  return { stackName, props };
}
