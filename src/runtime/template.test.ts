/** @module runtime/template.test: CloudFormation resources and intrinsics to a RuntimePlan, and values bound to local queues. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveValue } from './bindings.ts';
import { TemplateError } from './intrinsics.ts';
import { describeUnsupported, findFunction } from './plan.ts';
import { functionNameOf } from './template-lambda.ts';
import { planFromTemplate } from './template.ts';

const TEMPLATE = {
  Parameters: { Stage: { Type: 'String', Default: 'dev' }, BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/version' } },
  Resources: {
    Dlq: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true, MessageRetentionPeriod: 1209600 } },
    Queue: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: { 'Fn::Sub': '${AWS::StackName}-orders.fifo' },
        FifoQueue: true,
        ContentBasedDeduplication: false,
        VisibilityTimeout: 180,
        KmsMasterKeyId: { Ref: 'SomeKey' },
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 3 },
        Tags: [{ Key: 'project', Value: 'mqs' }],
      },
    },
    Plain: { Type: 'AWS::SQS::Queue', Properties: {} },
    Role: { Type: 'AWS::IAM::Role', Properties: {} },
    Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/custom/consumer' } },
    Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: {} },
    Meta: { Type: 'AWS::CDK::Metadata', Properties: {} },
    Consumer: {
      Type: 'AWS::Lambda::Function',
      Metadata: { 'aws:asset:path': 'asset.abc' },
      Properties: {
        Code: { S3Bucket: 'b', S3Key: 'abc.zip' },
        Handler: 'index.handler',
        Runtime: 'nodejs22.x',
        FunctionName: 'orders-consumer',
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN', LogGroup: { Ref: 'Logs' } },
        Environment: {
          Variables: {
            QUEUE_URL: { Ref: 'Queue' },
            QUEUE_ARN: { 'Fn::GetAtt': ['Queue', 'Arn'] },
            QUEUE_NAME: { 'Fn::GetAtt': 'Queue.QueueName' },
            JOINED: { 'Fn::Join': ['|', [{ Ref: 'AWS::Region' }, { Ref: 'Stage' }, { Ref: 'AWS::AccountId' }]] },
            SUBBED: { 'Fn::Sub': ['${Url}#${!Literal}', { Url: { Ref: 'Plain' } }] },
            SELECTED: { 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] },
            GONE: { Ref: 'AWS::NoValue' },
            MQS_ROLE: 'consumer-1',
          },
        },
      },
    },
    Producer: {
      Type: 'AWS::Lambda::Function',
      Properties: { Code: { S3Bucket: 'b', S3Key: 'def.zip' }, Handler: 'src/main.run', Runtime: 'nodejs20.x' },
    },
    Python: { Type: 'AWS::Lambda::Function', Properties: { Code: { ZipFile: 'x' }, Handler: 'i.h', Runtime: 'python3.12' } },
    Mapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] },
        FunctionName: { Ref: 'Consumer' },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
        FilterCriteria: { Filters: [{ Pattern: '{"body":{"kind":["order"]}}' }] },
      },
    },
    Defaults: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:elsewhere', FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:orders-consumer:live', Enabled: false },
    },
    Stream: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { EventSourceArn: 'arn:aws:kinesis:us-east-1:1:stream/s', FunctionName: 'x' } },
  },
};

const plan = planFromTemplate({
  stackName: 'shop',
  template: TEMPLATE,
  assemblyDir: '/tmp/cdk.out',
  assetsByObjectKey: new Map([['def.zip', '/tmp/cdk.out/asset.def']]),
});
const bindings = {
  region: 'eu-west-1',
  accountId: '000000000000',
  queues: new Map(
    plan.queues.map((queue) => [
      queue.logicalId,
      { logicalId: queue.logicalId, name: queue.name, url: `http://local/000000000000/${queue.name}`, arn: `arn:aws:sqs:eu-west-1:000000000000:${queue.name}`, isFifo: queue.isFifo },
    ]),
  ),
};

describe('planFromTemplate', () => {
  it('names queues by QueueName, else <stack>-<LogicalId> (.fifo for FIFO), and maps properties to attributes', () => {
    assert.deepEqual(
      plan.queues.map((queue) => queue.name),
      ['shop-Dlq.fifo', 'shop-orders.fifo', 'shop-Plain'],
    );
    const queue = plan.queues[1];
    assert.ok(queue !== undefined);
    assert.deepEqual(queue.dependsOn, ['Dlq']);
    assert.deepEqual(queue.tags, { project: 'mqs' });
    const attributes = Object.fromEntries(Object.entries(queue.attributes).map(([name, value]) => [name, resolveValue(value, bindings)]));
    assert.deepEqual(attributes, {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
      VisibilityTimeout: '180',
      RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:000000000000:shop-Dlq.fifo","maxReceiveCount":3}',
    });
    assert.match(plan.warnings.join('\n'), /KmsMasterKeyId dropped/);
  });

  it('resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select and pseudo parameters in function environments', () => {
    const fn = findFunction(plan, 'consumer-1');
    const env = Object.fromEntries(Object.entries(fn.environment).map(([name, value]) => [name, resolveValue(value, bindings)]));
    assert.deepEqual(env, {
      QUEUE_URL: 'http://local/000000000000/shop-orders.fifo',
      QUEUE_ARN: 'arn:aws:sqs:eu-west-1:000000000000:shop-orders.fifo',
      QUEUE_NAME: 'shop-orders.fifo',
      JOINED: 'eu-west-1|dev|000000000000',
      SUBBED: 'http://local/000000000000/shop-Plain#${Literal}',
      SELECTED: 'b',
      MQS_ROLE: 'consumer-1',
    });
  });

  it('takes code, handler, logging and Lambda defaults from the function', () => {
    const consumer = findFunction(plan, 'orders-consumer');
    assert.equal(consumer.codeDir, '/tmp/cdk.out/asset.abc');
    assert.deepEqual(consumer.logging, { format: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'INFO', logGroup: '/custom/consumer' });
    const producer = findFunction(plan, 'shop-Producer');
    assert.equal(producer.codeDir, '/tmp/cdk.out/asset.def', 'found through the asset manifest by S3 key');
    assert.equal(producer.handler, 'src/main.run');
    assert.equal(producer.memorySizeMb, 128);
    assert.equal(producer.timeoutSeconds, 3);
    assert.deepEqual(producer.logging, { format: 'Text', applicationLogLevel: 'INFO', systemLogLevel: 'INFO', logGroup: '/aws/lambda/shop-Producer' });
    assert.equal(plan.functions.length, 2, 'the Python function is skipped');
    assert.match(plan.warnings.join('\n'), /python3\.12.*skipped/);
  });

  it('reads SQS event source mappings with their defaults, and skips other sources', () => {
    const [mapping, defaults] = plan.mappings;
    assert.equal(plan.mappings.length, 2);
    assert.equal(mapping?.functionName, 'orders-consumer');
    assert.equal(resolveValue(mapping?.eventSourceArn ?? '', bindings), 'arn:aws:sqs:eu-west-1:000000000000:shop-orders.fifo');
    assert.deepEqual(
      { batchSize: mapping?.batchSize, window: mapping?.maximumBatchingWindowSeconds, concurrency: mapping?.maximumConcurrency, reporting: mapping?.isReportingBatchItemFailures, enabled: mapping?.isEnabled, filters: mapping?.filterPatterns },
      { batchSize: 10, window: 0, concurrency: 2, reporting: true, enabled: true, filters: ['{"body":{"kind":["order"]}}'] },
    );
    assert.equal(defaults?.functionName, 'orders-consumer', 'a function ARN with a qualifier names the function');
    assert.equal(defaults?.maximumConcurrency, undefined);
    assert.equal(defaults?.isReportingBatchItemFailures, false);
    assert.equal(defaults?.isEnabled, false);
    assert.match(plan.warnings.join('\n'), /only SQS sources are emulated/);
  });

  it('names the function of a FunctionName given as a name, a full ARN or a partial ARN, with or without a qualifier', () => {
    const forms = [
      'my-fn',
      'my-fn:live',
      'arn:aws:lambda:us-east-1:123456789012:function:my-fn',
      'arn:aws:lambda:us-east-1:123456789012:function:my-fn:7',
      '123456789012:function:my-fn',
      '123456789012:function:my-fn:$LATEST',
    ];
    assert.deepEqual(
      forms.map(functionNameOf),
      forms.map(() => 'my-fn'),
    );
  });

  it('lists the resource types it does not emulate, once each, with counts', () => {
    assert.equal(describeUnsupported(plan), 'IAM::Role (permissions not enforced), Logs::LogGroup (log group name taken), CloudWatch::Alarm are not emulated');
  });

  it('refuses what it cannot run faithfully', () => {
    const broken = (properties: Record<string, unknown>) => () =>
      planFromTemplate({ stackName: 's', template: { Resources: { F: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'i.h', Code: { S3Key: 'k' }, ...properties } } } }, assemblyDir: '/' });
    assert.throws(broken({}), TemplateError, 'an asset the assembly does not have');
    assert.throws(broken({ Code: { ZipFile: 'exports.h=1' } }), /inline code/);
    assert.throws(broken({ Handler: 'nodot' }), /file\.export/);
    assert.throws(broken({ Environment: { Variables: { X: { 'Fn::ImportValue': 'other' } } } }), /Fn::ImportValue is not supported/);
    assert.throws(() => planFromTemplate({ stackName: 's', template: {}, assemblyDir: '/' }), /not a CloudFormation template/);
  });
});
