/** @module runtime/template: a synthesized CloudFormation template to a RuntimePlan (queues, functions, SQS mappings). */
import { concatParts, evaluate, evaluateRequired, type IntrinsicScope, literalOf, NO_VALUE, TemplateError } from './intrinsics.ts';
import type { PlanValue, QueuePlan, RuntimePlan, UnsupportedResource } from './plan.ts';
import { type AssetSource, functionPlan, mappingPlan, type Resource } from './template-lambda.ts';

/** Queue properties that map one to one onto CreateQueue attributes. */
const QUEUE_SCALAR_ATTRIBUTES = [
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'DelaySeconds',
  'FifoThroughputLimit',
  'KmsDataKeyReusePeriodSeconds',
  'KmsMasterKeyId',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'SqsManagedSseEnabled',
  'VisibilityTimeout',
] as const;

/** Resource types that are read for their names only, or not at all, with what the report says about them. */
const UNSUPPORTED_NOTES: Readonly<Record<string, string>> = {
  'AWS::Logs::LogGroup': 'log group name taken',
  'AWS::SQS::QueuePolicy': 'policies not enforced',
  'AWS::IAM::Role': 'permissions not enforced',
  'AWS::IAM::Policy': 'permissions not enforced',
};
/** Resources that have no effect anywhere (not even on AWS), so listing them would be noise. */
const SILENT_TYPES = new Set(['AWS::CDK::Metadata']);

/** A stack's template and where its code assets are. */
export interface TemplateSource extends AssetSource {
  readonly template: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Builds the plan of one or more stacks. Unsupported resource types are listed in `unsupported`; properties that
 * cannot be emulated are dropped with a line in `warnings`.
 * @throws TemplateError when the template is not a CloudFormation template, or a function's code, handler or
 *   environment cannot be read (a function that would silently run differently is worse than none).
 */
export function planFromTemplates(sources: readonly TemplateSource[]): RuntimePlan {
  const plans = sources.map(planFromTemplate);
  const unsupported = new Map<string, UnsupportedResource>();
  for (const item of plans.flatMap((plan) => plan.unsupported)) {
    const known = unsupported.get(item.type);
    unsupported.set(item.type, { ...item, count: (known?.count ?? 0) + item.count });
  }
  return {
    stacks: plans.flatMap((plan) => plan.stacks),
    queues: plans.flatMap((plan) => plan.queues),
    functions: plans.flatMap((plan) => plan.functions),
    mappings: plans.flatMap((plan) => plan.mappings),
    unsupported: [...unsupported.values()],
    warnings: plans.flatMap((plan) => plan.warnings),
  };
}

/** Builds the plan of one stack. @throws TemplateError as {@link planFromTemplates}. */
export function planFromTemplate(source: TemplateSource): RuntimePlan {
  const { stackName } = source;
  if (!isRecord(source.template) || !isRecord(source.template['Resources'])) {
    throw new TemplateError(stackName, 'not a CloudFormation template (no Resources)');
  }
  const resources = new Map<string, Resource>();
  for (const [id, raw] of Object.entries(source.template['Resources'])) {
    if (!isRecord(raw) || typeof raw['Type'] !== 'string') throw new TemplateError(`${stackName}/${id}`, 'resource without a Type');
    resources.set(id, {
      Type: raw['Type'],
      Properties: isRecord(raw['Properties']) ? raw['Properties'] : {},
      Metadata: isRecord(raw['Metadata']) ? raw['Metadata'] : {},
    });
  }
  const ofType = (type: string) => [...resources].filter(([, resource]) => resource.Type === type);
  const warnings: string[] = [];
  const scope = buildScope(source, ofType);

  const queues = ofType('AWS::SQS::Queue').map(([id, resource]) => queuePlan(id, resource, scope, warnings));
  const functions = ofType('AWS::Lambda::Function').flatMap(([id, resource]) => functionPlan(id, resource, scope, source, warnings));
  const mappings = ofType('AWS::Lambda::EventSourceMapping').flatMap(([id, resource]) => mappingPlan(id, resource, scope, warnings));

  const counts = new Map<string, number>();
  for (const { Type } of resources.values()) {
    if (['AWS::SQS::Queue', 'AWS::Lambda::Function', 'AWS::Lambda::EventSourceMapping'].includes(Type) || SILENT_TYPES.has(Type)) continue;
    counts.set(Type, (counts.get(Type) ?? 0) + 1);
  }
  const unsupported = [...counts].map(([type, count]) => {
    const note = UNSUPPORTED_NOTES[type];
    return note === undefined ? { type, count } : { type, count, note };
  });
  return { stacks: [stackName], queues, functions, mappings, unsupported, warnings };
}

function buildScope(source: TemplateSource, ofType: (type: string) => Array<[string, Resource]>): IntrinsicScope {
  const { stackName } = source;
  const template = source.template as Record<string, unknown>;
  const parameterDefaults = new Map<string, string>();
  if (isRecord(template['Parameters'])) {
    for (const [name, parameter] of Object.entries(template['Parameters'])) {
      const fallback = isRecord(parameter) ? parameter['Default'] : undefined;
      // SSM-typed parameters (CDK's BootstrapVersion) hold a parameter *name*: their value is unknowable offline.
      const isSsm = isRecord(parameter) && String(parameter['Type']).startsWith('AWS::SSM::');
      if ((typeof fallback === 'string' || typeof fallback === 'number') && !isSsm) parameterDefaults.set(name, String(fallback));
    }
  }
  const literalName = (resource: Resource, property: string, fallback: string): string => {
    const value = resource.Properties[property];
    return typeof value === 'string' ? value : fallback;
  };
  const base: IntrinsicScope = {
    stackName,
    queues: new Set(ofType('AWS::SQS::Queue').map(([id]) => id)),
    functionNames: new Map(),
    logGroupNames: new Map(ofType('AWS::Logs::LogGroup').map(([id, resource]) => [id, literalName(resource, 'LogGroupName', `/aws/logs/${stackName}-${id}`)])),
    parameterDefaults,
    mappings: isRecord(template['Mappings']) ? template['Mappings'] : {},
  };
  // Function names may themselves be Fn::Sub of the stack name; evaluate them with the scope built so far.
  const functionNames = new Map<string, string>();
  for (const [id, resource] of ofType('AWS::Lambda::Function')) {
    const raw = resource.Properties['FunctionName'];
    const value = raw === undefined ? undefined : literalOf(evaluateRequired(raw, base, `${stackName}/${id}.FunctionName`));
    functionNames.set(id, value ?? defaultName(stackName, id, 64));
  }
  return { ...base, functionNames };
}

/** CloudFormation-style generated name, stable across runs (AWS adds a random suffix; locally it must not change). */
function defaultName(stackName: string, logicalId: string, maxLength: number, suffix = ''): string {
  const name = `${stackName}-${logicalId}`.replace(/[^A-Za-z0-9_-]/g, '-');
  return name.slice(0, maxLength - suffix.length) + suffix;
}

function queuePlan(id: string, resource: Resource, scope: IntrinsicScope, warnings: string[]): QueuePlan {
  const where = `${scope.stackName}/${id}`;
  const props = resource.Properties;
  const isFifo = props['FifoQueue'] === true || props['FifoQueue'] === 'true';
  const attributes: Record<string, PlanValue> = isFifo ? { FifoQueue: 'true' } : {};
  const dependsOn = new Set<string>();
  const take = (name: string, value: unknown, asJson: boolean) => {
    if (value === undefined) return;
    try {
      const planValue = asJson ? jsonValue(value, scope, `${where}.${name}`) : evaluate(value, scope, `${where}.${name}`);
      if (planValue === NO_VALUE) return;
      if (typeof planValue !== 'string') for (const part of planValue) if (typeof part === 'object' && 'queue' in part) dependsOn.add(part.queue);
      attributes[name] = planValue;
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      warnings.push(`${error.message}; attribute ${name} dropped`);
    }
  };
  for (const name of QUEUE_SCALAR_ATTRIBUTES) take(name, props[name], false);
  take('RedrivePolicy', props['RedrivePolicy'], true);
  take('RedriveAllowPolicy', props['RedriveAllowPolicy'], true);
  const rawName = props['QueueName'];
  const explicitName = rawName === undefined ? undefined : literalOf(evaluateRequired(rawName, scope, `${where}.QueueName`));
  const name = explicitName ?? defaultName(scope.stackName, id, 80, isFifo ? '.fifo' : '');
  const tags: Record<string, string> = {};
  if (Array.isArray(props['Tags'])) {
    for (const tag of props['Tags']) {
      if (isRecord(tag) && typeof tag['Key'] === 'string' && typeof tag['Value'] === 'string') tags[tag['Key']] = tag['Value'];
    }
  }
  dependsOn.delete(id);
  return { logicalId: id, name, isFifo, attributes, tags, dependsOn: [...dependsOn] };
}

/** A JSON-valued property (RedrivePolicy) as text, with intrinsic values inside it kept symbolic. */
function jsonValue(value: unknown, scope: IntrinsicScope, where: string): PlanValue {
  if (typeof value === 'string') return value;
  if (!isRecord(value)) throw new TemplateError(where, 'expected a JSON object');
  const pieces: PlanValue[] = ['{'];
  Object.entries(value).forEach(([key, item], index) => {
    pieces.push(`${index === 0 ? '' : ','}${JSON.stringify(key)}:`);
    if (typeof item === 'number' || typeof item === 'boolean' || item === null || Array.isArray(item)) {
      pieces.push(JSON.stringify(item));
    } else {
      // SQS takes maxReceiveCount as number or string; an intrinsic ARN becomes a JSON string.
      pieces.push('"', evaluateRequired(item, scope, `${where}.${key}`), '"');
    }
  });
  pieces.push('}');
  return concatParts(pieces);
}
