/** @module runtime/worker/console-format: types of console-format.mjs (the worker-side CloudWatch formatters). */

/** Console levels in priority order. */
export declare const CONSOLE_LEVELS: Readonly<{ TRACE: 1; DEBUG: 2; INFO: 3; WARN: 4; ERROR: 5; FATAL: 6 }>;

/** `<ISO time>\t<requestId>\t<LEVEL>\t<util.format(args)>\n`. */
export declare function formatTextEvent(timeMs: number, requestId: string | undefined, level: string, args: unknown[]): string;

/** `{"timestamp","level","requestId","message"}` (objects embedded, Errors expanded). */
export declare function formatJsonEvent(timeMs: number, requestId: string | undefined, level: string, args: unknown[]): string;

/** `\t{"errorType":…,"errorMessage":…,"stack":[…]}` for the text-format "Invoke Error" line. */
export declare function formatErrorForText(error: Error): string;

/** Anything thrown, as an Error. */
export declare function intoError(thrown: unknown): Error;

/** The `{errorType, errorMessage, trace}` payload of a failed invocation. */
export declare function toErrorPayload(thrown: unknown): { errorType: string; errorMessage: string; trace: string[] };
