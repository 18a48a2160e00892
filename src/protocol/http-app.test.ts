/** @module protocol/http-app.test: the HTTP edge over a real socket: ids, limits, routing, the edge handler, draining. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Engine, ManualClock } from '../engine/index.ts';
import { createHttpApp, type HttpApp } from './http-app.ts';
import { jsonProtocol } from './json-protocol.ts';
import { QueueUrls } from './queue-urls.ts';
import type { WireProtocol } from './wire-protocol.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MAX_BODY_BYTES = 4096;

interface Harness {
  url: string;
  app: HttpApp;
  engine: Engine;
  logged: string[];
  close(): Promise<void>;
}

/** A JSON protocol whose `Boom` operation throws a plain Error, to exercise the edge handler. */
const throwingProtocol: WireProtocol = {
  name: 'boom',
  matches: (head) => head.headers['x-amz-target'] === 'AmazonSQS.Boom',
  handle: () => Promise.reject(new Error('kaboom')),
  renderError: jsonProtocol.renderError,
};

async function startHarness(): Promise<Harness> {
  const clock = new ManualClock();
  const engine = new Engine({ clock });
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const logged: string[] = [];
  const app = createHttpApp({
    engine,
    clock,
    queueUrls: new QueueUrls(url, '000000000000'),
    protocols: [throwingProtocol, jsonProtocol],
    logger: { error: (message) => logged.push(message) },
    maxBodyBytes: MAX_BODY_BYTES,
    adminRoutes: (_req, res, admin) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: admin.path, queues: admin.engine.queueNames() }));
    },
  });
  server.on('request', app.handle);
  return {
    url,
    app,
    engine,
    logged,
    async close() {
      await app.drain();
      server.closeAllConnections();
      server.close();
      engine.close();
    },
  };
}

async function post(url: string, target: string | undefined, body: string | Uint8Array, signal?: AbortSignal) {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0' };
  if (target !== undefined) headers['x-amz-target'] = target;
  const res = await fetch(url, { method: 'POST', headers, body, ...(signal ? { signal } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as Record<string, unknown> };
}

/** A raw connection to the harness, for what fetch cannot send (pipelining, a body that stops half way). */
async function rawConnection(url: string): Promise<{ socket: Socket; received: () => string }> {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  let text = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return { socket, received: () => text };
}

/** A raw JSON request: `body` is what is written, `contentLength` what the header claims (default: its length). */
function rawRequest(target: string, body: string, contentLength = Buffer.byteLength(body)): string {
  return (
    `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS.${target}\r\n` +
    `Content-Length: ${contentLength}\r\n\r\n${body}`
  );
}

/** Yields to the event loop until `condition` holds (bounded, so a failure ends the test instead of hanging it). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(condition(), 'condition never held');
}

describe('http app', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('gives every answer a fresh UUID request id and the JSON content type', async () => {
    const first = await post(`${h.url}/`, 'AmazonSQS.ListQueues', '{}');
    const second = await post(`${h.url}/`, 'AmazonSQS.ListQueues', '{}');
    assert.equal(first.status, 200);
    assert.deepEqual(first.json, {});
    assert.match(first.headers.get('x-amzn-requestid') ?? '', UUID);
    assert.notEqual(first.headers.get('x-amzn-requestid'), second.headers.get('x-amzn-requestid'));
    assert.equal(first.headers.get('content-type'), 'application/x-amz-json-1.0');
    assert.equal(first.headers.get('x-amzn-query-error'), null);
  });

  it('answers an unknown target with UnknownOperationException and the query error header', async () => {
    const res = await post(`${h.url}/`, 'AmazonSQS.Frobnicate', '{}');
    assert.equal(res.status, 400);
    assert.equal(res.json['__type'], 'com.amazon.coral.service#UnknownOperationException');
    assert.equal(res.headers.get('x-amzn-query-error'), 'InvalidAction;Sender');
    assert.match(res.headers.get('x-amzn-requestid') ?? '', UUID);
  });

  it('detects JSON by content type alone and then reports the missing target', async () => {
    const res = await post(`${h.url}/`, undefined, '{}');
    assert.equal(res.status, 400);
    assert.equal(res.json['__type'], 'com.amazon.coral.service#UnknownOperationException');
  });

  it('answers malformed JSON, a non-object body and invalid UTF-8 with SerializationException', async () => {
    for (const body of ['{"QueueName":', '[1,2]', new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d])]) {
      const res = await post(`${h.url}/`, 'AmazonSQS.CreateQueue', body);
      assert.equal(res.status, 400);
      assert.equal(res.json['__type'], 'com.amazon.coral.service#SerializationException');
      assert.equal(res.headers.get('x-amzn-query-error'), 'SerializationException;Sender');
    }
  });

  it('refuses a body over the limit with 413 and closes the connection', async () => {
    const res = await post(`${h.url}/`, 'AmazonSQS.SendMessage', 'x'.repeat(MAX_BODY_BYTES + 1));
    assert.equal(res.status, 413);
    assert.equal(res.headers.get('x-amzn-query-error'), 'RequestEntityTooLarge;Sender');
    assert.equal(res.headers.get('connection'), 'close');
  });

  it('takes QueueUrl from the path when JSON is posted to a queue URL', async () => {
    await post(`${h.url}/`, 'AmazonSQS.CreateQueue', '{"QueueName":"by-path"}');
    const res = await post(`${h.url}/000000000000/by-path`, 'AmazonSQS.GetQueueAttributes', '{"AttributeNames":["QueueArn"]}');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { Attributes: { QueueArn: 'arn:aws:sqs:us-east-1:000000000000:by-path' } });
  });

  it('renders engine errors with their modelled status', async () => {
    const res = await post(`${h.url}/`, 'AmazonSQS.GetQueueUrl', '{"QueueName":"missing"}');
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
    assert.equal(res.headers.get('x-amzn-query-error'), 'AWS.SimpleQueueService.NonExistentQueue;Sender');
  });

  it('answers 404 InvalidAddress for paths that are neither / nor a queue URL', async () => {
    const res = await post(`${h.url}/a/b/c`, 'AmazonSQS.ListQueues', '{}');
    assert.equal(res.status, 404);
    assert.equal(res.json['__type'], 'com.amazonaws.sqs#InvalidAddress');
  });

  it('turns an unexpected exception into a 500 InternalFailure logged once with the request id', async () => {
    h.logged.length = 0;
    const res = await post(`${h.url}/`, 'AmazonSQS.Boom', '{}');
    assert.equal(res.status, 500);
    assert.equal(res.json['__type'], 'com.amazon.coral.service#InternalFailure');
    assert.equal(res.headers.get('x-amzn-query-error'), 'InternalFailure;Receiver');
    assert.equal(h.logged.length, 1);
    assert.ok(h.logged[0]?.includes(res.headers.get('x-amzn-requestid') ?? 'no id'));
    assert.ok(h.logged[0]?.includes('kaboom'));
    assert.ok(!res.text.includes('kaboom'), 'internal details stay out of the answer');
  });

  it('routes /_admin/* to the admin hook', async () => {
    const res = await fetch(`${h.url}/_admin/queues`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { path: string; queues: string[] };
    assert.equal(body.path, '/_admin/queues');
    assert.ok(body.queues.includes('by-path'));
  });

  it('releases a long poll when its client disconnects', async () => {
    await post(`${h.url}/`, 'AmazonSQS.CreateQueue', '{"QueueName":"abandoned"}');
    const controller = new AbortController();
    const poll = post(
      `${h.url}/`,
      'AmazonSQS.ReceiveMessage',
      JSON.stringify({ QueueUrl: `${h.url}/000000000000/abandoned`, WaitTimeSeconds: 20 }),
      controller.signal,
    ).catch((error: unknown) => error);
    await until(() => h.app.inFlightCount === 1);
    controller.abort();
    assert.ok((await poll) instanceof Error);
    await until(() => h.app.inFlightCount === 0);
  });

  it('releases pipelined long polls when their connection closes, so none of them takes a later message', async () => {
    await post(`${h.url}/`, 'AmazonSQS.CreateQueue', '{"QueueName":"pipelined"}');
    const queueUrl = `${h.url}/000000000000/pipelined`;
    const poll = rawRequest('ReceiveMessage', JSON.stringify({ QueueUrl: queueUrl, WaitTimeSeconds: 20, VisibilityTimeout: 60 }));
    const { socket } = await rawConnection(h.url);
    // The second answer waits behind the first: it gets no 'close' of its own when the connection dies.
    socket.write(poll + poll);
    await until(() => h.app.inFlightCount === 2);
    socket.destroy();
    await until(() => h.app.inFlightCount === 0);
    await post(`${h.url}/`, 'AmazonSQS.SendMessage', JSON.stringify({ QueueUrl: queueUrl, MessageBody: 'for a live client' }));
    const got = await post(`${h.url}/`, 'AmazonSQS.ReceiveMessage', JSON.stringify({ QueueUrl: queueUrl }));
    assert.equal((got.json['Messages'] as Array<{ Body: string }> | undefined)?.[0]?.Body, 'for a live client');
  });

  it('takes a body sent in many small chunks whole', async () => {
    const body = JSON.stringify({ QueueName: `chunked-${'x'.repeat(60)}` });
    const { socket, received } = await rawConnection(h.url);
    socket.write(
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS.CreateQueue\r\n' +
        'Transfer-Encoding: chunked\r\n\r\n',
    );
    // 1, 2, 3 … byte chunks: the body is gathered across many of them and buffer growths.
    for (let at = 0, size = 1; at < body.length; at += size, size++) {
      const chunk = body.slice(at, at + size);
      socket.write(`${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`);
    }
    socket.write('0\r\n\r\n');
    await until(() => received().includes('\r\n\r\n{'));
    socket.destroy();
    assert.match(received(), /^HTTP\/1\.1 200 /);
    assert.ok(received().includes(`/000000000000/chunked-${'x'.repeat(60)}"`), received());
  });

  it('logs nothing when a client closes its connection half way through a body', async () => {
    const before = h.logged.length;
    const { socket } = await rawConnection(h.url);
    socket.write(rawRequest('ListQueues', '{"Queue', 100));
    await until(() => h.app.inFlightCount === 1);
    socket.destroy();
    await until(() => h.app.inFlightCount === 0);
    assert.deepEqual(h.logged.slice(before), []);
  });

  it('wakes a long poll when a message arrives', async () => {
    await post(`${h.url}/`, 'AmazonSQS.CreateQueue', '{"QueueName":"wake"}');
    const queueUrl = `${h.url}/000000000000/wake`;
    const poll = post(`${h.url}/`, 'AmazonSQS.ReceiveMessage', JSON.stringify({ QueueUrl: queueUrl, WaitTimeSeconds: 20 }));
    await until(() => h.app.inFlightCount === 1);
    await post(`${h.url}/`, 'AmazonSQS.SendMessage', JSON.stringify({ QueueUrl: queueUrl, MessageBody: 'hello' }));
    const res = await poll;
    assert.equal(res.status, 200);
    const messages = res.json['Messages'];
    assert.ok(Array.isArray(messages));
    assert.equal((messages[0] as { Body: string }).Body, 'hello');
  });
});

describe('http app draining', () => {
  it('ends in-flight long polls with an empty result and refuses new requests with 503', async () => {
    const h = await startHarness();
    await post(`${h.url}/`, 'AmazonSQS.CreateQueue', '{"QueueName":"drained"}');
    const poll = post(
      `${h.url}/`,
      'AmazonSQS.ReceiveMessage',
      JSON.stringify({ QueueUrl: `${h.url}/000000000000/drained`, WaitTimeSeconds: 20 }),
    );
    await until(() => h.app.inFlightCount === 1);
    const drained = h.app.drain();
    const res = await poll;
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {});
    await drained;
    assert.equal(h.app.inFlightCount, 0);
    const late = await post(`${h.url}/`, 'AmazonSQS.ListQueues', '{}');
    assert.equal(late.status, 503);
    assert.equal(late.headers.get('x-amzn-query-error'), 'ServiceUnavailable;Receiver');
    await h.close();
  });

  it('does not wait for a body that stalls half way: that request is answered 503', async () => {
    const h = await startHarness();
    const { socket, received } = await rawConnection(h.url);
    socket.write(rawRequest('ListQueues', '{', 10));
    await until(() => h.app.inFlightCount === 1);
    await h.app.drain();
    await until(() => received().includes('\r\n\r\n'));
    assert.match(received(), /^HTTP\/1\.1 503 /);
    assert.match(received(), /\r\nConnection: close\r\n/i);
    socket.destroy();
    await h.close();
  });
});
