/** @module bench/bench-messages: the fixed message bodies every bench workload sends, and their MD5s. */
import { createHash } from 'node:crypto';

/** Bytes per body: an order event of the size the producer sends, padded to a round number. */
export const BODY_BYTES = 150;
/** Entries per SendMessageBatch / DeleteMessageBatch and messages per ReceiveMessage (the SQS maximum). */
export const BATCH_SIZE = 10;
/** Message groups of the FIFO queues (MessageGroupId = `g-${i % GROUP_COUNT}`). */
export const GROUP_COUNT = 100;

function body(index: number): string {
  const text = JSON.stringify({ type: 'OrderUpdated', orderId: `order-${index}`, sku: 'SKU-12345', quantity: 3, priceCents: 4599, note: '' });
  // Pad the note so every body has exactly BODY_BYTES bytes (ASCII, so characters are bytes).
  return text.replace('"note":""', `"note":"${'x'.repeat(BODY_BYTES - text.length)}"`);
}

/**
 * One body per batch entry position: entry `Id` "j" always carries `BENCH_BODIES[j]`. Fixed bodies let the
 * baseline server answer with pre-computed MD5s that the SDK's checksum validation accepts.
 */
export const BENCH_BODIES: readonly string[] = Array.from({ length: BATCH_SIZE }, (_, j) => body(j));

/** Lowercase hex MD5 of each of BENCH_BODIES, as SQS returns it in MD5OfMessageBody / MD5OfBody. */
export const BENCH_BODY_MD5S: readonly string[] = BENCH_BODIES.map((b) => createHash('md5').update(b, 'utf8').digest('hex'));
