/** @module infra/lib/queue-stack — the AWS deployment: FIFO queue + DLQ, producer and two consumers, least-privilege roles, alarms, dashboard. */

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** Where the handler sources live; infra refers to them only as entry file paths. */
const FUNCTIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'functions');

/** Entry files of the three functions (consumer-1 and consumer-2 share one). */
export const FUNCTION_ENTRIES = {
  producer: join(FUNCTIONS_DIR, 'producer.ts'),
  consumer: join(FUNCTIONS_DIR, 'consumer.ts'),
} as const;

/** The `MQS_ROLE` of each function; also its `mqs:role` tag and the suffix of its name. */
export const FUNCTION_ROLES = ['producer', 'consumer-1', 'consumer-2'] as const;

/** One of {@link FUNCTION_ROLES}. */
export type FunctionRole = (typeof FUNCTION_ROLES)[number];

/**
 * Environment variable names shared with `src/functions/shared/env.ts` (the functions' only env
 * reader). Duplicated rather than imported, because infra must not import function modules;
 * `infra/test/queue-stack.test.ts` checks the two lists agree.
 */
export const FUNCTION_ENV = {
  QUEUE_URL: 'QUEUE_URL',
  FAILURE_RATE: 'FAILURE_RATE',
  WORK_MS: 'WORK_MS',
  POISON_MARKER: 'POISON_MARKER',
  MQS_ROLE: 'MQS_ROLE',
  METRICS_NAMESPACE: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

/** Namespace and service of the consumers' custom metrics (as set in `src/functions/shared/logger.ts`). */
const CUSTOM_METRICS = { namespace: 'mqs', service: 'mqs-consumer' } as const;

/** Defaults of every {@link QueueStackProps} setting. */
export const QUEUE_STACK_DEFAULTS = {
  maxReceiveCount: 3,
  maxConcurrency: 2,
  consumerTimeoutSeconds: 30,
  producerTimeoutSeconds: 900,
  memorySizeMb: 256,
  logRetention: logs.RetentionDays.ONE_WEEK,
  oldestMessageAgeAlarmSeconds: 600,
  failureRate: 0,
  workMs: 0,
} as const;

/** AWS recommends a queue visibility timeout of at least 6x the consumer's timeout (Lambda SQS docs). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** Settings of the stack; each defaults to {@link QUEUE_STACK_DEFAULTS}. */
export interface QueueStackProps extends StackProps {
  /** Receives before SQS moves a message to the DLQ (1–1000). */
  readonly maxReceiveCount?: number;
  /** ScalingConfig.MaximumConcurrency of each consumer's event source mapping (2–1000). */
  readonly maxConcurrency?: number;
  /** Consumer function timeout in seconds (1–900); the queue's visibility timeout is 6x this. */
  readonly consumerTimeoutSeconds?: number;
  /** Producer function timeout in seconds (1–900). */
  readonly producerTimeoutSeconds?: number;
  /** Retention of the three log groups. */
  readonly logRetention?: logs.RetentionDays;
  /** The oldest-message alarm fires when a message waited at least this long (seconds). */
  readonly oldestMessageAgeAlarmSeconds?: number;
  /** Consumers' FAILURE_RATE (0–1), for demonstrations. */
  readonly failureRate?: number;
  /** Consumers' WORK_MS (simulated work per message). */
  readonly workMs?: number;
  /** Consumers' POISON_MARKER; unset when empty. */
  readonly poisonMarker?: string;
  /** SNS topic the alarms notify; alarms have no action when unset. */
  readonly alarmTopicArn?: string;
}

/**
 * The whole AWS side of mqs. Env-agnostic (no account or region lookups), so it synthesizes
 * offline without credentials. Names derive from the stack name: functions `<stack>-producer`,
 * `<stack>-consumer-1`, `<stack>-consumer-2`, queues `<stack>-orders.fifo` and
 * `<stack>-orders-dlq.fifo`, log groups `/aws/lambda/<function>`.
 *
 * @throws {RangeError} when a numeric setting is outside its documented range.
 */
export class QueueStack extends Stack {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly functions: Readonly<Record<FunctionRole, NodejsFunction>>;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: QueueStackProps = {}) {
    super(scope, id, props);
    const settings = resolveSettings(props);
    const consumerTimeout = Duration.seconds(settings.consumerTimeoutSeconds);

    // ---- queues -------------------------------------------------------------------------------
    // Deduplication ids are explicit (run id + group + seq), so content-based deduplication is off:
    // two identical bodies are still two events, and a missing id is a bug SQS should reject.
    // MESSAGE_GROUP scope + PER_MESSAGE_GROUP_ID limit = "high throughput FIFO".
    const fifoSettings = {
      fifo: true,
      contentBasedDeduplication: false,
      deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
    } as const;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      ...fifoSettings,
      queueName: `${this.stackName}-orders-dlq.fifo`,
      // For FIFO queues the retention of a redriven message restarts in the DLQ; keep it the maximum.
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      ...fifoSettings,
      queueName: `${this.stackName}-orders.fifo`,
      visibilityTimeout: Duration.seconds(settings.consumerTimeoutSeconds * VISIBILITY_TIMEOUT_FACTOR),
      receiveMessageWaitTime: Duration.seconds(20),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: settings.maxReceiveCount },
    });

    // ---- functions ----------------------------------------------------------------------------
    const producer = this.#createFunction('producer', {
      entry: FUNCTION_ENTRIES.producer,
      timeout: Duration.seconds(settings.producerTimeoutSeconds),
      environment: { [FUNCTION_ENV.QUEUE_URL]: this.queue.queueUrl },
      settings,
    });
    // SendMessageBatch is authorized as sqs:SendMessage. With SQS-managed SSE no KMS action is needed.
    producer.role?.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));

    const consumerEnvironment: Record<string, string> = {
      [FUNCTION_ENV.FAILURE_RATE]: String(settings.failureRate),
      [FUNCTION_ENV.WORK_MS]: String(settings.workMs),
      [FUNCTION_ENV.METRICS_NAMESPACE]: CUSTOM_METRICS.namespace,
      ...(settings.poisonMarker === '' ? {} : { [FUNCTION_ENV.POISON_MARKER]: settings.poisonMarker }),
    };
    const consumers = (['consumer-1', 'consumer-2'] as const).map((role) => {
      const fn = this.#createFunction(role, { entry: FUNCTION_ENTRIES.consumer, timeout: consumerTimeout, environment: consumerEnvironment, settings });
      // What Lambda's event source mapping calls on the queue: ReceiveMessage, DeleteMessage(Batch),
      // ChangeMessageVisibility(Batch) and GetQueueAttributes (checked when the mapping is created).
      // The mapping is declared with lambda.EventSourceMapping rather than SqsEventSource because the
      // latter grants grantConsumeMessages, which adds sqs:GetQueueUrl that nothing here calls.
      fn.role?.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
          resources: [this.queue.queueArn],
        }),
      );
      new lambda.EventSourceMapping(this, `${constructIdOf(role)}EventSource`, {
        target: fn,
        eventSourceArn: this.queue.queueArn,
        batchSize: 10,
        reportBatchItemFailures: true,
        maxConcurrency: settings.maxConcurrency,
        enabled: true,
      });
      return fn;
    });
    const [consumer1, consumer2] = consumers as [NodejsFunction, NodejsFunction];
    this.functions = { producer, 'consumer-1': consumer1, 'consumer-2': consumer2 };

    // ---- alarms -------------------------------------------------------------------------------
    const alarmAction = settings.alarmTopicArn === undefined ? undefined : new SnsAction(sns.Topic.fromTopicArn(this, 'AlarmTopic', settings.alarmTopicArn));
    const dlqAlarm = new cloudwatch.Alarm(this, 'DeadLetterQueueNotEmptyAlarm', {
      alarmName: `${this.stackName}-dlq-not-empty`,
      alarmDescription: 'Messages are in the dead-letter queue: some order events failed maxReceiveCount times. Inspect them, fix the cause, then redrive them.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const ageAlarm = new cloudwatch.Alarm(this, 'OldestMessageAgeAlarm', {
      alarmName: `${this.stackName}-oldest-message-age`,
      alarmDescription: `A message has waited ${settings.oldestMessageAgeAlarmSeconds}s or more in the orders queue: consumers are failing, throttled or too slow.`,
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: settings.oldestMessageAgeAlarmSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (alarmAction !== undefined) for (const alarm of [dlqAlarm, ageAlarm]) alarm.addAlarmAction(alarmAction);

    // ---- dashboard ----------------------------------------------------------------------------
    this.dashboard = this.#createDashboard([dlqAlarm, ageAlarm]);

    // ---- outputs (read by people and by tooling) ------------------------------------------------
    new CfnOutput(this, 'QueueUrl', { value: this.queue.queueUrl });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl });
    for (const role of FUNCTION_ROLES) new CfnOutput(this, `${constructIdOf(role)}FunctionName`, { value: this.functions[role].functionName });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboardName });
  }

  #createFunction(
    role: FunctionRole,
    options: { entry: string; timeout: Duration; environment: Record<string, string>; settings: Settings },
  ): NodejsFunction {
    const id = constructIdOf(role);
    const functionName = `${this.stackName}-${role}`;
    const logGroup = new logs.LogGroup(this, `${id}LogGroup`, {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: options.settings.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // One role per function, with no managed policy: logging is granted on its own log group only
    // (logs:CreateLogStream, logs:PutLogEvents), instead of AWSLambdaBasicExecutionRole's "any log group".
    const executionRole = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${functionName}: its own log group and the queue actions it uses, nothing else.`,
    });
    logGroup.grantWrite(executionRole);

    const fn = new NodejsFunction(this, id, {
      functionName,
      entry: options.entry,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: QUEUE_STACK_DEFAULTS.memorySizeMb,
      timeout: options.timeout,
      role: executionRole,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      environment: {
        ...options.environment,
        [FUNCTION_ENV.MQS_ROLE]: role,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        // Local esbuild only; never Docker.
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        // node20: the same bundle runs on Lambda's Node 24 and on the local runtime's Node 20.
        target: 'node20',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the SDK too, so the pinned @aws-sdk/client-sqs version runs (not whatever Lambda ships).
        externalModules: [],
        // ESM output: let bundled CommonJS code call require() for Node built-ins.
        banner: "import { createRequire as __mqsCreateRequire } from 'node:module'; const require = __mqsCreateRequire(import.meta.url);",
      },
    });
    Tags.of(fn).add('mqs:role', role);

    return fn;
  }

  #createDashboard(alarms: cloudwatch.Alarm[]): cloudwatch.Dashboard {
    const fns = FUNCTION_ROLES.map((role) => ({ role, fn: this.functions[role] }));
    const perFunction = (title: string, metricName: string, statistic: string): cloudwatch.GraphWidget =>
      new cloudwatch.GraphWidget({
        title,
        width: 6,
        left: fns.map(({ role, fn }) => fn.metric(metricName, { statistic, period: Duration.minutes(1), label: role })),
      });
    const minute = { period: Duration.minutes(1) };
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${this.stackName}-dashboard`,
      defaultInterval: Duration.hours(3),
    });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Orders queue: visible / in flight',
        width: 8,
        left: [
          this.queue.metricApproximateNumberOfMessagesVisible({ ...minute, statistic: cloudwatch.Stats.MAXIMUM, label: 'visible' }),
          this.queue.metricApproximateNumberOfMessagesNotVisible({ ...minute, statistic: cloudwatch.Stats.MAXIMUM, label: 'in flight' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Orders queue: sent / received / deleted',
        width: 8,
        left: [
          this.queue.metricNumberOfMessagesSent({ ...minute, label: 'sent' }),
          this.queue.metricNumberOfMessagesReceived({ ...minute, label: 'received' }),
          this.queue.metricNumberOfMessagesDeleted({ ...minute, label: 'deleted' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Age of oldest message (s) / DLQ visible',
        width: 8,
        left: [this.queue.metricApproximateAgeOfOldestMessage({ ...minute, statistic: cloudwatch.Stats.MAXIMUM, label: 'oldest message age' })],
        right: [this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ ...minute, statistic: cloudwatch.Stats.MAXIMUM, label: 'DLQ visible' })],
      }),
    );
    dashboard.addWidgets(
      perFunction('Invocations', 'Invocations', cloudwatch.Stats.SUM),
      perFunction('Errors', 'Errors', cloudwatch.Stats.SUM),
      perFunction('Duration p90 (ms)', 'Duration', cloudwatch.Stats.p(90)),
      perFunction('Concurrent executions', 'ConcurrentExecutions', cloudwatch.Stats.MAXIMUM),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Consumers: processed / failed messages',
        width: 12,
        left: (['consumer-1', 'consumer-2'] as const).flatMap((role) =>
          ['ProcessedMessages', 'FailedMessages'].map(
            (metricName) =>
              new cloudwatch.Metric({
                namespace: CUSTOM_METRICS.namespace,
                metricName,
                dimensionsMap: { service: CUSTOM_METRICS.service, function_name: this.functions[role].functionName },
                statistic: cloudwatch.Stats.SUM,
                period: Duration.minutes(1),
                label: `${role} ${metricName}`,
              }),
          ),
        ),
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 12, alarms }),
    );
    return dashboard;
  }
}

interface Settings {
  readonly maxReceiveCount: number;
  readonly maxConcurrency: number;
  readonly consumerTimeoutSeconds: number;
  readonly producerTimeoutSeconds: number;
  readonly logRetention: logs.RetentionDays;
  readonly oldestMessageAgeAlarmSeconds: number;
  readonly failureRate: number;
  readonly workMs: number;
  readonly poisonMarker: string;
  readonly alarmTopicArn: string | undefined;
}

function resolveSettings(props: QueueStackProps): Settings {
  const settings: Settings = {
    maxReceiveCount: props.maxReceiveCount ?? QUEUE_STACK_DEFAULTS.maxReceiveCount,
    maxConcurrency: props.maxConcurrency ?? QUEUE_STACK_DEFAULTS.maxConcurrency,
    consumerTimeoutSeconds: props.consumerTimeoutSeconds ?? QUEUE_STACK_DEFAULTS.consumerTimeoutSeconds,
    producerTimeoutSeconds: props.producerTimeoutSeconds ?? QUEUE_STACK_DEFAULTS.producerTimeoutSeconds,
    logRetention: props.logRetention ?? QUEUE_STACK_DEFAULTS.logRetention,
    oldestMessageAgeAlarmSeconds: props.oldestMessageAgeAlarmSeconds ?? QUEUE_STACK_DEFAULTS.oldestMessageAgeAlarmSeconds,
    failureRate: props.failureRate ?? QUEUE_STACK_DEFAULTS.failureRate,
    workMs: props.workMs ?? QUEUE_STACK_DEFAULTS.workMs,
    poisonMarker: props.poisonMarker ?? '',
    alarmTopicArn: props.alarmTopicArn,
  };
  checkRange('maxReceiveCount', settings.maxReceiveCount, 1, 1000, true);
  checkRange('maxConcurrency', settings.maxConcurrency, 2, 1000, true);
  checkRange('consumerTimeoutSeconds', settings.consumerTimeoutSeconds, 1, 900, true);
  checkRange('producerTimeoutSeconds', settings.producerTimeoutSeconds, 1, 900, true);
  checkRange('oldestMessageAgeAlarmSeconds', settings.oldestMessageAgeAlarmSeconds, 60, 1_209_600, true);
  checkRange('failureRate', settings.failureRate, 0, 1, false);
  checkRange('workMs', settings.workMs, 0, 60_000, true);
  return settings;
}

function checkRange(name: string, value: number, min: number, max: number, integer: boolean): void {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new RangeError(`QueueStack ${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${value}`);
  }
}

/** `consumer-1` → `Consumer1`: construct ids stay readable and stable. */
function constructIdOf(role: FunctionRole): string {
  return role
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
