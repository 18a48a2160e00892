/** @module protocol/json-protocol: AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Operation>`), what current SDKs send. */
import { isUtf8 } from 'node:buffer';
import type { ActionContext } from './action-context.ts';
import { findOperation } from './operations.ts';
import { isJsonObject, type JsonObject } from './requests.ts';
import { SqsErrors, type SqsError } from './sqs-error.ts';
import type { WireProtocol, WireRequest, WireRequestHead, WireResponse } from './wire-protocol.ts';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const TARGET_PREFIX = 'AmazonSQS.';
const JSON_CONTENT_TYPE_PREFIX = 'application/x-amz-json';
const EMPTY_OBJECT_BODY = Buffer.from('{}');

/**
 * Decodes a JSON request body once. An empty body counts as `{}`.
 * @throws SqsError SerializationException when the bytes are not UTF-8, not JSON, or not a JSON object.
 */
export function parseJsonBody(body: Buffer): JsonObject {
  if (body.length === 0) return {};
  if (!isUtf8(body)) throw SqsErrors.serialization('The request body is not valid UTF-8.');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw SqsErrors.serialization(`The request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (!isJsonObject(value)) throw SqsErrors.serialization('The request body must be a JSON object.');
  return value;
}

function operationName(head: WireRequestHead): string | undefined {
  const target = head.headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
}

/** The AWS JSON 1.0 protocol. */
export const jsonProtocol: WireProtocol = {
  name: 'json',

  /** JSON when `X-Amz-Target` is present or the content type is `application/x-amz-json-*` (spec §A.0). */
  matches(head: WireRequestHead): boolean {
    if (head.headers['x-amz-target'] !== undefined) return true;
    const contentType = head.headers['content-type'];
    return contentType !== undefined && contentType.toLowerCase().startsWith(JSON_CONTENT_TYPE_PREFIX);
  },

  async handle(ctx: ActionContext, request: WireRequest): Promise<WireResponse> {
    const name = operationName(request);
    const action = name === undefined ? undefined : findOperation(name);
    if (action === undefined) {
      const target = request.headers['x-amz-target'];
      throw SqsErrors.unknownOperation(typeof target === 'string' ? target : '(no X-Amz-Target header)');
    }
    let body = parseJsonBody(request.body);
    // Old clients post to the queue URL; LocalStack and SQS then take the queue from the path.
    if (request.pathQueueUrl !== undefined && body['QueueUrl'] === undefined) {
      body = { ...body, QueueUrl: request.pathQueueUrl };
    }
    const output = await action(ctx, body);
    const text = JSON.stringify(output);
    return {
      status: 200,
      contentType: JSON_CONTENT_TYPE,
      body: text === '{}' ? EMPTY_OBJECT_BODY : Buffer.from(text, 'utf8'),
    };
  },

  renderError(error: SqsError): WireResponse {
    return {
      status: error.httpStatus,
      contentType: JSON_CONTENT_TYPE,
      body: Buffer.from(JSON.stringify(error.toJsonBody()), 'utf8'),
    };
  },
};
