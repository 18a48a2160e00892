/** @module runtime/function-env: a function plan resolved against the queues: its full environment (spec §F.5) and ARN. */
import { type Bindings, resolveValue } from './bindings.ts';
import type { ResolvedFunction } from './invocation.ts';
import type { HostEnvironment } from './config.ts';
import type { FunctionPlan } from './plan.ts';

/** How the functions reach SQS. */
export interface FunctionEndpoint {
  /** `AWS_ENDPOINT_URL_SQS` (the embedded server); absent for real SQS. */
  readonly endpoint?: string;
  /** Credentials the functions get; dummy ones are used with a local endpoint. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

/** Credentials for a local endpoint: the embedded server accepts any signature. */
export const DUMMY_CREDENTIALS = { accessKeyId: 'AKIAMQSLOCAL00000000', secretAccessKey: 'mqs-local-secret', sessionToken: 'mqs-local-session' } as const;

/**
 * The function with every value resolved and its environment as Lambda builds it: the template's variables, then the
 * reserved ones Lambda sets (they win, as Lambda does not let a function set them): region, credentials, AWS_LAMBDA_*,
 * LAMBDA_TASK_ROOT, _HANDLER, AWS_EXECUTION_ENV. `AWS_LAMBDA_LOG_STREAM_NAME` is added per instance.
 * @throws UnboundValueError when a variable names a queue that was not created.
 */
export function resolveFunction(fn: FunctionPlan, bindings: Bindings, where: FunctionEndpoint, host: HostEnvironment): ResolvedFunction {
  const environment: Record<string, string> = { ...host.basics };
  for (const [name, value] of Object.entries(fn.environment)) environment[name] = resolveValue(value, bindings);
  const credentials = where.credentials ?? (where.endpoint === undefined ? host.credentials : DUMMY_CREDENTIALS);
  const isJson = fn.logging.format === 'JSON';
  Object.assign(environment, {
    ...(where.endpoint === undefined ? {} : { AWS_ENDPOINT_URL_SQS: where.endpoint }),
    AWS_REGION: bindings.region,
    AWS_DEFAULT_REGION: bindings.region,
    ...(credentials === undefined
      ? {}
      : {
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          ...(credentials.sessionToken === undefined ? {} : { AWS_SESSION_TOKEN: credentials.sessionToken }),
        }),
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logging.logGroup,
    AWS_LAMBDA_LOG_FORMAT: fn.logging.format,
    // Lambda sets the level variable only with the JSON format (Powertools Logger reads it).
    ...(isJson ? { AWS_LAMBDA_LOG_LEVEL: fn.logging.applicationLogLevel } : {}),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    LAMBDA_TASK_ROOT: fn.codeDir,
    _HANDLER: fn.handler,
    // The SDK warns once per environment that it will need Node 22; that is about the host running the emulation.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const partition = bindings.partition ?? 'aws';
  return {
    name: fn.name,
    codeDir: fn.codeDir,
    handler: fn.handler,
    runtime: fn.runtime,
    memorySizeMb: fn.memorySizeMb,
    timeoutSeconds: fn.timeoutSeconds,
    environment,
    logging: fn.logging,
    arn: `arn:${partition}:lambda:${bindings.region}:${bindings.accountId}:function:${fn.name}`,
  };
}
