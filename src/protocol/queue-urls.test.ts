/** @module protocol/queue-urls.test: queue URLs are built from the public base and read back from the last two segments. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueueUrls } from './queue-urls.ts';
import { SqsError } from './sqs-error.ts';

const urls = new QueueUrls('http://127.0.0.1:9324/', '000000000000');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof SqsError ? error.code : 'not an SqsError';
  }
  return undefined;
}

describe('QueueUrls', () => {
  it('builds URLs from the base without a doubled slash', () => {
    assert.equal(urls.urlOf('orders.fifo'), 'http://127.0.0.1:9324/000000000000/orders.fifo');
  });

  it('reads the name from any host, AWS formats included', () => {
    assert.equal(urls.nameOf('http://127.0.0.1:9324/000000000000/orders.fifo'), 'orders.fifo');
    assert.equal(urls.nameOf('https://sqs.eu-west-1.amazonaws.com/000000000000/q'), 'q');
    assert.equal(urls.nameOf('http://other:1/000000000000/q/'), 'q');
    assert.equal(urls.nameOf('http://localhost/000000000000/q?x=1#f'), 'q');
  });

  it('answers QueueDoesNotExist for another account and InvalidAddress for no path', () => {
    assert.equal(codeOf(() => urls.nameOf('http://h/123456789012/q')), 'QueueDoesNotExist');
    assert.equal(codeOf(() => urls.nameOf('q')), 'InvalidAddress');
    assert.equal(codeOf(() => urls.nameOf('')), 'InvalidAddress');
    assert.equal(codeOf(() => urls.nameOf('/q')), 'InvalidAddress');
  });
});
