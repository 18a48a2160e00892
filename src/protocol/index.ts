/** @module protocol: the SQS wire protocols (AWS JSON 1.0 and query/XML) over node:http; the server imports only this file. */
export { createHttpApp, MAX_REQUEST_BODY_BYTES } from './http-app.ts';
export type { AdminRequest, AdminRouteHandler, HttpApp, HttpAppLogger, HttpAppOptions } from './http-app.ts';
export { jsonProtocol, JSON_CONTENT_TYPE } from './json-protocol.ts';
export { QueueUrls } from './queue-urls.ts';
export { SqsError, SqsErrors } from './sqs-error.ts';
export { sqsErrorFromEngine, wireErrorOf } from './engine-error-map.ts';
export { OPERATIONS, findOperation, type OperationName } from './operations.ts';
export { DEFAULT_SENDER_ID } from './sender-id.ts';
export type { ActionContext, Action } from './action-context.ts';
export type { WireProtocol, WireRequest, WireRequestHead, WireResponse } from './wire-protocol.ts';
export { queryProtocol } from './query-protocol.ts';
export { QUERY_XML_NAMESPACE, XML_CONTENT_TYPE } from './query-xml.ts';
export { AccessKeysError, parseAccessKeys, type AccessKeys } from './auth/access-keys.ts';
export { createSigV4Verifier, MAX_CLOCK_SKEW_MS, type RequestAuthenticator } from './auth/sigv4-verifier.ts';
export { createAdminRoutes, QueueAdmin, type AdminRoutesOptions, type PeekedMessage, type QueueDetail, type QueueSummary } from './admin-routes.ts';
export { AdminHttpError, adminSegments, intParam, numberParam, sendAdminError, sendJson } from './admin-http.ts';
export { QUEUE_ACTIVITY_DEFAULTS, QUEUE_HISTORY_COLUMNS, QueueActivity, type QueueActivityOptions, type QueueHistory, type QueueRates } from './queue-activity.ts';
export { SeriesRing, type Columns } from './series-ring.ts';
