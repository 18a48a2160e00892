/** @module test/helpers/raw-http: hand-made AWS JSON 1.0 requests, for inputs the SDK would never send. */
import assert from 'node:assert/strict';

/** A response read in full. */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: Record<string, unknown> | undefined;
}

/** Headers a current SDK sends with every SQS JSON request. */
export const JSON_HEADERS = {
  'content-type': 'application/x-amz-json-1.0',
  'x-amzn-query-mode': 'true',
} as const;

/**
 * POSTs `body` (an object is JSON-encoded, a string or Buffer goes as is) to `url` with
 * `X-Amz-Target: AmazonSQS.<operation>` unless `operation` is null. Never throws on HTTP errors.
 */
export async function postJson(
  url: string,
  operation: string | null,
  body: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...JSON_HEADERS, ...extraHeaders };
  if (operation !== null) headers['x-amz-target'] = `AmazonSQS.${operation}`;
  const payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  const res = await fetch(`${url}/`, { method: 'POST', headers, body: payload });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** What a JSON error answer must carry (spec §A.1). */
export interface ExpectedJsonError {
  status: number;
  /** `__type` suffix after `#`, e.g. `QueueDoesNotExist` or `InvalidParameterValueException`. */
  type?: string;
  /** Legacy code in `x-amzn-query-error`, e.g. `AWS.SimpleQueueService.NonExistentQueue`. */
  queryCode?: string;
  message?: string | RegExp;
}

/**
 * Asserts `res` is a well-formed SQS JSON error: status, JSON body with `__type` and `message`,
 * `x-amzn-query-error: <code>;Sender` and an `x-amzn-requestid` header.
 */
export function assertJsonError(res: RawResponse, expected: ExpectedJsonError): void {
  assert.equal(res.status, expected.status, `status (body: ${res.text.slice(0, 300)})`);
  assert.ok(res.json, `error body is a JSON object: ${res.text.slice(0, 300)}`);
  const type = res.json.__type;
  assert.equal(typeof type, 'string', '__type is a string');
  assert.equal(typeof res.json.message, 'string', 'message is a string');
  if (expected.type) assert.match(String(type), new RegExp(`(^|#)${expected.type}$`));
  const queryError = res.headers.get('x-amzn-query-error');
  assert.ok(queryError, 'x-amzn-query-error header present');
  const fault = expected.status >= 500 ? 'Receiver' : 'Sender';
  if (expected.queryCode) assert.equal(queryError, `${expected.queryCode};${fault}`);
  else assert.match(queryError, new RegExp(`^[A-Za-z.]+;${fault}$`));
  assert.ok(res.headers.get('x-amzn-requestid'), 'x-amzn-requestid header present');
  if (typeof expected.message === 'string') assert.equal(res.json.message, expected.message);
  else if (expected.message) assert.match(String(res.json.message), expected.message);
}
