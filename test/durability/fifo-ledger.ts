/**
 * @module test/durability/fifo-ledger: what clients of a FIFO queue saw across a crash (sends, receives, deletes),
 * and the check that no acknowledged message was lost, resurrected or delivered out of its group's order.
 */

/** A message's place in its group: the sender numbers each group's messages 1, 2, 3, ... in send order. */
export interface GroupSeq {
  group: string;
  seq: number;
}

/** One message as a ReceiveMessage response returned it. */
export interface DeliveredMessage extends GroupSeq {
  messageId: string;
  /** ApproximateReceiveCount as the server reported it. */
  receiveCount: number;
  /** The SequenceNumber system attribute. */
  sequenceNumber: string;
}

/** How a DeleteMessage(Batch) entry ended, as the client saw it. */
export const DELETE_OUTCOMES = {
  /** Answered 200 (or listed in Successful): the message is gone for good. */
  confirmed: 'confirmed',
  /** Not deleted: answered with an error for this entry, or never attempted (the turn ended first). */
  failed: 'failed',
  /** No answer (the server died): it may or may not have been deleted. */
  unknown: 'unknown',
} as const;
export type DeleteOutcome = (typeof DELETE_OUTCOMES)[keyof typeof DELETE_OUTCOMES];

type LedgerEvent =
  | { type: 'receive'; run: number; messages: DeliveredMessage[] }
  | { type: 'delete'; run: number; key: string; outcome: DeleteOutcome };

interface SendRecord extends GroupSeq {
  /** `acked`: answered 200; `unknown`: sent, but the answer never came (the crash). */
  state: 'acked' | 'unknown';
  messageId?: string;
  sequenceNumber?: string;
}

/** Counts for the test's diagnostics. */
export interface LedgerStats {
  acked: number;
  unknownSends: number;
  deliveries: number;
  redeliveries: number;
  confirmedDeletes: number;
  unknownDeletes: number;
  failedDeletes: number;
  deliveriesByRun: Record<number, number>;
}

function keyOf(m: GroupSeq): string {
  return `${m.group}#${m.seq}`;
}

/**
 * The client-side record of a FIFO workload. One receiver (it awaits its deletes before it receives again), any
 * number of senders, each owning its groups and sending each group's messages one request at a time, in order.
 * Event order in the ledger is the receiver's view of time, which the ordering rule relies on.
 */
export class FifoLedger {
  private readonly sends = new Map<string, SendRecord>();
  private readonly events: LedgerEvent[] = [];
  /** Problems the workload itself ran into (e.g. a batch entry that failed); reported by `violations()`. */
  private readonly problems: string[] = [];

  /** Call before the request goes out: until it is answered, the send's outcome is unknown. */
  sendAttempted(m: GroupSeq): void {
    this.sends.set(keyOf(m), { ...m, state: 'unknown' });
  }

  /** The send was answered 200 with this MessageId and SequenceNumber. */
  sendAcked(m: GroupSeq, messageId: string, sequenceNumber: string): void {
    this.sends.set(keyOf(m), { ...m, state: 'acked', messageId, sequenceNumber });
  }

  /** A problem the check must report (the workload cannot go on in a meaningful way after it). */
  problem(text: string): void {
    this.problems.push(text);
  }

  /** One ReceiveMessage response, its messages in response order. */
  received(run: number, messages: DeliveredMessage[]): void {
    if (messages.length > 0) this.events.push({ type: 'receive', run, messages });
  }

  /** How the delete of one received message ended. */
  deleted(run: number, m: GroupSeq, outcome: DeleteOutcome): void {
    this.events.push({ type: 'delete', run, key: keyOf(m), outcome });
  }

  /** Messages acknowledged (200) to a sender. */
  get ackedCount(): number {
    let n = 0;
    for (const s of this.sends.values()) if (s.state === 'acked') n++;
    return n;
  }

  /** Whether every acknowledged message has a confirmed delete (the drain is done). */
  isEveryAckedMessageDeleted(): boolean {
    const confirmed = this.confirmedDeletes();
    for (const s of this.sends.values()) if (s.state === 'acked' && !confirmed.has(keyOf(s))) return false;
    return true;
  }

  private confirmedDeletes(): Set<string> {
    const out = new Set<string>();
    for (const e of this.events) if (e.type === 'delete' && e.outcome === 'confirmed') out.add(e.key);
    return out;
  }

  /**
   * The events with each `unknown` delete resolved where later events tell: a message delivered again after a
   * delete whose answer was lost was evidently not deleted, so that delete counts as `failed`.
   */
  private resolvedEvents(): LedgerEvent[] {
    const deliveredAfter = new Set<string>();
    const out: LedgerEvent[] = new Array<LedgerEvent>(this.events.length);
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i]!;
      if (e.type === 'receive') {
        for (const m of e.messages) deliveredAfter.add(keyOf(m));
        out[i] = e;
      } else {
        out[i] = e.outcome === 'unknown' && deliveredAfter.has(e.key) ? { ...e, outcome: 'failed' } : e;
      }
    }
    return out;
  }

  /** Counts for diagnostics. */
  stats(): LedgerStats {
    const stats: LedgerStats = {
      acked: 0,
      unknownSends: 0,
      deliveries: 0,
      redeliveries: 0,
      confirmedDeletes: 0,
      unknownDeletes: 0,
      failedDeletes: 0,
      deliveriesByRun: {},
    };
    for (const s of this.sends.values()) {
      if (s.state === 'acked') stats.acked++;
      else stats.unknownSends++;
    }
    const seen = new Set<string>();
    for (const e of this.events) {
      if (e.type === 'receive') {
        for (const m of e.messages) {
          stats.deliveries++;
          stats.deliveriesByRun[e.run] = (stats.deliveriesByRun[e.run] ?? 0) + 1;
          if (seen.has(keyOf(m))) stats.redeliveries++;
          seen.add(keyOf(m));
        }
      } else if (e.outcome === 'confirmed') stats.confirmedDeletes++;
      else if (e.outcome === 'unknown') stats.unknownDeletes++;
      else stats.failedDeletes++;
    }
    return stats;
  }

  /**
   * Replays the ledger and returns every broken rule (empty when all hold). The rules, per message group:
   *
   * 1. No loss: every acknowledged send is delivered at least once; and one whose delete was not confirmed in run 1
   *    (or whose delete had no answer) is delivered again in run 2 (`crashRun + 1`) — it was in the queue at the crash.
   * 2. No reordering: when message `s` is delivered, every earlier message `t < s` of its group has a confirmed
   *    delete, or a delete whose answer was lost in the crash (unless `t` shows up again later, which proves that
   *    delete did not happen), or comes before `s` in the same response. So a
   *    message is only handed out once everything sent before it in its group has been consumed — FIFO order across
   *    the crash. Redelivery of a message whose delete was not confirmed is allowed (at-least-once), and it too
   *    must respect this rule.
   * 3. No resurrection: a message whose delete was confirmed is never delivered again (a 200 delete is durable).
   * 4. Identity: every delivery of a message has the same MessageId and SequenceNumber, equal to what its send
   *    returned when the send was acknowledged; a redelivery has a higher ApproximateReceiveCount than the delivery
   *    before it (receive counts survive the crash).
   * 5. No phantoms: only messages a sender attempted are delivered.
   */
  violations(crashRun: number): string[] {
    const out = [...this.problems];
    const events = this.resolvedEvents();
    const deleteState = new Map<string, DeleteOutcome>();
    const lastDelivery = new Map<string, DeliveredMessage>();
    const deliveredInRun = new Map<number, Set<string>>();

    for (const e of events) {
      if (e.type === 'delete') {
        // A confirmed delete stays confirmed; a later failed attempt (an old handle) does not undo it.
        if (deleteState.get(e.key) !== 'confirmed') deleteState.set(e.key, e.outcome);
        continue;
      }
      const runSet = deliveredInRun.get(e.run) ?? new Set<string>();
      deliveredInRun.set(e.run, runSet);
      const aheadInResponse = new Set<string>();
      for (const m of e.messages) {
        const key = keyOf(m);
        const send = this.sends.get(key);
        if (send === undefined) out.push(`run ${e.run}: delivered ${key}, which no sender attempted`);
        if (deleteState.get(key) === 'confirmed') {
          out.push(`run ${e.run}: delivered ${key} (${m.messageId}) again after its delete was confirmed`);
        }
        for (let t = 1; t < m.seq; t++) {
          const earlier = `${m.group}#${t}`;
          const state = deleteState.get(earlier);
          if (state === 'confirmed' || state === 'unknown' || aheadInResponse.has(earlier)) continue;
          out.push(
            `run ${e.run}: delivered ${key} while ${earlier} was ${state === undefined ? 'never deleted' : `not deleted (${state})`} ` +
              'and not ahead of it in the same response (group order broken)',
          );
          break;
        }
        if (send?.state === 'acked' && (send.messageId !== m.messageId || send.sequenceNumber !== m.sequenceNumber)) {
          out.push(
            `run ${e.run}: ${key} delivered as ${m.messageId}/${m.sequenceNumber}, but its send returned ` +
              `${send.messageId}/${send.sequenceNumber}`,
          );
        }
        const previous = lastDelivery.get(key);
        if (previous !== undefined) {
          if (previous.messageId !== m.messageId || previous.sequenceNumber !== m.sequenceNumber) {
            out.push(`run ${e.run}: ${key} redelivered with another MessageId/SequenceNumber`);
          }
          if (!(m.receiveCount > previous.receiveCount)) {
            out.push(
              `run ${e.run}: ${key} redelivered with ApproximateReceiveCount ${m.receiveCount}, ` +
                `not above the previous ${previous.receiveCount}`,
            );
          }
        }
        lastDelivery.set(key, m);
        aheadInResponse.add(key);
        runSet.add(key);
      }
    }

    const afterCrash = deliveredInRun.get(crashRun + 1) ?? new Set<string>();
    const deleteStateAtCrash = new Map<string, DeleteOutcome>();
    for (const e of events) {
      if (e.type === 'delete' && e.run <= crashRun && deleteStateAtCrash.get(e.key) !== 'confirmed') {
        deleteStateAtCrash.set(e.key, e.outcome);
      }
    }
    for (const send of this.sends.values()) {
      if (send.state !== 'acked') continue;
      const key = keyOf(send);
      if (!lastDelivery.has(key)) {
        out.push(`lost: ${key} (${send.messageId}) was acknowledged but never delivered`);
        continue;
      }
      const atCrash = deleteStateAtCrash.get(key);
      if (atCrash !== 'confirmed' && atCrash !== 'unknown' && !afterCrash.has(key)) {
        out.push(`lost: ${key} (${send.messageId}) was in the queue at the crash but not delivered after the restart`);
      }
    }
    return out;
  }
}
