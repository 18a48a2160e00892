/**
 * @module runtime/log-format: the platform's CloudWatch events of a Lambda invocation, byte-exact per spec §F.6:
 * INIT_START / START / END / REPORT in Text format, platform.* records in JSON format, and log stream names.
 */
import { createHash, randomBytes } from 'node:crypto';

/** The only version that exists locally. */
export const FUNCTION_VERSION = '$LATEST';

/** What a REPORT line carries. */
export interface ReportMetrics {
  readonly requestId: string;
  readonly durationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  /** Only on the first invocation of an instance (its cold start). */
  readonly initDurationMs?: number;
}

/** How an invocation ended, as `platform.report` says it. */
export const INVOCATION_STATUSES = ['success', 'error', 'timeout'] as const;
export type InvocationStatus = (typeof INVOCATION_STATUSES)[number];

/** The runtime version the INIT events name: the Node.js that really runs the code, not the template's runtime. */
export interface RuntimeVersion {
  /** e.g. `nodejs:20.v19` */
  readonly version: string;
  /** e.g. `arn:aws:lambda:us-east-1::runtime:<64 hex>` */
  readonly arn: string;
}

/** Billed Duration: the duration rounded up to the next whole millisecond (1 ms granularity). */
export function billedDurationMs(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

/** `YYYY/MM/DD/[$LATEST]<32 lowercase hex>`, dated (UTC) when the instance started. */
export function logStreamName(startedAt: Date, hex: string = randomBytes(16).toString('hex')): string {
  const date = startedAt.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${date}/[${FUNCTION_VERSION}]${hex}`;
}

/** The local runtime version: the real Node.js major/minor, with a stable made-up ARN hash. */
export function localRuntimeVersion(region: string, nodeVersion: string = process.versions.node): RuntimeVersion {
  const [major = '0', minor = '0'] = nodeVersion.split('.');
  const hash = createHash('sha256').update(`mqs-local-node-${nodeVersion}`).digest('hex');
  return { version: `nodejs:${major}.v${minor}`, arn: `arn:aws:lambda:${region}::runtime:${hash}` };
}

const twoDecimals = (value: number) => value.toFixed(2);
/** JSON metrics keep two decimals as numbers (3.01, 110.1). */
const round2 = (value: number) => Math.round(value * 100) / 100;

/** Text-format platform events. Each ends with a newline, as CloudWatch stores them. */
export const textEvents = {
  initStart: (runtime: RuntimeVersion) => `INIT_START Runtime Version: ${runtime.version}\tRuntime Version ARN: ${runtime.arn}\n`,
  start: (requestId: string) => `START RequestId: ${requestId} Version: ${FUNCTION_VERSION}\n`,
  end: (requestId: string) => `END RequestId: ${requestId}\n`,
  /** Tabs between fields and a trailing tab; `Init Duration` only on a cold start. */
  report: (metrics: ReportMetrics) =>
    `REPORT RequestId: ${metrics.requestId}\tDuration: ${twoDecimals(metrics.durationMs)} ms\t` +
    `Billed Duration: ${billedDurationMs(metrics.durationMs)} ms\tMemory Size: ${metrics.memorySizeMb} MB\t` +
    `Max Memory Used: ${metrics.maxMemoryUsedMb} MB\t` +
    (metrics.initDurationMs === undefined ? '' : `Init Duration: ${twoDecimals(metrics.initDurationMs)} ms\t`) +
    '\n',
  /** Written after REPORT when the timeout killed the invocation; spaces, not tabs (recorded 2020 output). */
  timedOut: (timeMs: number, requestId: string, durationMs: number) =>
    `${new Date(timeMs).toISOString()} ${requestId} Task timed out after ${(durationMs / 1000).toFixed(2)} seconds\n`,
} as const;

/** JSON-format platform events (Telemetry API records), one JSON object per event, no trailing newline. */
export const jsonEvents = {
  initStart: (timeMs: number, runtime: RuntimeVersion, functionName: string) =>
    JSON.stringify({
      time: new Date(timeMs).toISOString(),
      type: 'platform.initStart',
      record: {
        initializationType: 'on-demand',
        phase: 'init',
        runtimeVersion: runtime.version,
        runtimeVersionArn: runtime.arn,
        functionName,
        functionVersion: FUNCTION_VERSION,
      },
    }),
  start: (timeMs: number, requestId: string) =>
    JSON.stringify({ time: new Date(timeMs).toISOString(), type: 'platform.start', record: { requestId, version: FUNCTION_VERSION } }),
  report: (timeMs: number, metrics: ReportMetrics, status: InvocationStatus, errorType?: string) =>
    JSON.stringify({
      time: new Date(timeMs).toISOString(),
      type: 'platform.report',
      record: {
        requestId: metrics.requestId,
        metrics: {
          durationMs: round2(metrics.durationMs),
          billedDurationMs: billedDurationMs(metrics.durationMs),
          memorySizeMB: metrics.memorySizeMb,
          maxMemoryUsedMB: metrics.maxMemoryUsedMb,
          ...(metrics.initDurationMs === undefined ? {} : { initDurationMs: round2(metrics.initDurationMs) }),
        },
        status,
        ...(errorType === undefined ? {} : { errorType }),
      },
    }),
} as const;
