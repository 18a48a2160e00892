/** @module engine/receipt-handle.test: handles round-trip and anything else is refused. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeReceiptHandle, encodeReceiptHandle } from './receipt-handle.ts';

describe('receipt handles', () => {
  it('decode to what was encoded', () => {
    const handle = { queueName: 'orders.fifo', queueCreatedAt: 1767225600000, key: 42, receiveCount: 3, receivedAt: 1767225700000 };
    assert.deepEqual(decodeReceiptHandle(encodeReceiptHandle(handle, 'abcd1234')), handle);
  });
  it('refuse garbage, truncated and foreign handles', () => {
    for (const text of ['garbage', '', 'AQEB', 'AQEB!!!', 'AQEB' + Buffer.from('a\u0000b').toString('base64url')]) {
      assert.equal(decodeReceiptHandle(text), undefined, text);
    }
  });
});
