/** @module protocol/wire-protocol: the seam between the HTTP edge and one wire protocol (JSON now, query later). */
import type { IncomingHttpHeaders } from 'node:http';
import type { ActionContext } from './action-context.ts';
import type { SqsError } from './sqs-error.ts';

/** What a protocol needs to know about a request before its body is read. */
export interface WireRequestHead {
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  /** The raw query string without `?` (`''` when none). */
  readonly query: string;
  /** Node lower-cases header names, so lookups are case-insensitive. */
  readonly headers: IncomingHttpHeaders;
  /** The queue URL for requests sent to `/<account>/<queue>` (old SDKs post there); `undefined` for `/`. */
  readonly pathQueueUrl: string | undefined;
  readonly requestId: string;
}

export interface WireRequest extends WireRequestHead {
  readonly body: Buffer;
}

/** A rendered answer; the HTTP edge adds the request id, Content-Length and (for errors) `x-amzn-query-error`. */
export interface WireResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

/** One wire protocol. `http-app.ts` asks each in turn whether a request is theirs (spec §A.0 detection). */
export interface WireProtocol {
  readonly name: string;
  /** Whether this request is in this protocol. Must not read the body. */
  matches(head: WireRequestHead): boolean;
  /** Runs the request. Throws SqsError, EngineError or anything else; the edge handler renders errors. */
  handle(ctx: ActionContext, request: WireRequest): Promise<WireResponse>;
  /** The error answer in this protocol's format. Never throws. */
  renderError(error: SqsError, requestId: string): WireResponse;
}
