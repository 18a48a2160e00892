/** @module protocol/action-context: what every action gets besides the request body, whatever the protocol. */
import type { Clock, Engine } from '../engine/index.ts';
import type { QueueUrls } from './queue-urls.ts';
import type { JsonObject } from './requests.ts';

/** Per-request services for an action. Built by `http-app.ts`; the lazy members cost nothing when unused. */
export interface ActionContext {
  readonly engine: Engine;
  /** The engine's clock: long-poll deadlines must use the same time as the engine. */
  readonly clock: Clock;
  readonly queueUrls: QueueUrls;
  /** SenderId for messages sent by this request (see `sender-id.ts`). */
  senderId(): string;
  /** The `X-Amzn-Trace-Id` request header, if any. */
  traceHeader(): string | undefined;
  /** Aborted when the client disconnects or the server stops; created on first use (long polls only). */
  longPollSignal(): AbortSignal;
}

/**
 * One SQS operation: parse `body` (AWS JSON member names) with `requests.ts`, call the engine, return the output
 * shape (JSON wire form). Throws `SqsError` or `EngineError`; the edge handler renders both.
 */
export type Action = (ctx: ActionContext, body: JsonObject) => object | Promise<object>;
