/** @module runtime: the local Lambda runtime's public API (the CLI and `mqs start` import from here only). */
export { type Bindings, createQueues, type QueueBinding, resolveValue, UnboundValueError } from './bindings.ts';
export { loadPlan, readCloudAssembly } from './cdk-out.ts';
export { readHostEnvironment, RUNTIME_DEFAULTS, RUNTIME_ENV } from './config.ts';
export { compileFilters, InvalidFilterPatternError } from './event-filter.ts';
export type { ErrorPayload, InvocationOutcome, ResolvedFunction } from './invocation.ts';
export type { FunctionStats, ThrottledOutcome } from './function-pool.ts';
export { TemplateError } from './intrinsics.ts';
export { billedDurationMs, jsonEvents, logStreamName, textEvents } from './log-format.ts';
export { LOG_FILE_NAME, type LogEvent, type LogEventInput, type LogQuery, LogStore, type LogStreamInfo } from './log-store.ts';
export {
  describeUnsupported,
  findFunction,
  type FunctionOverride,
  type FunctionPlan,
  type MappingOverride,
  type MappingPlan,
  overridePlan,
  type QueuePlan,
  type RuntimePlan,
} from './plan.ts';
export type { BatchReport, MappingStats } from './poller.ts';
export { type InvocationRecord, type InvokeResult, type Runtime, type RuntimeFunction, type RuntimeStats, startRuntime, type StartRuntimeOptions } from './runtime.ts';
export { ensureSynth, type SynthResult } from './synth.ts';
export { planFromTemplate, planFromTemplates, type TemplateSource } from './template.ts';
