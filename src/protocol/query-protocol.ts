/**
 * @module protocol/query-protocol: the AWS query protocol (`Action=<Op>` form or query-string parameters in, XML out),
 * which the AWS CLI 2.9, boto3 1.26, aws-sdk-js-v3 before 3.447, the JS v2, Java v1 and PHP SDKs speak (spec §A.2).
 * It shares the actions with the JSON protocol: the parameters are read into the same JSON-shaped input object.
 */
import type { ActionContext } from './action-context.ts';
import { findOperation, type OperationName } from './operations.ts';
import { QueryErrors } from './query-errors.ts';
import { addFormParameters, emptyParameterTree, formBodyText, queryInputOf } from './query-request.ts';
import { QUERY_INPUT_SHAPES } from './query-shapes.ts';
import { renderQueryError, renderQueryResult, XML_CONTENT_TYPE } from './query-xml.ts';
import { SqsError, SqsErrors } from './sqs-error.ts';
import type { WireProtocol, WireRequest, WireRequestHead, WireResponse } from './wire-protocol.ts';

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
const ACTION_KEY = 'Action=';
const SHAPES: Readonly<Record<string, (typeof QUERY_INPUT_SHAPES)[OperationName]>> = QUERY_INPUT_SHAPES;

/** Whether a raw query string has an `Action` parameter (`Action=` at its start or after `&`). */
function hasActionParameter(query: string): boolean {
  if (query.startsWith(ACTION_KEY)) return true;
  return query.includes(`&${ACTION_KEY}`);
}

function isFormContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.toLowerCase().startsWith(FORM_CONTENT_TYPE);
}

/**
 * The query protocol. Tried after JSON (spec §A.0): it takes what is left when the query string carries `Action=` or
 * the body is form-encoded (every query client sends `Content-Type: application/x-www-form-urlencoded`); a form body
 * without `Action` is answered `MissingAction` in XML. Other bodies without `X-Amz-Target` are left to the JSON
 * protocol's "unknown operation" answer.
 */
export const queryProtocol: WireProtocol = {
  name: 'query',

  matches(head: WireRequestHead): boolean {
    return hasActionParameter(head.query) || isFormContentType(head.headers['content-type']);
  },

  async handle(ctx: ActionContext, request: WireRequest): Promise<WireResponse> {
    const tree = emptyParameterTree();
    // A POST may carry parameters in both places (AWS merges them); the query string's come first.
    if (request.query.length > 0) addFormParameters(tree, request.query);
    // A body that is not form-encoded (a GET with Action in its query string and something else attached) is not ours
    // to read.
    const contentType = request.headers['content-type'];
    if (request.body.length > 0 && (contentType === undefined || isFormContentType(contentType))) {
      addFormParameters(tree, formBodyText(request.body));
    }
    const name = tree['Action'];
    if (name === undefined || name === '' || typeof name !== 'string') throw QueryErrors.missingAction();
    const action = findOperation(name);
    const shape = SHAPES[name];
    if (action === undefined || shape === undefined) throw SqsErrors.unknownOperation(name);

    let input = queryInputOf(shape, tree);
    // Old clients post to the queue URL and may leave QueueUrl out: the path names the queue.
    if (request.pathQueueUrl !== undefined && input['QueueUrl'] === undefined) {
      input = { ...input, QueueUrl: request.pathQueueUrl };
    }
    let output: object;
    try {
      output = await action(ctx, input);
    } catch (error) {
      // requests.ts speaks of JSON types; on this protocol the one such failure left is a BinaryValue that is not
      // base64, which SQS reports as an invalid parameter value.
      if (error instanceof SqsError && error.code === 'SerializationException') {
        throw SqsErrors.invalidParameterValue(error.message, { cause: error });
      }
      throw error;
    }
    return {
      status: 200,
      contentType: XML_CONTENT_TYPE,
      body: Buffer.from(renderQueryResult(name, output, request.requestId), 'utf8'),
    };
  },

  renderError(error: SqsError, requestId: string): WireResponse {
    return {
      status: error.httpStatus,
      contentType: XML_CONTENT_TYPE,
      body: Buffer.from(renderQueryError(error, requestId), 'utf8'),
    };
  },
};
