/**
 * @module test/fuzz/fuzz-case: one fuzzed HTTP request, what answers it may get, and the check of an answer
 * against the SQS JSON 1.0 error contract (spec §A.1, §A.3).
 */
import fc from 'fast-check';
import type { RawReply, RawRequest } from './raw-client.ts';

/** Legacy codes (`x-amzn-query-error` before the `;`) the fuzz tests expect, spec §A.3 plus our edge errors. */
export const CODES = {
  serialization: 'SerializationException',
  missingParameter: 'MissingParameter',
  invalidParameterValue: 'InvalidParameterValue',
  nonExistentQueue: 'AWS.SimpleQueueService.NonExistentQueue',
  invalidAddress: 'InvalidAddress',
  invalidMessageContents: 'InvalidMessageContents',
  receiptHandleIsInvalid: 'ReceiptHandleIsInvalid',
  invalidAttributeName: 'InvalidAttributeName',
  invalidAttributeValue: 'InvalidAttributeValue',
  queueAlreadyExists: 'QueueAlreadyExists',
  emptyBatchRequest: 'AWS.SimpleQueueService.EmptyBatchRequest',
  tooManyEntriesInBatchRequest: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  batchEntryIdsNotDistinct: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  invalidBatchEntryId: 'AWS.SimpleQueueService.InvalidBatchEntryId',
  batchRequestTooLong: 'AWS.SimpleQueueService.BatchRequestTooLong',
  resourceNotFound: 'ResourceNotFoundException',
  overLimit: 'OverLimit',
  /** Unknown operation (JSON clients see `__type` UnknownOperationException). */
  invalidAction: 'InvalidAction',
  requestEntityTooLarge: 'RequestEntityTooLarge',
} as const;
export type Code = (typeof CODES)[keyof typeof CODES];

/** HTTP statuses an SQS client error may carry (spec §A.3) plus 413 for a body over the server's cap. */
export const CLIENT_ERROR_STATUSES: ReadonlySet<number> = new Set([400, 403, 404, 413]);

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** A request body as the generators describe it; turned into bytes only when sent (keeps counterexamples short). */
export type BodySpec =
  | { kind: 'json'; value: unknown }
  /** Exact text (truncated JSON, non-object JSON, ...). */
  | { kind: 'text'; text: string }
  /** `JSON.stringify(value)` with `bytes` spliced in at byte offset `at` (invalid UTF-8). */
  | { kind: 'splice'; value: unknown; at: number; bytes: number[] }
  | { kind: 'bytes'; bytes: number[] }
  /** A JSON object whose `member` is a string of `size` copies of `fill`; `size` may exceed the body cap. */
  | { kind: 'huge'; base: Record<string, unknown>; member: string; size: number; fill: string };

/** What a fuzzed request may be answered with. */
export interface Expectation {
  /** Acceptable legacy codes of an error answer; `undefined`: any well-formed SQS client error. */
  codes?: readonly string[];
  /** A 200 is acceptable (the request may be valid after all). State-changing actions then lose the no-change check. */
  isAcceptAllowed?: boolean;
  /**
   * Batch actions whose every entry was made invalid: a 200 whose `Successful` is empty and whose `Failed` lists
   * every entry with one of these codes is the expected SQS answer (spec §B SendMessageBatch) and changes nothing.
   */
  entryCodes?: readonly string[];
  /** The number of entries the request carries (for `entryCodes`). */
  entryCount?: number;
}

/** One request the fuzz tests send. */
export interface FuzzCase {
  /** The operation the request is built from (not necessarily its X-Amz-Target). */
  action: string;
  /** Which mutations made it. */
  label: string;
  /** `undefined`: no X-Amz-Target header. */
  target: string | undefined;
  /** `undefined`: no Content-Type header. */
  contentType: string | undefined;
  body: BodySpec;
  isChunked: boolean;
  expect: Expectation;
  /** `xml`: a query-protocol request (spec §A.2), answered in XML. Default: AWS JSON 1.0. */
  format?: 'xml';
  /**
   * For JSON cases made only of mutations that mean the same on the query protocol (no JSON type errors, no
   * per-entry batch failures, no lone surrogates): the query tests send it again as a form.
   */
  isQueryTransferable?: boolean;
}

function preview(text: string, max = 240): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length} chars)`;
}

function describeBody(body: BodySpec): string {
  switch (body.kind) {
    case 'json':
      return preview(JSON.stringify(body.value) ?? 'undefined');
    case 'text':
      return `text ${preview(JSON.stringify(body.text))}`;
    case 'splice':
      return `${preview(JSON.stringify(body.value))} with bytes [${body.bytes.join(',')}] at ${body.at}`;
    case 'bytes':
      return `bytes [${preview(body.bytes.join(','))}]`;
    case 'huge':
      return `${preview(JSON.stringify(body.base))} with ${body.member} = ${JSON.stringify(body.fill)} x ${body.size}`;
  }
}

/** A short, readable description of a case (used in failure messages and by fast-check when it reports one). */
export function describeCase(c: FuzzCase): string {
  return (
    `${c.action} [${c.label}] target=${c.target ?? '(none)'} content-type=${c.contentType ?? '(none)'}` +
    `${c.isChunked ? ' chunked' : ''} body=${describeBody(c.body)} expect=${JSON.stringify(c.expect)}`
  );
}

/** Adds fast-check's toString hook so counterexamples print as `describeCase`. */
export function withDescription(c: FuzzCase): FuzzCase {
  Object.defineProperty(c, fc.toStringMethod, { value: () => describeCase(c), enumerable: false });
  return c;
}

function bodyBytes(body: BodySpec): Buffer {
  switch (body.kind) {
    case 'json':
      return Buffer.from(JSON.stringify(body.value) ?? '', 'utf8');
    case 'text':
      return Buffer.from(body.text, 'utf8');
    case 'splice': {
      const json = Buffer.from(JSON.stringify(body.value) ?? '', 'utf8');
      const at = Math.min(body.at, json.length);
      return Buffer.concat([json.subarray(0, at), Buffer.from(body.bytes), json.subarray(at)]);
    }
    case 'bytes':
      return Buffer.from(body.bytes);
    case 'huge': {
      const marker = '\u0000HUGE\u0000';
      const [head, tail] = JSON.stringify({ ...body.base, [body.member]: marker }).split(JSON.stringify(marker)) as [string, string];
      return Buffer.concat([
        Buffer.from(`${head}"`, 'utf8'),
        Buffer.alloc(body.size, body.fill),
        Buffer.from(`"${tail}`, 'utf8'),
      ]);
    }
  }
}

/** The bytes and headers of a case. */
export function toRawRequest(c: FuzzCase): RawRequest {
  const headers: Record<string, string> = { 'x-amzn-query-mode': 'true' };
  if (c.contentType !== undefined) headers['content-type'] = c.contentType;
  if (c.target !== undefined) headers['x-amz-target'] = c.target;
  return { headers, body: bodyBytes(c.body), isChunked: c.isChunked };
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A query-protocol (XML) error (spec §A.2): `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…`. */
const XML_ERROR = /^(<\?xml[^>]*\?>)?\s*<ErrorResponse[^>]*>\s*<Error>\s*<Type>Sender<\/Type>\s*<Code>[^<]+<\/Code>\s*<Message>[^<]*<\/Message>[\s\S]*<RequestId>[^<]+<\/RequestId>[\s\S]*<\/ErrorResponse>\s*$/;

/**
 * The problems with an error answer's shape: empty when it is a well-formed SQS JSON error (spec §A.1). With
 * `isXmlAllowed` (a request that did not say it speaks JSON: no X-Amz-Target, no JSON content type) a query-protocol XML
 * error (spec §A.2) is well-formed too.
 */
export function errorShapeProblems(reply: RawReply, isXmlAllowed = false): string[] {
  const problems: string[] = [];
  if (!CLIENT_ERROR_STATUSES.has(reply.status)) problems.push(`status ${reply.status} is not 400/403/404/413`);
  if (!reply.headers['x-amzn-requestid']) problems.push('no x-amzn-requestid header');
  const queryError = reply.headers['x-amzn-query-error'];
  if (queryError === undefined || !/^[A-Za-z][A-Za-z0-9.]*;Sender$/.test(queryError)) {
    problems.push(`x-amzn-query-error is ${JSON.stringify(queryError)}, not "<Code>;Sender"`);
  }
  if (isXmlAllowed && reply.headers['content-type']?.startsWith('text/xml')) {
    if (!XML_ERROR.test(reply.text)) problems.push(`malformed XML error: ${preview(reply.text)}`);
    return problems;
  }
  if (reply.headers['content-type'] !== JSON_CONTENT_TYPE) problems.push(`content-type ${reply.headers['content-type']}`);
  const json = parseJsonObject(reply.text);
  if (json === undefined) {
    problems.push(`body is not a JSON object: ${preview(reply.text)}`);
  } else {
    if (typeof json.__type !== 'string' || !/^[A-Za-z.]+#[A-Za-z]+$/.test(json.__type)) {
      problems.push(`__type ${JSON.stringify(json.__type)} is not "<namespace>#<Shape>"`);
    }
    if (typeof json.message !== 'string') problems.push('message is not a string');
  }
  return problems;
}

/** The legacy code of an error answer, or undefined. */
export function queryCodeOf(reply: RawReply): string | undefined {
  return reply.headers['x-amzn-query-error']?.split(';')[0];
}

/** Problems with a 200 answer: it must be a JSON object with a request id. */
export function successShapeProblems(reply: RawReply): string[] {
  const problems: string[] = [];
  if (!reply.headers['x-amzn-requestid']) problems.push('no x-amzn-requestid header');
  if (reply.headers['content-type'] !== JSON_CONTENT_TYPE) problems.push(`content-type ${reply.headers['content-type']}`);
  if (parseJsonObject(reply.text) === undefined) problems.push(`200 body is not a JSON object: ${preview(reply.text)}`);
  return problems;
}

/** Problems with a query-protocol 200: `text/xml`, `<{Operation}Response>` with a request id (spec §A.2). */
function xmlSuccessProblems(c: FuzzCase, reply: RawReply): string[] {
  const problems: string[] = [];
  if (!reply.headers['x-amzn-requestid']) problems.push('no x-amzn-requestid header');
  if (!reply.headers['content-type']?.startsWith('text/xml')) problems.push(`content-type ${reply.headers['content-type']}`);
  const root = /^(<\?xml[^>]*\?>)?\s*<([A-Za-z]+)Response[\s>]/.exec(reply.text);
  if (root === null || !/<ResponseMetadata>\s*<RequestId>[^<]+<\/RequestId>\s*<\/ResponseMetadata>\s*<\/[A-Za-z]+Response>\s*$/.test(reply.text)) {
    problems.push(`200 body is not an <OperationResponse> document: ${preview(reply.text)}`);
  } else if (c.target === undefined && !reply.text.includes(`<${root[2]}Response`)) {
    problems.push('malformed XML root');
  }
  return problems;
}

/** Whether a 200 batch answer failed every entry with an acceptable code and succeeded none (so nothing changed). */
function allEntriesFailedProblems(reply: RawReply, expect: Expectation): string[] {
  const json = parseJsonObject(reply.text);
  if (json === undefined) return [`200 body is not a JSON object: ${preview(reply.text)}`];
  const successful = json.Successful;
  const failed = json.Failed;
  const problems: string[] = [];
  if (!Array.isArray(successful) || successful.length !== 0) problems.push(`Successful is ${preview(JSON.stringify(successful))}, expected []`);
  if (!Array.isArray(failed) || failed.length !== expect.entryCount) {
    problems.push(`Failed has ${Array.isArray(failed) ? failed.length : 'no'} entries, expected ${expect.entryCount}`);
    return problems;
  }
  for (const entry of failed as unknown[]) {
    const e = (entry ?? {}) as Record<string, unknown>;
    if (typeof e.Id !== 'string' || e.SenderFault !== true || typeof e.Message !== 'string') {
      problems.push(`malformed Failed entry ${JSON.stringify(entry)}`);
    } else if (!expect.entryCodes!.includes(String(e.Code))) {
      problems.push(`Failed entry code ${String(e.Code)} not in ${expect.entryCodes!.join('|')}`);
    }
  }
  return problems;
}

/**
 * Everything wrong with `reply` as the answer to `c`: status, error shape, legacy code, and (for 200s) whether a
 * 200 was acceptable at all. Empty when the answer is right.
 */
export function replyProblems(c: FuzzCase, reply: RawReply): string[] {
  if (reply.status === 200) {
    const shape = c.format === 'xml' ? xmlSuccessProblems(c, reply) : successShapeProblems(reply);
    if (shape.length > 0) return shape;
    if (c.expect.isAcceptAllowed === true) return [];
    if (c.expect.entryCodes !== undefined) return allEntriesFailedProblems(reply, c.expect);
    return [`accepted (200) an invalid request: ${preview(reply.text)}`];
  }
  const isJsonRequest = c.target !== undefined || (c.contentType ?? '').toLowerCase().startsWith('application/x-amz-json');
  const problems = errorShapeProblems(reply, !isJsonRequest);
  if (c.format === 'xml' && !reply.headers['content-type']?.startsWith('text/xml')) problems.push('a query request got a non-XML error');
  const code = queryCodeOf(reply);
  const accepted = [...(c.expect.codes ?? []), ...(c.expect.entryCodes ?? [])];
  if (c.expect.codes !== undefined && code !== undefined && !accepted.includes(code)) {
    problems.push(`error code ${code} (${preview(reply.text, 160)}) not in ${accepted.join('|')}`);
  }
  return problems;
}
