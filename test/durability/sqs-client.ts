/** @module test/durability/sqs-client: SDK clients for a server process that a test may kill at any moment. */
import { SQSClient } from '@aws-sdk/client-sqs';
import { TEST_CLIENT_CONFIG } from '../helpers/start.ts';

/** Bound on one request; a request to a killed server fails at once, this only guards against a hung socket. */
const REQUEST_TIMEOUT_MS = 15_000;
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * An SQS client for `url` with retries off (a request cut by the crash must surface as an error, not be replayed
 * against the restarted server) and bounded timeouts.
 */
export function createDurabilityClient(url: string): SQSClient {
  return new SQSClient({
    ...TEST_CLIENT_CONFIG,
    endpoint: url,
    maxAttempts: 1,
    requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: CONNECT_TIMEOUT_MS },
  });
}

/** What the SDK puts on an error that came from an HTTP answer (service errors), absent on network errors. */
interface AnsweredError {
  $metadata: { httpStatusCode?: number };
}

/**
 * Whether the server answered the failed request (an SQS error response), as opposed to the request dying with the
 * connection (ECONNRESET, ECONNREFUSED, a timeout), after which its effect on the server is unknown.
 */
export function wasAnswered(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return false;
  const status = (error as AnsweredError).$metadata.httpStatusCode;
  return typeof status === 'number' && status > 0;
}
