/**
 * @module bench/baseline-server: a bare node:http server that answers the bench's SQS calls with fixed,
 * pre-computed bodies; what an SDK client can reach on this machine when the server costs next to nothing.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BATCH_SIZE, BENCH_BODIES, BENCH_BODY_MD5S } from './bench-messages.ts';

const ACCOUNT_ID = '000000000000';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** A running baseline server. */
export interface BaselineServer {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/**
 * The fixed answers, built once. They are valid for what the bench sends: batches whose entry ids are "0".."9"
 * and carry BENCH_BODIES in that order, and receives of up to 10 messages.
 */
function fixedBodies(): Map<string, Buffer> {
  const ids = Array.from({ length: BATCH_SIZE }, (_, j) => String(j));
  const messageIds = ids.map(() => randomUUID());
  const sequenceBase = BigInt(Date.now()) * 10_000_000n;
  return new Map<string, Buffer>([
    [
      'SendMessageBatch',
      json({
        Successful: ids.map((id, j) => ({
          Id: id,
          MessageId: messageIds[j],
          MD5OfMessageBody: BENCH_BODY_MD5S[j],
          // Only FIFO queues return a sequence number; standard clients ignore the extra field.
          SequenceNumber: (sequenceBase + BigInt(j)).toString(),
        })),
        Failed: [],
      }),
    ],
    [
      'ReceiveMessage',
      json({
        Messages: ids.map((id, j) => ({
          MessageId: messageIds[j],
          ReceiptHandle: `baseline-receipt-handle-${id}-${'r'.repeat(150)}`,
          MD5OfBody: BENCH_BODY_MD5S[j],
          Body: BENCH_BODIES[j],
        })),
      }),
    ],
    ['DeleteMessageBatch', json({ Successful: ids.map((id) => ({ Id: id })), Failed: [] })],
    ['DeleteQueue', json({})],
  ]);
}

function queueNameOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'QueueName' in parsed && typeof parsed.QueueName === 'string') {
      return parsed.QueueName;
    }
  } catch {
    // Fall through to the default name.
  }
  return 'baseline';
}

/**
 * Starts the baseline on `host:port` (port 0 picks one). The hot operations read the request body (so
 * keep-alive works as with any server) and write a pre-built buffer; CreateQueue parses its body once per queue
 * to echo the name. Any other operation gets a 400 UnknownOperationException.
 * Throws the listen error when it cannot bind.
 */
export async function startBaselineServer(options: { port: number; host: string }): Promise<BaselineServer> {
  const bodies = fixedBodies();
  let baseUrl = '';
  const server = createServer({ keepAlive: true }, (req: IncomingMessage, res: ServerResponse) => {
    const target = req.headers['x-amz-target'];
    const operation = typeof target === 'string' && target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      if (operation === 'CreateQueue') chunks.push(chunk);
    });
    req.on('end', () => {
      let body = bodies.get(operation);
      let status = 200;
      if (operation === 'CreateQueue') {
        body = json({ QueueUrl: `${baseUrl}/${ACCOUNT_ID}/${queueNameOf(Buffer.concat(chunks).toString('utf8'))}` });
      } else if (body === undefined) {
        status = 400;
        body = json({ __type: 'com.amazonaws.sqs#UnknownOperationException', message: `baseline does not answer ${operation}` });
      }
      res.writeHead(status, {
        'Content-Type': JSON_CONTENT_TYPE,
        'Content-Length': body.length,
        'x-amzn-RequestId': '00000000-0000-0000-0000-000000000000',
      });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  baseUrl = `http://${options.host}:${port}`;
  return {
    url: baseUrl,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
