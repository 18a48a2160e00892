/** @module infra/test/queue-stack.test — template assertions for every property the deployment promises (bundling skipped), plus cdk-nag. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { buildApp } from '../lib/build-app.ts';
import { QueueStack, type QueueStackProps } from '../lib/queue-stack.ts';
import { CONTEXT_KEYS, readStackContext } from '../lib/stack-context.ts';

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };

/** Synthesizes the app as `cdk synth` would, but without running esbuild. */
function synth(context: Record<string, unknown> = {}): { stack: QueueStack; template: Template } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = buildApp(app);
  return { stack, template: Template.fromStack(stack) };
}

/** Synthesizes a bare QueueStack with props (no context, no nag). */
function synthProps(props: QueueStackProps): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new QueueStack(app, 'props-test', { stackName: 'props-test', ...props }));
}

function resources(template: Template, type: string): Array<[string, Resource]> {
  return Object.entries(template.findResources(type)) as Array<[string, Resource]>;
}

function only(template: Template, type: string, predicate: (resource: Resource) => boolean): [string, Resource] {
  const matches = resources(template, type).filter(([, resource]) => predicate(resource));
  assert.equal(matches.length, 1, `expected exactly one ${type}`);
  return matches[0] as [string, Resource];
}

const { stack, template } = synth();
const queue = only(template, 'AWS::SQS::Queue', (r) => r.Properties.QueueName === 'mqs-orders.fifo');
const dlq = only(template, 'AWS::SQS::Queue', (r) => r.Properties.QueueName === 'mqs-orders-dlq.fifo');
const fn = (name: string) => only(template, 'AWS::Lambda::Function', (r) => r.Properties.FunctionName === name);

/** Statements of the inline policies attached to the role of the function named `name`. */
function statementsOf(name: string): Array<{ actions: string[]; resource: unknown; effect: string }> {
  const roleRef = fn(name)[1].Properties.Role;
  const roleId = roleRef['Fn::GetAtt'][0] as string;
  return resources(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown; Effect: string }>)
    .map((statement) => ({ actions: [statement.Action].flat().sort(), resource: statement.Resource, effect: statement.Effect }));
}

describe('QueueStack queues', () => {
  it('declares a high-throughput FIFO queue with explicit deduplication ids, SQS-managed encryption and a DLQ after 3 receives', () => {
    assert.deepEqual(
      {
        FifoQueue: queue[1].Properties.FifoQueue,
        ContentBasedDeduplication: queue[1].Properties.ContentBasedDeduplication,
        DeduplicationScope: queue[1].Properties.DeduplicationScope,
        FifoThroughputLimit: queue[1].Properties.FifoThroughputLimit,
        SqsManagedSseEnabled: queue[1].Properties.SqsManagedSseEnabled,
        RedrivePolicy: queue[1].Properties.RedrivePolicy,
      },
      {
        FifoQueue: true,
        ContentBasedDeduplication: false,
        DeduplicationScope: 'messageGroup',
        FifoThroughputLimit: 'perMessageGroupId',
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq[0], 'Arn'] }, maxReceiveCount: 3 },
      },
    );
  });

  it('makes the DLQ FIFO with the same settings and the longest retention', () => {
    const p = dlq[1].Properties;
    assert.deepEqual([p.FifoQueue, p.ContentBasedDeduplication, p.DeduplicationScope, p.FifoThroughputLimit, p.SqsManagedSseEnabled, p.MessageRetentionPeriod], [true, false, 'messageGroup', 'perMessageGroupId', true, 1_209_600]);
    assert.equal(p.RedrivePolicy, undefined);
  });

  it('denies every request without TLS on both queues', () => {
    for (const [queueId] of [queue, dlq]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('sets the visibility timeout to 6x the consumer timeout', () => {
    const consumerTimeout = fn('mqs-consumer-1')[1].Properties.Timeout as number;
    assert.equal(consumerTimeout, 30);
    assert.equal(queue[1].Properties.VisibilityTimeout, 6 * consumerTimeout);
    assert.equal(fn('mqs-consumer-2')[1].Properties.Timeout, consumerTimeout);
  });
});

describe('QueueStack functions', () => {
  const names = ['mqs-producer', 'mqs-consumer-1', 'mqs-consumer-2'];

  it('runs three functions on Node.js 24, arm64, JSON logs into their own log group', () => {
    template.resourceCountIs('AWS::Lambda::Function', 3);
    for (const name of names) {
      const [, resource] = fn(name);
      const logGroup = only(template, 'AWS::Logs::LogGroup', (r) => r.Properties.LogGroupName === `/aws/lambda/${name}`);
      assert.deepEqual(
        [resource.Properties.Runtime, resource.Properties.Architectures, resource.Properties.Handler, resource.Properties.LoggingConfig],
        ['nodejs24.x', ['arm64'], 'index.handler', { ApplicationLogLevel: 'INFO', LogFormat: 'JSON', LogGroup: { Ref: logGroup[0] }, SystemLogLevel: 'INFO' }],
        name,
      );
    }
  });

  it('keeps each log group for the configured retention and deletes it with the stack', () => {
    const groups = resources(template, 'AWS::Logs::LogGroup');
    assert.equal(groups.length, 3);
    for (const [id, group] of groups) {
      assert.equal(group.Properties.RetentionInDays, 7);
      template.hasResource('AWS::Logs::LogGroup', { Properties: { LogGroupName: group.Properties.LogGroupName }, DeletionPolicy: 'Delete' });
      assert.ok(id.length > 0);
    }
  });

  it('tells each function its role (MQS_ROLE and the mqs:role tag) and passes the queue URL and demo settings', () => {
    const variables = (name: string) => fn(name)[1].Properties.Environment.Variables as Record<string, unknown>;
    assert.deepEqual(variables('mqs-producer'), { QUEUE_URL: { Ref: queue[0] }, MQS_ROLE: 'producer', NODE_OPTIONS: '--enable-source-maps' });
    for (const [name, role] of [['mqs-consumer-1', 'consumer-1'], ['mqs-consumer-2', 'consumer-2']] as const) {
      assert.deepEqual(variables(name), { FAILURE_RATE: '0', WORK_MS: '0', POWERTOOLS_METRICS_NAMESPACE: 'mqs', MQS_ROLE: role, NODE_OPTIONS: '--enable-source-maps' });
    }
    for (const [name, role] of [['mqs-producer', 'producer'], ['mqs-consumer-1', 'consumer-1'], ['mqs-consumer-2', 'consumer-2']] as const) {
      assert.ok((fn(name)[1].Properties.Tags as Array<{ Key: string; Value: string }>).some((tag) => tag.Key === 'mqs:role' && tag.Value === role));
    }
  });

  it('maps each consumer, and only the consumers, to the queue: batches of 10, partial batch responses, capped concurrency', () => {
    const mappings = resources(template, 'AWS::Lambda::EventSourceMapping');
    assert.equal(mappings.length, 2);
    const targets = mappings.map(([, mapping]) => mapping.Properties.FunctionName.Ref).sort();
    assert.deepEqual(targets, [fn('mqs-consumer-1')[0], fn('mqs-consumer-2')[0]].sort());
    for (const [, mapping] of mappings) {
      assert.deepEqual(
        {
          EventSourceArn: mapping.Properties.EventSourceArn,
          BatchSize: mapping.Properties.BatchSize,
          FunctionResponseTypes: mapping.Properties.FunctionResponseTypes,
          ScalingConfig: mapping.Properties.ScalingConfig,
          Enabled: mapping.Properties.Enabled,
        },
        { EventSourceArn: { 'Fn::GetAtt': [queue[0], 'Arn'] }, BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 2 }, Enabled: true },
      );
    }
  });
});

describe('QueueStack roles', () => {
  const logStatement = (name: string) => ({
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resource: { 'Fn::GetAtt': [only(template, 'AWS::Logs::LogGroup', (r) => r.Properties.LogGroupName === `/aws/lambda/${name}`)[0], 'Arn'] },
    effect: 'Allow',
  });

  it('gives the producer its log group and sqs:SendMessage on the queue, nothing else', () => {
    assert.deepEqual(statementsOf('mqs-producer'), [logStatement('mqs-producer'), { actions: ['sqs:SendMessage'], resource: { 'Fn::GetAtt': [queue[0], 'Arn'] }, effect: 'Allow' }]);
  });

  it('gives each consumer its log group and receive/delete/change-visibility/get-attributes on the queue, nothing else', () => {
    for (const name of ['mqs-consumer-1', 'mqs-consumer-2']) {
      assert.deepEqual(statementsOf(name), [
        logStatement(name),
        { actions: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], resource: { 'Fn::GetAtt': [queue[0], 'Arn'] }, effect: 'Allow' },
      ]);
    }
  });

  it('uses one role per function, with no managed policies and no other policies in the stack', () => {
    const roles = resources(template, 'AWS::IAM::Role');
    assert.equal(roles.length, 3);
    const roleIds = new Set(['mqs-producer', 'mqs-consumer-1', 'mqs-consumer-2'].map((name) => fn(name)[1].Properties.Role['Fn::GetAtt'][0]));
    assert.equal(roleIds.size, 3);
    for (const [, role] of roles) {
      assert.equal(role.Properties.ManagedPolicyArns, undefined);
      assert.deepEqual(role.Properties.AssumeRolePolicyDocument.Statement, [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }]);
    }
    assert.equal(resources(template, 'AWS::IAM::Policy').length, 3);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  it('creates each function after its policy, so the event source mapping finds the permissions', () => {
    for (const name of ['mqs-consumer-1', 'mqs-consumer-2']) {
      const dependsOn = fn(name)[1].DependsOn ?? [];
      assert.ok(dependsOn.some((id) => id.includes('RoleDefaultPolicy')), `${name} DependsOn ${dependsOn.join()}`);
    }
  });
});

describe('QueueStack monitoring', () => {
  it('alarms when the DLQ holds any message', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mqs-dlq-not-empty',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq[0], 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when the oldest message of the queue is 10 minutes old', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mqs-oldest-message-age',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue[0], 'QueueName'] } }],
      Threshold: 600,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
  });

  it('has a dashboard with queue depth, in-flight, and each function\'s invocations, errors, duration and concurrency', () => {
    const dashboards = resources(template, 'AWS::CloudWatch::Dashboard');
    assert.equal(dashboards.length, 1);
    const body = JSON.stringify(dashboards[0]?.[1].Properties.DashboardBody);
    for (const metric of ['ApproximateNumberOfMessagesVisible', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateAgeOfOldestMessage', 'Invocations', 'Errors', 'Duration', 'ConcurrentExecutions', 'ProcessedMessages', 'FailedMessages']) {
      assert.ok(body.includes(`\\"${metric}\\"`), `dashboard shows ${metric}`);
    }
    for (const name of ['mqs-producer', 'mqs-consumer-1', 'mqs-consumer-2']) assert.ok(body.includes(name) || body.includes(fn(name)[0]), `dashboard covers ${name}`);
    assert.equal(dashboards[0]?.[1].Properties.DashboardName, 'mqs-dashboard');
  });

  it('passes cdk-nag AwsSolutions with no error or warning', () => {
    const annotations = Annotations.fromStack(stack);
    assert.deepEqual(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')), []);
    assert.deepEqual(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')), []);
  });

  it('reports cdk-nag findings when a rule is broken (the check is live)', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const nagged = buildApp(app);
    // Break AwsSolutions-SQS4 on purpose: a queue that accepts plain HTTP.
    new sqs.Queue(nagged, 'PlainQueue', { enforceSSL: false });
    const errors = Annotations.fromStack(nagged).findError('*', Match.stringLikeRegexp('AwsSolutions-SQS4.*'));
    assert.ok(errors.length > 0);
  });
});

describe('QueueStack settings', () => {
  it('applies maxReceiveCount, maxConcurrency, consumer timeout, retention and demo settings from props', () => {
    const custom = synthProps({ maxReceiveCount: 5, maxConcurrency: 7, consumerTimeoutSeconds: 20, logRetention: 30, failureRate: 0.2, workMs: 50, poisonMarker: 'BOOM', oldestMessageAgeAlarmSeconds: 120 });
    custom.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'props-test-orders.fifo', VisibilityTimeout: 120, RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }) });
    custom.allResourcesProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 7 } });
    custom.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    custom.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'props-test-consumer-2', Timeout: 20, Environment: { Variables: Match.objectLike({ FAILURE_RATE: '0.2', WORK_MS: '50', POISON_MARKER: 'BOOM' }) } });
    custom.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'props-test-oldest-message-age', Threshold: 120 });
  });

  it('wires the alarms to an SNS topic only when one is given', () => {
    const arn = 'arn:aws:sns:us-east-1:123456789012:ops';
    synthProps({ alarmTopicArn: arn }).allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [arn] });
    for (const [, alarm] of resources(template, 'AWS::CloudWatch::Alarm')) assert.equal(alarm.Properties.AlarmActions, undefined);
  });

  it('rejects settings outside their ranges', () => {
    for (const props of [{ maxReceiveCount: 0 }, { maxConcurrency: 1 }, { consumerTimeoutSeconds: 901 }, { failureRate: 1.5 }, { workMs: 2.5 }] satisfies QueueStackProps[]) {
      assert.throws(() => synthProps(props), RangeError, JSON.stringify(props));
    }
  });

  it('reads the mqs:* context keys, as strings from -c or numbers from cdk.json', () => {
    const app = new App({ context: { [CONTEXT_KEYS.stackName]: 'demo', [CONTEXT_KEYS.maxReceiveCount]: '4', [CONTEXT_KEYS.maxConcurrency]: 3, [CONTEXT_KEYS.logRetentionDays]: '14', [CONTEXT_KEYS.poisonMarker]: 'X' } });
    assert.deepEqual(readStackContext(app.node), { stackName: 'demo', props: { maxReceiveCount: 4, maxConcurrency: 3, logRetention: 14, poisonMarker: 'X' } });
    assert.deepEqual(readStackContext(new App().node), { stackName: 'mqs', props: {} });
  });

  it('rejects context values that are not numbers, unknown retentions and bad stack names, naming the key', () => {
    assert.throws(() => readStackContext(new App({ context: { [CONTEXT_KEYS.maxConcurrency]: 'lots' } }).node), /mqs:maxConcurrency/);
    assert.throws(() => readStackContext(new App({ context: { [CONTEXT_KEYS.logRetentionDays]: 8 } }).node), /mqs:logRetentionDays/);
    assert.throws(() => readStackContext(new App({ context: { [CONTEXT_KEYS.stackName]: '1bad name' } }).node), /mqs:stackName/);
  });

  it('names everything after the stack name given in context', () => {
    const { template: demo } = synth({ [CONTEXT_KEYS.stackName]: 'demo' });
    for (const name of ['demo-producer', 'demo-consumer-1', 'demo-consumer-2']) demo.hasResourceProperties('AWS::Lambda::Function', { FunctionName: name });
    demo.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'demo-orders.fifo' });
  });
});
