/** @module cli/main.test: `mqs server` as a user runs it: first stdout line is the endpoint, signals stop it, bad flags exit 2. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/mqs.js', import.meta.url));

function run(args: string[]) {
  // No MQS_* variables from the caller's environment: the test means the flags alone.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MQS_')));
  return spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
}

async function collect(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) text += String(chunk);
  return text;
}

describe('mqs server', () => {
  it('prints the endpoint first, serves SQS there, and stops cleanly on SIGTERM', async () => {
    const child = run(['server', '--port', '0', '--in-memory']);
    const stderr = collect(child.stderr);
    const lines = createInterface({ input: child.stdout });
    const iterator = lines[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.equal(first.done, false);
    const url = String(first.value);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const second = await iterator.next();
    assert.equal(second.value, `queue URLs: ${url}/000000000000/<queue-name>`);

    const res = await fetch(`${url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.CreateQueue' },
      body: JSON.stringify({ QueueName: 'cli.fifo', Attributes: { FifoQueue: 'true' } }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { QueueUrl: `${url}/000000000000/cli.fifo` });

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    lines.close();
    assert.equal(code, 0);
    assert.match(await stderr, /SIGTERM received, stopping/);
  });

  it('exits 2 with a readable message for a bad flag value', async () => {
    const child = run(['server', '--port', 'abc']);
    const stderr = collect(child.stderr);
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(await stderr, /--port must be an integer from 0 to 65535 \(got "abc"\)/);
  });

  it('exits 1 naming --host when the address is not this machine\'s', async () => {
    // 192.0.2.0/24 is reserved for documentation (RFC 5737): no machine has it.
    const child = run(['server', '--host', '192.0.2.1', '--port', '0', '--in-memory']);
    const stderr = collect(child.stderr);
    const [code] = await once(child, 'exit');
    assert.equal(code, 1);
    assert.match(await stderr, /^mqs: cannot listen on --host 192\.0\.2\.1: it is not an address of this machine \(/m);
  });

  it('exits 2 for a bad MQS_* variable, naming it', async () => {
    const env = { ...process.env, MQS_ACCOUNT_ID: '42' };
    const child = spawn(process.execPath, [BIN, 'server', '--in-memory', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const stderr = collect(child.stderr);
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(await stderr, /MQS_ACCOUNT_ID must be 12 digits/);
  });

  it('stops cleanly, without a stack trace, when the reader of its stdout is gone (mqs server | head -1)', async () => {
    const child = run(['server', '--port', '0', '--in-memory']);
    // Closed before the server prints its endpoint: that write fails with EPIPE.
    child.stdout.destroy();
    const stderr = collect(child.stderr);
    const [code, signal] = await once(child, 'exit');
    const text = await stderr;
    assert.doesNotMatch(text, /EPIPE|Unhandled/);
    assert.match(text, /SIGTERM received, stopping/);
    assert.deepEqual([code, signal], [0, null]);
  });
});

describe('mqs --help', () => {
  it('ends quietly when the reader of its stdout is gone (mqs --help | head -1)', async () => {
    const child = run(['--help']);
    child.stdout.destroy();
    const stderr = collect(child.stderr);
    const [code, signal] = await once(child, 'exit');
    assert.equal(await stderr, '');
    // As a C tool ends on SIGPIPE: by the signal, not with an error code of its own.
    assert.deepEqual([code, signal], [null, 'SIGTERM']);
  });
});
