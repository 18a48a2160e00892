/** @module runtime/plan: the plain data the local Lambda runtime runs from: queues, functions and event source mappings. */

/** A queue attribute a value can point at (`Ref` = `QueueUrl`, `Fn::GetAtt` = `Arn` / `QueueName` / `QueueUrl`). */
export const QUEUE_ATTRIBUTES = ['Arn', 'QueueName', 'QueueUrl'] as const;
export type QueueAttribute = (typeof QUEUE_ATTRIBUTES)[number];

/** CloudFormation pseudo parameters that are only known once the runtime knows where it runs. */
export const PSEUDO_PARAMETERS = ['AWS::Region', 'AWS::AccountId', 'AWS::Partition', 'AWS::URLSuffix'] as const;
export type PseudoParameter = (typeof PSEUDO_PARAMETERS)[number];

/** One piece of a value: literal text, a queue attribute, or a pseudo parameter. */
export type ValuePart =
  | string
  | { readonly queue: string; readonly attribute: QueueAttribute }
  | { readonly pseudo: PseudoParameter };

/**
 * A value that may depend on the local queues (their URLs and ARNs exist only once they are created): a literal
 * string, or the concatenation of its parts. `resolveValue` (bindings.ts) turns it into a string.
 */
export type PlanValue = string | readonly ValuePart[];

/** Log formats of `LoggingConfig.LogFormat`. */
export const LOG_FORMATS = ['Text', 'JSON'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** `ApplicationLogLevel` values, lowest first. */
export const APPLICATION_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type ApplicationLogLevel = (typeof APPLICATION_LOG_LEVELS)[number];

/** `SystemLogLevel` values, lowest first. */
export const SYSTEM_LOG_LEVELS = ['DEBUG', 'INFO', 'WARN'] as const;
export type SystemLogLevel = (typeof SYSTEM_LOG_LEVELS)[number];

/** An `AWS::SQS::Queue`. */
export interface QueuePlan {
  /** Logical id in the template (the key other values refer to). */
  readonly logicalId: string;
  /** The queue name to create: `QueueName`, or `<stack>-<LogicalId>` (`.fifo` added for FIFO queues). */
  readonly name: string;
  readonly isFifo: boolean;
  /** CreateQueue attributes, as SQS wants them (strings); values may depend on other queues (RedrivePolicy). */
  readonly attributes: Readonly<Record<string, PlanValue>>;
  readonly tags: Readonly<Record<string, string>>;
  /** Logical ids of queues this one refers to (its DLQ): they are created first. */
  readonly dependsOn: readonly string[];
}

/** The `LoggingConfig` of a function, with Lambda's defaults filled in. */
export interface LoggingPlan {
  readonly format: LogFormat;
  /** Only applies with JSON format (as on Lambda). */
  readonly applicationLogLevel: ApplicationLogLevel;
  /** Only applies with JSON format (as on Lambda). */
  readonly systemLogLevel: SystemLogLevel;
  /** `LoggingConfig.LogGroup`, or `/aws/lambda/<function name>`. */
  readonly logGroup: string;
}

/** An `AWS::Lambda::Function` with its code on disk. */
export interface FunctionPlan {
  readonly logicalId: string;
  /** `FunctionName`, or `<stack>-<LogicalId>`. */
  readonly name: string;
  /** Directory holding the code (the unzipped asset): becomes `LAMBDA_TASK_ROOT`. */
  readonly codeDir: string;
  /** `file.export`, e.g. `index.handler` (file may contain directories, export may be nested). */
  readonly handler: string;
  /** e.g. `nodejs22.x`; only `nodejs*` runtimes can run here. */
  readonly runtime: string;
  readonly memorySizeMb: number;
  readonly timeoutSeconds: number;
  readonly environment: Readonly<Record<string, PlanValue>>;
  readonly logging: LoggingPlan;
  /** `ReservedConcurrentExecutions`: at most this many instances; invocations beyond it are throttled. */
  readonly reservedConcurrency?: number;
  /** The function's `MQS_ROLE` variable when it is a literal (`producer`, `consumer-1`, …): a second name to address it by. */
  readonly role?: string;
}

/** An `AWS::Lambda::EventSourceMapping` from an SQS queue. */
export interface MappingPlan {
  readonly logicalId: string;
  /** Name of the target function (a key of the plan's functions). */
  readonly functionName: string;
  /** The queue's ARN: usually a template queue's `Arn`, possibly a literal ARN of a queue made elsewhere. */
  readonly eventSourceArn: PlanValue;
  /** Default 10. */
  readonly batchSize: number;
  /** Default 0. */
  readonly maximumBatchingWindowSeconds: number;
  /** `ScalingConfig.MaximumConcurrency`; absent means "the runtime's default" (see RUNTIME_DEFAULTS). */
  readonly maximumConcurrency?: number;
  readonly isReportingBatchItemFailures: boolean;
  readonly isEnabled: boolean;
  /** `FilterCriteria.Filters[].Pattern` strings (OR-ed). */
  readonly filterPatterns: readonly string[];
}

/** Resource types of the template the runtime does not emulate, each with how many there were. */
export interface UnsupportedResource {
  readonly type: string;
  readonly count: number;
  /** What the runtime still takes from it (e.g. a log group's name). */
  readonly note?: string;
}

/** Everything the runtime sets up. Plain data: build it from a template or by hand, copy and edit it freely. */
export interface RuntimePlan {
  /** Stack names the plan came from (for messages). */
  readonly stacks: readonly string[];
  readonly queues: readonly QueuePlan[];
  readonly functions: readonly FunctionPlan[];
  readonly mappings: readonly MappingPlan[];
  readonly unsupported: readonly UnsupportedResource[];
  /** Properties that were dropped or approximated, one sentence each. */
  readonly warnings: readonly string[];
}

/**
 * Finds a function by name, by its `MQS_ROLE` (`producer`, `consumer-1`, …) or by its logical id.
 * @throws Error listing the known names when none matches.
 */
export function findFunction(plan: RuntimePlan, nameOrRole: string): FunctionPlan {
  const found =
    plan.functions.find((fn) => fn.name === nameOrRole) ??
    plan.functions.find((fn) => fn.role === nameOrRole) ??
    plan.functions.find((fn) => fn.logicalId === nameOrRole);
  if (found !== undefined) return found;
  const known = plan.functions.map((fn) => (fn.role === undefined ? fn.name : `${fn.name} (${fn.role})`));
  throw new Error(`no function "${nameOrRole}" in the template; known: ${known.join(', ') || 'none'}`);
}

/** One line naming what the runtime does not emulate, e.g. `IAM::Role ×3, Logs::LogGroup ×3 (log group name taken) are not emulated`. */
export function describeUnsupported(plan: RuntimePlan): string | undefined {
  if (plan.unsupported.length === 0) return undefined;
  const items = plan.unsupported.map((item) => {
    const type = item.type.replace(/^AWS::/, '');
    return `${type}${item.count > 1 ? ` ×${item.count}` : ''}${item.note === undefined ? '' : ` (${item.note})`}`;
  });
  return `${items.join(', ')} ${plan.unsupported.length === 1 && plan.unsupported[0]?.count === 1 ? 'is' : 'are'} not emulated`;
}

/** What {@link overridePlan} may change on a function. */
export interface FunctionOverride {
  /** Variables merged over the template's (e.g. WORK_MS, FAILURE_RATE for a demo run). */
  readonly environment?: Readonly<Record<string, string>>;
  readonly timeoutSeconds?: number;
  readonly memorySizeMb?: number;
}

/** What {@link overridePlan} may change on a mapping. */
export type MappingOverride = Partial<Pick<MappingPlan, 'batchSize' | 'maximumConcurrency' | 'maximumBatchingWindowSeconds' | 'isEnabled'>>;

/**
 * A copy of the plan with settings changed without re-synthesizing: functions keyed by name, MQS_ROLE or logical id;
 * mappings keyed by logical id or by their function's name / role.
 * @throws Error naming the key when it matches no function or mapping.
 */
export function overridePlan(
  plan: RuntimePlan,
  overrides: { readonly functions?: Readonly<Record<string, FunctionOverride>>; readonly mappings?: Readonly<Record<string, MappingOverride>> },
): RuntimePlan {
  const functionChanges = new Map<string, FunctionOverride>();
  for (const [key, change] of Object.entries(overrides.functions ?? {})) functionChanges.set(findFunction(plan, key).name, change);
  const mappingChanges = new Map<string, MappingOverride>();
  for (const [key, change] of Object.entries(overrides.mappings ?? {})) {
    const byId = plan.mappings.filter((mapping) => mapping.logicalId === key);
    const targets = byId.length > 0 ? byId : plan.mappings.filter((mapping) => mapping.functionName === findFunction(plan, key).name);
    if (targets.length === 0) throw new Error(`no event source mapping "${key}"`);
    for (const mapping of targets) mappingChanges.set(mapping.logicalId, change);
  }
  return {
    ...plan,
    functions: plan.functions.map((fn) => {
      const change = functionChanges.get(fn.name);
      if (change === undefined) return fn;
      const { environment, ...rest } = change;
      return { ...fn, ...rest, environment: { ...fn.environment, ...environment } };
    }),
    mappings: plan.mappings.map((mapping) => ({ ...mapping, ...mappingChanges.get(mapping.logicalId) })),
  };
}
