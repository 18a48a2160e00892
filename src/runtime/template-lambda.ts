/** @module runtime/template-lambda: `AWS::Lambda::Function` and `AWS::Lambda::EventSourceMapping` resources to plan entries. */
import { isAbsolute, resolve } from 'node:path';
import { evaluate, evaluateRequired, type IntrinsicScope, literalOf, NO_VALUE, TemplateError } from './intrinsics.ts';
import {
  APPLICATION_LOG_LEVELS,
  type ApplicationLogLevel,
  type FunctionPlan,
  LOG_FORMATS,
  type LogFormat,
  type MappingPlan,
  type PlanValue,
  SYSTEM_LOG_LEVELS,
  type SystemLogLevel,
} from './plan.ts';

/** Lambda's defaults for properties a template may leave out. */
export const LAMBDA_DEFAULTS = { memorySizeMb: 128, timeoutSeconds: 3, batchSize: 10, logFormat: 'Text', logLevel: 'INFO' } as const;

/** A template resource with its sections made safe to read. */
export interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly Metadata: Record<string, unknown>;
}

/** Where a stack's code assets are. */
export interface AssetSource {
  readonly stackName: string;
  /** Directory relative asset paths (`aws:asset:path` metadata) are resolved against: the cloud assembly (cdk.out). */
  readonly assemblyDir: string;
  /** S3 object key → asset directory, from the stack's asset manifest (used when the metadata is missing). */
  readonly assetsByObjectKey?: ReadonlyMap<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A Node.js function's plan entry (other runtimes are skipped with a warning).
 * @throws TemplateError when its handler, code asset or environment cannot be read.
 */
export function functionPlan(id: string, resource: Resource, scope: IntrinsicScope, source: AssetSource, warnings: string[]): FunctionPlan[] {
  const where = `${scope.stackName}/${id}`;
  const props = resource.Properties;
  const name = scope.functionNames.get(id) ?? id;
  const runtime = typeof props['Runtime'] === 'string' ? props['Runtime'] : '';
  if (!runtime.startsWith('nodejs')) {
    warnings.push(`${where}: function ${name} (runtime "${runtime || 'container image'}") skipped: only Node.js functions run locally`);
    return [];
  }
  const handler = props['Handler'];
  if (typeof handler !== 'string' || !/^[^.]+(\.[^.]+)+$/.test(handler)) throw new TemplateError(`${where}.Handler`, `expected "file.export", got ${JSON.stringify(handler)}`);
  for (const ignored of ['Layers', 'VpcConfig', 'FileSystemConfigs', 'TracingConfig', 'DeadLetterConfig', 'SnapStart']) {
    if (props[ignored] !== undefined) warnings.push(`${where}: ${ignored} of ${name} is not emulated`);
  }
  const environment: Record<string, PlanValue> = {};
  const variables = isRecord(props['Environment']) ? props['Environment']['Variables'] : undefined;
  if (isRecord(variables)) {
    for (const [key, raw] of Object.entries(variables)) {
      const value = evaluate(raw, scope, `${where}.Environment.${key}`);
      if (value !== NO_VALUE) environment[key] = value;
    }
  }
  const logging = isRecord(props['LoggingConfig']) ? props['LoggingConfig'] : {};
  const logGroupValue = logging['LogGroup'] === undefined ? undefined : literalOf(evaluateRequired(logging['LogGroup'], scope, `${where}.LoggingConfig.LogGroup`));
  const role = environment['MQS_ROLE'];
  const reserved = numberOf(props['ReservedConcurrentExecutions'], undefined, `${where}.ReservedConcurrentExecutions`);
  return [
    {
      logicalId: id,
      name,
      codeDir: codeDirOf(id, resource, source),
      handler,
      runtime,
      memorySizeMb: numberOf(props['MemorySize'], LAMBDA_DEFAULTS.memorySizeMb, `${where}.MemorySize`) ?? LAMBDA_DEFAULTS.memorySizeMb,
      timeoutSeconds: numberOf(props['Timeout'], LAMBDA_DEFAULTS.timeoutSeconds, `${where}.Timeout`) ?? LAMBDA_DEFAULTS.timeoutSeconds,
      environment,
      logging: {
        format: oneOf(LOG_FORMATS, logging['LogFormat'], LAMBDA_DEFAULTS.logFormat, `${where}.LoggingConfig.LogFormat`) as LogFormat,
        applicationLogLevel: oneOf(APPLICATION_LOG_LEVELS, logging['ApplicationLogLevel'], LAMBDA_DEFAULTS.logLevel, where) as ApplicationLogLevel,
        systemLogLevel: oneOf(SYSTEM_LOG_LEVELS, logging['SystemLogLevel'], LAMBDA_DEFAULTS.logLevel, where) as SystemLogLevel,
        logGroup: logGroupValue ?? `/aws/lambda/${name}`,
      },
      ...(typeof role === 'string' && role !== '' ? { role } : {}),
      ...(reserved === undefined ? {} : { reservedConcurrency: reserved }),
    },
  ];
}

/** The asset directory: `aws:asset:path` metadata (CDK), else the asset manifest entry whose object key is Code.S3Key. */
function codeDirOf(id: string, resource: Resource, source: AssetSource): string {
  const where = `${source.stackName}/${id}.Code`;
  const code = resource.Properties['Code'];
  const assetPath = resource.Metadata['aws:asset:path'];
  if (typeof assetPath === 'string') return isAbsolute(assetPath) ? assetPath : resolve(source.assemblyDir, assetPath);
  if (isRecord(code) && typeof code['S3Key'] === 'string') {
    const dir = source.assetsByObjectKey?.get(code['S3Key']);
    if (dir !== undefined) return dir;
    throw new TemplateError(where, `no asset in the assembly has object key ${code['S3Key']}`);
  }
  if (isRecord(code) && code['ZipFile'] !== undefined) throw new TemplateError(where, 'inline code (ZipFile) is not supported by the local runtime');
  throw new TemplateError(where, 'expected a code asset (S3Key of a CDK asset)');
}

function numberOf(value: unknown, fallback: number | undefined, where: string): number | undefined {
  if (value === undefined) return fallback;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) throw new TemplateError(where, `expected a number, got ${JSON.stringify(value)}`);
  return number;
}

function oneOf(allowed: readonly string[], value: unknown, fallback: string, where: string): string {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && allowed.includes(value)) return value;
  throw new TemplateError(where, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
}

/**
 * The function a mapping's FunctionName names: a name (`my-fn`), a full ARN (`arn:aws:lambda:…:function:my-fn`) or a
 * partial one (`123456789012:function:my-fn`), each with an optional `:qualifier` (only $LATEST exists locally).
 */
export function functionNameOf(target: string): string {
  const parts = target.split(':');
  if (parts[0] === 'arn') return parts[6] ?? target;
  if (parts.length >= 3 && parts[1] === 'function') return parts[2]!;
  return parts[0]!;
}

/**
 * An SQS event source mapping's plan entry (other sources are skipped with a warning).
 * @throws TemplateError when its function cannot be named.
 */
export function mappingPlan(id: string, resource: Resource, scope: IntrinsicScope, warnings: string[]): MappingPlan[] {
  const where = `${scope.stackName}/${id}`;
  const props = resource.Properties;
  const source = evaluateRequired(props['EventSourceArn'], scope, `${where}.EventSourceArn`);
  const isQueue = typeof source === 'string' ? source.startsWith('arn:') && source.split(':')[2] === 'sqs' : source.some((part) => typeof part === 'object' && 'queue' in part);
  if (!isQueue) {
    warnings.push(`${where}: event source ${JSON.stringify(source)} skipped: only SQS sources are emulated`);
    return [];
  }
  const target = literalOf(evaluateRequired(props['FunctionName'], scope, `${where}.FunctionName`));
  if (target === undefined) throw new TemplateError(`${where}.FunctionName`, 'expected a function name or ARN');
  const functionName = functionNameOf(target);
  const scaling = isRecord(props['ScalingConfig']) ? props['ScalingConfig'] : {};
  const maximumConcurrency = numberOf(scaling['MaximumConcurrency'], undefined, `${where}.ScalingConfig.MaximumConcurrency`);
  const filters = isRecord(props['FilterCriteria']) && Array.isArray(props['FilterCriteria']['Filters']) ? props['FilterCriteria']['Filters'] : [];
  const filterPatterns = filters.flatMap((filter) => (isRecord(filter) && typeof filter['Pattern'] === 'string' ? [filter['Pattern']] : []));
  const responseTypes = Array.isArray(props['FunctionResponseTypes']) ? props['FunctionResponseTypes'] : [];
  for (const ignored of ['DestinationConfig', 'MetricsConfig', 'ProvisionedPollerConfig']) {
    if (props[ignored] !== undefined) warnings.push(`${where}: ${ignored} is not emulated`);
  }
  return [
    {
      logicalId: id,
      functionName,
      eventSourceArn: source,
      batchSize: numberOf(props['BatchSize'], LAMBDA_DEFAULTS.batchSize, `${where}.BatchSize`) ?? LAMBDA_DEFAULTS.batchSize,
      maximumBatchingWindowSeconds: numberOf(props['MaximumBatchingWindowInSeconds'], 0, `${where}.MaximumBatchingWindowInSeconds`) ?? 0,
      ...(maximumConcurrency === undefined ? {} : { maximumConcurrency }),
      isReportingBatchItemFailures: responseTypes.includes('ReportBatchItemFailures'),
      isEnabled: props['Enabled'] !== false && props['Enabled'] !== 'false',
      filterPatterns,
    },
  ];
}
