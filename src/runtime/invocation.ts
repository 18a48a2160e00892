/** @module runtime/invocation: the data of an invocation: the resolved function it runs, its outcome, its error payload. */
import type { InvocationStatus } from './log-format.ts';
import type { LoggingPlan } from './plan.ts';

/** The error payload of a failed invocation, as Lambda returns it. */
export interface ErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** A function with every value resolved: what an instance needs to run it. */
export interface ResolvedFunction {
  readonly name: string;
  readonly codeDir: string;
  readonly handler: string;
  readonly runtime: string;
  readonly memorySizeMb: number;
  readonly timeoutSeconds: number;
  /** The complete worker environment (function variables plus the AWS_* ones the runtime adds). */
  readonly environment: Readonly<Record<string, string>>;
  readonly logging: LoggingPlan;
  readonly arn: string;
}

/** How one invocation went. */
export interface InvocationOutcome {
  readonly requestId: string;
  readonly status: InvocationStatus;
  /** The function's result as JSON text (`null` for undefined); absent on error and timeout. */
  readonly payload?: string;
  readonly error?: ErrorPayload;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  /** Present on an instance's first invocation only (a cold start). */
  readonly initDurationMs?: number;
  readonly maxMemoryUsedMb: number;
  readonly instanceId: string;
  readonly logStream: string;
  readonly startedAt: number;
  readonly endedAt: number;
}
