/**
 * @module test/clients/boto3: Debian's python3-boto3 (1.26, botocore 1.29: the query protocol) through the client
 * scenario. boto3-scenario.py drives boto3 against the in-process server and reports each step; the assertions are
 * here. boto3 checks no MD5 itself, so every MD5 it received is checked against the oracle.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, it, type TestContext } from 'node:test';
import type { ManualClock } from '../../src/engine/clock.ts';
import { CLIENT_KEY, OTHER_KEY, useClientServer } from './client-server.ts';
import {
  ALL_BYTES,
  arnOf,
  assertReceived,
  AUTH_ERRORS,
  attributesToBase64Json,
  BATCH,
  COMMON_ERRORS,
  expectedAttributesMd5,
  expectedBodyMd5,
  FIFO_SYSTEM_ATTRIBUTES,
  GROUP_ID,
  messageFromBase64Json,
  redrivePolicyOf,
  SINGLE_ATTRIBUTES,
  SINGLE_BODY,
  scenarioQueueNames,
} from './scenario.ts';
import { awsToolEnv, findBoto3, requireTool } from './tools.ts';

const SCRIPT = fileURLToPath(new URL('./boto3-scenario.py', import.meta.url));
const TAG_TEXT = 'Ünïcødé ✓';

type Step = Record<string, any>;

/** Runs the script with `input`, advancing `clock` when it asks; resolves to the steps it reported, by name. */
function runScript(python: string, input: object, clock: ManualClock): Promise<{ steps: Map<string, Step>; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [SCRIPT], { env: awsToolEnv(CLIENT_KEY), stdio: ['pipe', 'pipe', 'pipe'] });
    const steps = new Map<string, Step>();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as Step;
      if (typeof message.advance_ms === 'number') {
        clock.advance(message.advance_ms);
        child.stdin.write('\n');
      } else {
        steps.set(String(message.step), message);
      }
    });
    child.once('error', reject);
    child.once('close', () => {
      child.stdin.destroy();
      resolve({ steps, stderr });
    });
    child.stdin.write(`${JSON.stringify(input)}\n`);
  });
}

function stepOf(steps: Map<string, Step>, name: string, stderr: string): Step {
  const crashed = steps.get('crashed');
  assert.equal(crashed, undefined, `the boto3 script crashed:\n${crashed?.traceback}\n${stderr}`);
  const step = steps.get(name);
  assert.ok(step, `the boto3 script reported no "${name}" step; stderr:\n${stderr}`);
  return step;
}

describe('boto3 (Debian python3-boto3, query protocol): the client scenario', () => {
  const s = useClientServer();

  it('goes through the scenario', async (t: TestContext) => {
    const lookup = findBoto3();
    const python = requireTool(t, lookup);
    if (python === undefined) return;
    t.diagnostic(lookup.isFound ? `${python}: ${lookup.detail}` : '');
    const names = scenarioQueueNames('boto3');
    const { steps, stderr } = await runScript(
      python,
      {
        mode: 'scenario',
        endpoint: s.url,
        key: CLIENT_KEY,
        names,
        redrivePolicy: redrivePolicyOf(names.dlq),
        dlqArn: arnOf(names.dlq),
        groupId: GROUP_ID,
        tagText: TAG_TEXT,
        single: { body: SINGLE_BODY, attributes: attributesToBase64Json(SINGLE_ATTRIBUTES) },
        batch: BATCH.map((entry) => ({ id: entry.id, body: entry.body, attributes: attributesToBase64Json(entry.attributes) })),
      },
      s.clock,
    );
    const step = (name: string) => stepOf(steps, name, stderr);
    assert.ok(step('done'));
    const urls = step('create').urls as { dlq: string; standard: string; fifo: string };

    await t.test('creates a FIFO queue, and a standard queue with a dead-letter queue', () => {
      const create = step('create');
      assert.equal(urls.fifo, `${s.url}/000000000000/${names.fifo}`);
      assert.equal(create.fifoAttributes.FifoQueue, 'true');
      assert.equal(create.fifoAttributes.QueueArn, arnOf(names.fifo));
      assert.deepEqual(JSON.parse(create.redrivePolicy), { deadLetterTargetArn: arnOf(names.dlq), maxReceiveCount: 1 });
      assert.deepEqual(create.deadLetterSources, [urls.standard]);
    });

    await t.test('sends a single message and a batch with every kind of attribute, with the right MD5s', () => {
      const send = step('send');
      assert.equal(send.single.MD5OfMessageBody, expectedBodyMd5(SINGLE_BODY));
      assert.equal(send.single.MD5OfMessageAttributes, expectedAttributesMd5(SINGLE_ATTRIBUTES));
      assert.match(send.single.SequenceNumber, /^\d+$/);
      assert.deepEqual(send.failed, []);
      assert.deepEqual(
        send.successful.map((e: Step) => [e.Id, e.MD5OfMessageBody, e.MD5OfMessageAttributes]),
        BATCH.map((e) => [e.id, expectedBodyMd5(e.body), expectedAttributesMd5(e.attributes)]),
      );
    });

    await t.test('receives them in order with all attributes, every MD5 matching', () => {
      const receive = step('receive');
      const messages = (receive.messages as Step[]).map(messageFromBase64Json);
      assert.equal(messages.length, 4);
      assertReceived(messages[0]!, SINGLE_BODY, SINGLE_ATTRIBUTES);
      BATCH.forEach((entry, i) => assertReceived(messages[i + 1]!, entry.body, entry.attributes));
      for (const message of messages) {
        for (const name of FIFO_SYSTEM_ATTRIBUTES) assert.ok(message.attributes[name], `system attribute ${name}`);
        assert.equal(message.attributes.SenderId, CLIENT_KEY.accessKeyId);
      }
      assert.deepEqual([...(messages[0]!.messageAttributes.blob?.BinaryValue ?? [])], [...ALL_BYTES]);
      assert.equal(receive.whileLocked, 0, 'the FIFO group is locked while its messages are in flight');
    });

    await t.test('changes visibility, alone and in a batch, then deletes in a batch', () => {
      const v = step('visibility-delete');
      assert.deepEqual(v.changed, ['c0', 'c1', 'c2']);
      assert.deepEqual(v.changeFailed, []);
      assert.equal(v.notVisibleAfter70s, '4');
      assert.deepEqual(v.deleted, ['d0', 'd1', 'd2', 'd3']);
      assert.deepEqual(v.deleteFailed, []);
    });

    await t.test('tags and untags a queue', () => {
      const tags = step('tags');
      assert.deepEqual(tags.tagged, { team: 'orders', env: 'dev', note: TAG_TEXT });
      assert.deepEqual(tags.untagged, { team: 'orders' });
    });

    await t.test('lists the queues a page at a time', () => {
      assert.deepEqual(step('list').pages, [[urls.dlq], [urls.fifo], [urls.standard]]);
    });

    await t.test('purges a queue', () => {
      assert.equal(step('purge').visible, '0');
    });

    await t.test('moves a dead-lettered message back with a message move task', () => {
      const d = step('dead-letter');
      assert.equal(d.secondReceive, 0);
      assert.equal(d.dead[0]?.MessageId, d.sentId);
      assert.equal(d.dead[0]?.Attributes.DeadLetterQueueSourceArn, arnOf(names.standard));
      assert.ok(d.taskHandle);
      assert.equal(d.tasks[0]?.Status, 'COMPLETED');
      assert.equal(d.tasks[0]?.ApproximateNumberOfMessagesMoved, 1);
      assert.equal(d.back[0]?.MessageId, d.sentId);
      assert.equal(d.back[0]?.Body, 'poison');
      t.diagnostic(`move task started through ${d.moveVia}`);
    });

    await t.test('sees the right code for each common error', () => {
      const errors = step('errors').errors as Record<string, Step>;
      for (const [key, expected] of Object.entries(COMMON_ERRORS)) {
        assert.deepEqual(
          { code: errors[key]?.code, type: errors[key]?.type, status: errors[key]?.status },
          { code: expected.code, type: 'Sender', status: expected.status },
          `${key}: ${errors[key]?.message}`,
        );
      }
    });

    await t.test('spoke the query protocol in every request', () => {
      const p = step('protocols');
      assert.deepEqual(p.protocols, ['query'], `this boto3 (${lookup.isFound ? lookup.detail : ''}) must be the query-protocol one (botocore < 1.34.90)`);
      assert.ok(p.count > 30);
    });
  });
});

describe('boto3 against a server with --auth', () => {
  const s = useClientServer({ isAuthRequired: true });

  it('passes with a listed key; sees InvalidClientTokenId and SignatureDoesNotMatch otherwise', async (t: TestContext) => {
    const python = requireTool(t, findBoto3());
    if (python === undefined) return;
    const { steps, stderr } = await runScript(
      python,
      { mode: 'auth', endpoint: s.url, key: CLIENT_KEY, otherKey: OTHER_KEY, names: scenarioQueueNames('boto3auth') },
      s.clock,
    );
    const auth = stepOf(steps, 'auth', stderr);
    assert.deepEqual(auth.client, { body: 'signed', protocols: ['query'] });
    assert.deepEqual(auth.other, { body: 'signed', protocols: ['query'] });
    for (const key of ['unknownKey', 'wrongSecret'] as const) {
      assert.deepEqual(
        { code: auth[key].code, type: auth[key].type, status: auth[key].status },
        { code: AUTH_ERRORS[key].code, type: 'Sender', status: AUTH_ERRORS[key].status },
        auth[key].message,
      );
    }
  });
});
