/** @module infra/lib/build-app — assembles the CDK app (stack from context, tags, cdk-nag) so the entry point and the tests build the same thing. */

import { Aspects, Tags, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { QueueStack } from './queue-stack.ts';
import { readStackContext } from './stack-context.ts';

/**
 * Adds the mqs QueueStack to `app`, configured from the `mqs:*` context keys, tags everything with
 * `project=mqs`, and runs cdk-nag's AwsSolutions pack on it (findings become synth errors/warnings).
 *
 * No `env` is set: the stack is environment-agnostic, so `cdk synth` needs no credentials and no
 * network, and `cdk deploy` uses the account and region of the credentials it runs with.
 *
 * @throws {Error} when a context value is invalid (see readStackContext).
 * @throws {RangeError} when a setting is out of range (see QueueStack).
 */
export function buildApp(app: App): QueueStack {
  const { stackName, props } = readStackContext(app.node);
  const stack = new QueueStack(app, stackName, {
    ...props,
    stackName,
    description: 'mqs: producer and two consumer Lambda functions on an SQS FIFO queue with a DLQ, alarms and a dashboard',
  });
  Tags.of(app).add('project', 'mqs');
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return stack;
}
