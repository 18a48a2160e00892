/** @module protocol/sqs-error: the one wire error type; it knows its SQS code, legacy code, HTTP status and renders itself. */

/** Namespace of the errors modelled in the SQS service model (`com.amazonaws.sqs#QueueDoesNotExist`). */
export const SQS_NAMESPACE = 'com.amazonaws.sqs';
/** Namespace AWS's Coral front end uses for errors the SQS model does not declare (spec §A.1 rule 2). */
export const CORAL_NAMESPACE = 'com.amazon.coral.service';

/** What an SqsError needs besides its message. */
export interface SqsErrorInit {
  /** Shape name, the part of `__type` after `#`, e.g. `QueueDoesNotExist` or `InvalidParameterValueException`. */
  code: string;
  /** Legacy query-protocol code for `<Code>` and `x-amzn-query-error`, e.g. `AWS.SimpleQueueService.NonExistentQueue`. */
  queryCode: string;
  httpStatus: number;
  /** `true` for client faults (`Sender`), `false` for server faults (`Receiver`). Defaults to `httpStatus < 500`. */
  senderFault?: boolean;
  /** `SQS_NAMESPACE` (default) or `CORAL_NAMESPACE` for unmodelled errors. */
  namespace?: string;
}

/**
 * An error as the SQS wire protocols report it. Actions and readers throw it; the one edge handler in
 * `http-app.ts` renders it with `toJsonBody()` and `queryErrorHeader()` (and, later, the query protocol's XML).
 */
export class SqsError extends Error {
  override readonly name = 'SqsError';
  readonly code: string;
  readonly queryCode: string;
  readonly httpStatus: number;
  readonly senderFault: boolean;
  readonly namespace: string;

  constructor(init: SqsErrorInit, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = init.code;
    this.queryCode = init.queryCode;
    this.httpStatus = init.httpStatus;
    this.senderFault = init.senderFault ?? init.httpStatus < 500;
    this.namespace = init.namespace ?? SQS_NAMESPACE;
  }

  /** The fully qualified shape id SDKs read from `__type` (they keep only what follows `#`). */
  get typeId(): string {
    return `${this.namespace}#${this.code}`;
  }

  /** The AWS JSON 1.0 error body: `{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"…"}`. */
  toJsonBody(): { __type: string; message: string } {
    return { __type: this.typeId, message: this.message };
  }

  /**
   * The `x-amzn-query-error` header value, e.g. `AWS.SimpleQueueService.NonExistentQueue;Sender`.
   * aws-sdk-js-v3 crashes with a TypeError when this header is missing (spec §A.1 rule 4), so every error carries it.
   */
  queryErrorHeader(): string {
    return `${this.queryCode};${this.senderFault ? 'Sender' : 'Receiver'}`;
  }
}

const coral = (code: string, queryCode: string, httpStatus: number): SqsErrorInit => ({
  code,
  queryCode,
  httpStatus,
  namespace: CORAL_NAMESPACE,
});

/**
 * Named factories for the wire errors raised outside the engine (engine errors go through `engine-error-map.ts`).
 * Each returns a fresh `SqsError`; callers `throw` it.
 */
export const SqsErrors = {
  /** A required member is absent: `MissingParameter` (unmodelled, Coral `MissingRequiredParameterException`). */
  missingParameter: (name: string, options?: ErrorOptions) =>
    new SqsError(
      coral('MissingRequiredParameterException', 'MissingParameter', 400),
      `The request must contain the parameter ${name}.`,
      options,
    ),
  /** A member has a value SQS rejects; `message` is the full AWS text. */
  invalidParameterValue: (message: string, options?: ErrorOptions) =>
    new SqsError(coral('InvalidParameterValueException', 'InvalidParameterValue', 400), message, options),
  /** `X-Amz-Target` names no SQS operation (or is missing). JSON clients see `UnknownOperationException`. */
  unknownOperation: (operation: string) =>
    new SqsError(
      coral('UnknownOperationException', 'InvalidAction', 400),
      `The action ${operation} is not valid for this endpoint.`,
    ),
  /** The request body is not JSON, not an object, or a member has the wrong JSON type (see `requests.ts`). */
  serialization: (message: string, options?: ErrorOptions) =>
    new SqsError(coral('SerializationException', 'SerializationException', 400), message, options),
  /** The request body is larger than the server reads. */
  requestEntityTooLarge: (limitBytes: number) =>
    new SqsError(
      coral('RequestEntityTooLarge', 'RequestEntityTooLarge', 413),
      `Request body is larger than ${limitBytes} bytes.`,
    ),
  /** Neither protocol recognised the request (no `X-Amz-Target`, no `Action`). */
  unsupportedProtocol: () =>
    new SqsError(
      coral('UnknownOperationException', 'InvalidAction', 400),
      'Could not find an operation: send AWS JSON 1.0 (X-Amz-Target: AmazonSQS.<Operation>) requests.',
    ),
  /** A request a web page made a browser send (spec §A.3's unmodelled AccessDeniedException). */
  accessDenied: (reason: string) => new SqsError(coral('AccessDeniedException', 'AccessDenied', 403), reason),
  /** Nothing is served at this path. */
  notFound: (path: string) =>
    new SqsError(
      { code: 'InvalidAddress', queryCode: 'InvalidAddress', httpStatus: 404 },
      `The address ${path} is not valid for this endpoint.`,
    ),
  /** A QueueUrl we cannot read a queue from. */
  invalidAddress: (queueUrl: string) =>
    new SqsError(
      { code: 'InvalidAddress', queryCode: 'InvalidAddress', httpStatus: 404 },
      `The address ${queueUrl} is not valid for this endpoint.`,
    ),
  /** The queue URL names another account, or the queue is unknown to the protocol layer. */
  queueDoesNotExist: () =>
    new SqsError(
      { code: 'QueueDoesNotExist', queryCode: 'AWS.SimpleQueueService.NonExistentQueue', httpStatus: 400 },
      'The specified queue does not exist.',
    ),
  /** Method other than GET/POST: UnsupportedOperation, with its modelled status 400 (spec §A.3). */
  methodNotAllowed: (method: string) =>
    new SqsError(
      { code: 'UnsupportedOperation', queryCode: 'AWS.SimpleQueueService.UnsupportedOperation', httpStatus: 400 },
      `Method ${method} is not allowed; send POST (or GET with a query string).`,
    ),
  /** Any failure that is not the client's: logged once by the edge handler, answered 500 `Receiver`. */
  internalError: (options?: ErrorOptions) =>
    new SqsError(
      coral('InternalFailure', 'InternalFailure', 500),
      'The request processing has failed because of an unknown error, exception or failure.',
      options,
    ),
  /** The server is shutting down and takes no new work. */
  serviceUnavailable: () =>
    new SqsError(coral('ServiceUnavailable', 'ServiceUnavailable', 503), 'The server is shutting down.'),
} as const;
