/** @module protocol/queue-urls: builds the queue URLs we hand out and reads the queue name back from one. */
import { SqsErrors } from './sqs-error.ts';

const SLASH = 47;

/**
 * Queue URLs are `${publicBaseUrl}/${accountId}/${name}`. Reading one back looks only at the last two path
 * segments (account, name) and never at the host (spec §A.0), so URLs from another origin or from AWS's formats work.
 */
export class QueueUrls {
  readonly #prefix: string;
  readonly accountId: string;
  /** The base URL without a trailing slash, e.g. `http://127.0.0.1:9324`. */
  readonly publicBaseUrl: string;

  constructor(publicBaseUrl: string, accountId: string) {
    let base = publicBaseUrl;
    while (base.length > 0 && base.charCodeAt(base.length - 1) === SLASH) base = base.slice(0, -1);
    this.#prefix = `${base}/${accountId}/`;
    this.accountId = accountId;
    this.publicBaseUrl = base;
  }

  /** The URL of queue `name`. */
  urlOf(name: string): string {
    return this.#prefix + name;
  }

  /** The queue URL for a request path `/<account>/<name>` (old SDKs post to the queue URL). */
  urlOfPath(path: string): string {
    return this.publicBaseUrl + path;
  }

  /**
   * The queue name a QueueUrl addresses.
   * @throws SqsError InvalidAddress when no `/<account>/<name>` path can be read; QueueDoesNotExist when the account
   *   is not ours (real SQS answers that for another account's queue it cannot see).
   */
  nameOf(queueUrl: string): string {
    let end = queueUrl.length;
    const query = queueUrl.indexOf('?');
    if (query >= 0) end = query;
    const fragment = queueUrl.indexOf('#');
    if (fragment >= 0 && fragment < end) end = fragment;
    while (end > 0 && queueUrl.charCodeAt(end - 1) === SLASH) end--;
    const nameStart = queueUrl.lastIndexOf('/', end - 1) + 1;
    if (nameStart <= 1 || nameStart === end) throw SqsErrors.invalidAddress(queueUrl);
    const accountStart = queueUrl.lastIndexOf('/', nameStart - 2) + 1;
    if (accountStart === 0) throw SqsErrors.invalidAddress(queueUrl);
    if (queueUrl.slice(accountStart, nameStart - 1) !== this.accountId) throw SqsErrors.queueDoesNotExist();
    return queueUrl.slice(nameStart, end);
  }
}
