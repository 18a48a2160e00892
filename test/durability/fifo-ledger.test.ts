/** @module test/durability/fifo-ledger.test: the kill -9 test's checker catches loss, reordering and resurrection. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DELETE_OUTCOMES, type DeliveredMessage, FifoLedger } from './fifo-ledger.ts';

const CRASH_RUN = 1;

function msg(group: string, seq: number, receiveCount = 1): DeliveredMessage {
  return { group, seq, messageId: `${group}-${seq}-id`, receiveCount, sequenceNumber: `${seq}` };
}

/** A ledger where g sent 1..n, all acknowledged. */
function ledgerWithSends(n: number, group = 'g'): FifoLedger {
  const ledger = new FifoLedger();
  for (let seq = 1; seq <= n; seq++) {
    ledger.sendAttempted({ group, seq });
    ledger.sendAcked({ group, seq }, `${group}-${seq}-id`, `${seq}`);
  }
  return ledger;
}

describe('FifoLedger', () => {
  it('accepts in-order delivery with a redelivery of a message in flight at the crash', () => {
    const ledger = ledgerWithSends(3);
    ledger.received(1, [msg('g', 1), msg('g', 2)]);
    ledger.deleted(1, msg('g', 1), DELETE_OUTCOMES.confirmed);
    ledger.deleted(1, msg('g', 2), DELETE_OUTCOMES.unknown);
    // After the restart: 2 comes back (its delete had no answer), then 3.
    ledger.received(2, [msg('g', 2, 2), msg('g', 3)]);
    ledger.deleted(2, msg('g', 2), DELETE_OUTCOMES.confirmed);
    ledger.deleted(2, msg('g', 3), DELETE_OUTCOMES.confirmed);
    assert.deepEqual(ledger.violations(CRASH_RUN), []);
    assert.equal(ledger.isEveryAckedMessageDeleted(), true);
  });

  it('reports an acknowledged message that never comes back', () => {
    const ledger = ledgerWithSends(2);
    ledger.received(1, [msg('g', 1)]);
    ledger.deleted(1, msg('g', 1), DELETE_OUTCOMES.confirmed);
    assert.match(ledger.violations(CRASH_RUN).join('\n'), /lost: g#2/);
  });

  it('reports a message in flight at the crash that is not delivered after the restart', () => {
    const ledger = ledgerWithSends(1);
    ledger.received(1, [msg('g', 1)]);
    assert.match(ledger.violations(CRASH_RUN).join('\n'), /lost: g#1 .* not delivered after the restart/);
  });

  it('reports a later message delivered before an earlier one was consumed', () => {
    const ledger = ledgerWithSends(2);
    ledger.received(2, [msg('g', 2)]);
    ledger.received(2, [msg('g', 1)]);
    assert.match(ledger.violations(CRASH_RUN).join('\n'), /delivered g#2 while g#1 was never deleted/);
  });

  it('reports a later message delivered while an earlier one with an unanswered delete comes back after it', () => {
    const ledger = ledgerWithSends(2);
    ledger.received(1, [msg('g', 1)]);
    ledger.deleted(1, msg('g', 1), DELETE_OUTCOMES.unknown);
    ledger.received(2, [msg('g', 2)]);
    ledger.received(2, [msg('g', 1, 2)]);
    assert.match(ledger.violations(CRASH_RUN).join('\n'), /delivered g#2 while g#1 was not deleted \(failed\)/);
  });

  it('reports a message delivered again after its delete was confirmed', () => {
    const ledger = ledgerWithSends(1);
    ledger.received(1, [msg('g', 1)]);
    ledger.deleted(1, msg('g', 1), DELETE_OUTCOMES.confirmed);
    ledger.received(2, [msg('g', 1, 2)]);
    assert.match(ledger.violations(CRASH_RUN).join('\n'), /again after its delete was confirmed/);
  });

  it('reports a redelivery whose receive count did not grow, and a changed MessageId', () => {
    const ledger = ledgerWithSends(1);
    ledger.received(1, [msg('g', 1, 1)]);
    ledger.received(2, [{ ...msg('g', 1, 1), messageId: 'other' }]);
    const text = ledger.violations(CRASH_RUN).join('\n');
    assert.match(text, /ApproximateReceiveCount 1, not above the previous 1/);
    assert.match(text, /another MessageId/);
  });

  it('allows an unanswered send to be either present or absent, but not out of order', () => {
    const ledger = ledgerWithSends(1);
    ledger.sendAttempted({ group: 'g', seq: 2 });
    ledger.received(2, [msg('g', 1)]);
    ledger.deleted(2, msg('g', 1), DELETE_OUTCOMES.confirmed);
    assert.deepEqual(ledger.violations(CRASH_RUN), [], 'absent');
    ledger.received(2, [msg('g', 2)]);
    assert.deepEqual(ledger.violations(CRASH_RUN), [], 'present, after 1');
  });
});
