/**
 * @module bench/baseline-server: a bare server that answers the bench's SQS calls with fixed, pre-computed bodies;
 * what an SDK client can reach on this machine when the server costs next to nothing. Over node:http (the default
 * baseline), or over node:net with a minimal HTTP/1.1 responder of its own (`--baseline-transport net`): how much of
 * the floor is node's HTTP library rather than the kernel's loopback TCP.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { BATCH_SIZE, BENCH_BODIES, BENCH_BODY_MD5S } from './bench-messages.ts';

const ACCOUNT_ID = '000000000000';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** Which stack the baseline answers through. */
export type BaselineTransport = 'http' | 'net';

/** A running baseline server. */
export interface BaselineServer {
  url: string;
  server: Server | NetServer;
  stop(): Promise<void>;
}

const REQUEST_ID = '00000000-0000-0000-0000-000000000000';

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

/** The fixed answer to one operation: a pre-built body, CreateQueue's URL, or UnknownOperation. */
function answer(bodies: Map<string, Buffer>, operation: string, requestBody: () => string, baseUrl: string): { status: number; body: Buffer } {
  if (operation === 'CreateQueue') return { status: 200, body: json({ QueueUrl: `${baseUrl}/${ACCOUNT_ID}/${queueNameOf(requestBody())}` }) };
  const body = bodies.get(operation);
  if (body !== undefined) return { status: 200, body };
  return { status: 400, body: json({ __type: 'com.amazonaws.sqs#UnknownOperationException', message: `baseline does not answer ${operation}` }) };
}

function operationOf(target: string | undefined): string {
  return target !== undefined && target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
}

/**
 * Starts the baseline on `host:port` (port 0 picks one). The hot operations read the request body (so
 * keep-alive works as with any server) and write a pre-built buffer; CreateQueue parses its body once per queue
 * to echo the name. Any other operation gets a 400 UnknownOperationException.
 * Throws the listen error when it cannot bind.
 */
export async function startBaselineServer(options: { port: number; host: string; transport?: BaselineTransport }): Promise<BaselineServer> {
  const bodies = fixedBodies();
  let baseUrl = '';
  const answerTo: Answerer = (operation, requestBody) => answer(bodies, operation, requestBody, baseUrl);
  const rawSockets = new Set<Socket>();
  const server =
    options.transport === 'net'
      ? createNetServer((socket) => {
          rawSockets.add(socket);
          socket.once('close', () => rawSockets.delete(socket));
          serveRawHttp(socket, answerTo);
        })
      : createHttpBaseline(answerTo);
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
        if ('closeAllConnections' in server) server.closeAllConnections();
        else for (const socket of rawSockets) socket.destroy();
      }),
  };
}

type Answerer = (operation: string, requestBody: () => string) => { status: number; body: Buffer };

function createHttpBaseline(answerTo: Answerer): Server {
  const server = createServer({ keepAlive: true }, (req: IncomingMessage, res: ServerResponse) => {
    const target = req.headers['x-amz-target'];
    const operation = operationOf(typeof target === 'string' ? target : undefined);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      if (operation === 'CreateQueue') chunks.push(chunk);
    });
    req.on('end', () => {
      const { status, body } = answerTo(operation, () => Buffer.concat(chunks).toString('utf8'));
      res.writeHead(status, { 'Content-Type': JSON_CONTENT_TYPE, 'Content-Length': body.length, 'x-amzn-RequestId': REQUEST_ID });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

/**
 * HTTP/1.1 for exactly what the bench's SDK clients send: requests with a Content-Length body (no chunked
 * encoding, no Expect), kept alive, possibly several in one read. One write per response. Not a general server.
 */
function serveRawHttp(socket: Socket, answerTo: Answerer): void {
  socket.setNoDelay(true);
  let buffered: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    for (;;) {
      const headEnd = buffered.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = buffered.toString('latin1', 0, headEnd);
      const headers = new Map<string, string>();
      for (const line of head.split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      const length = Number(headers.get('content-length') ?? 0);
      if (buffered.length < headEnd + 4 + length) return;
      const requestBody = buffered.subarray(headEnd + 4, headEnd + 4 + length);
      buffered = buffered.subarray(headEnd + 4 + length);
      const { status, body } = answerTo(operationOf(headers.get('x-amz-target')), () => requestBody.toString('utf8'));
      const statusLine = status === 200 ? '200 OK' : `${status} Bad Request`;
      const responseHead =
        `HTTP/1.1 ${statusLine}\r\nContent-Type: ${JSON_CONTENT_TYPE}\r\nContent-Length: ${body.length}\r\n` +
        `x-amzn-RequestId: ${REQUEST_ID}\r\nConnection: keep-alive\r\n\r\n`;
      socket.write(Buffer.concat([Buffer.from(responseHead, 'latin1'), body]));
    }
  });
  socket.on('error', () => socket.destroy());
}
