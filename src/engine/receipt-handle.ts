/** @module engine/receipt-handle: opaque receipt handles that name the queue, the message and the receive. */

/** What a handle says: which queue incarnation, which message, and which receive (the count at that receive). */
export interface DecodedHandle {
  queueName: string;
  queueCreatedAt: number;
  key: number;
  receiveCount: number;
  /** When that receive happened: the 12-hour visibility limit counts from here. */
  receivedAt: number;
}

const SEPARATOR = '\u0000';

/** Encodes a handle. It is base64 so clients treat it as opaque; it survives restarts because it holds no memory address. */
export function encodeReceiptHandle(handle: DecodedHandle, nonce: string): string {
  const text = [handle.queueName, handle.queueCreatedAt, handle.key, handle.receiveCount, handle.receivedAt, nonce].join(SEPARATOR);
  return 'AQEB' + Buffer.from(text, 'utf8').toString('base64url');
}

/** Decodes a handle, or returns undefined for anything this server did not issue. */
export function decodeReceiptHandle(text: string): DecodedHandle | undefined {
  if (!text.startsWith('AQEB') || text.length > 2048) return undefined;
  const body = text.slice(4);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return undefined;
  const parts = Buffer.from(body, 'base64url').toString('utf8').split(SEPARATOR);
  if (parts.length !== 6) return undefined;
  const [queueName, ...numbers] = parts as [string, string, string, string, string, string];
  const [queueCreatedAt, keyNumber, receiveCount, receivedAt] = numbers.slice(0, 4).map((n) => (/^\d+$/.test(n) ? Number(n) : NaN));
  if (!queueName || ![queueCreatedAt, keyNumber, receiveCount, receivedAt].every((n) => Number.isSafeInteger(n))) return undefined;
  return { queueName, queueCreatedAt: queueCreatedAt!, key: keyNumber!, receiveCount: receiveCount!, receivedAt: receivedAt! };
}
