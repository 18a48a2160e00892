/**
 * @module test/browser/dashboard-large-queue: `mqs server` alone (no runtime) with 100,000 messages in a FIFO queue:
 * the page shows the counts GetQueueAttributes reports, a bounded peek and group list, stays responsive while it
 * refreshes, and says that functions need `mqs start`. How long the admin API and the page take is reported as a
 * diagnostic, not asserted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type RunningServer, startServer } from '../../src/server/start-server.ts';
import { createTestClient } from '../helpers/start.ts';
import { launchChromium, type TestBrowser } from './chromium.ts';

const QUEUE = 'bulk.fifo';
const MESSAGES = 100_000;
const GROUPS = 1_000;
const WAIT_MS = 60_000;

describe('the dashboard with 100,000 messages in a queue and no runtime', { timeout: 4 * WAIT_MS }, () => {
  let server: RunningServer;
  let sqs: SQSClient;
  let browser: TestBrowser;
  let queueUrl: string;

  before(async () => {
    browser = await launchChromium();
    server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, env: {} });
    sqs = createTestClient(server.url);
    // Filled in process: 10,000 SendMessageBatch calls over HTTP would only make the test slow; the page reads over HTTP.
    const { engine } = server;
    engine.createQueue({ name: QUEUE, attributes: { FifoQueue: 'true' } });
    for (let i = 0; i < MESSAGES; i += 10) {
      const entries = Array.from({ length: 10 }, (_, j) => ({ id: `e${j}`, body: JSON.stringify({ n: i + j }), messageGroupId: `g${(i + j) % GROUPS}`, messageDeduplicationId: `d${i + j}` }));
      engine.sendMessageBatch(QUEUE, entries, { senderId: 'test' });
    }
    queueUrl = `${server.url}/${server.accountId}/${QUEUE}`;
    // Five groups locked by messages in flight.
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }));
    assert.ok((received.Messages?.length ?? 0) > 0);
  });
  after(async () => {
    await browser?.close();
    sqs?.destroy();
    await server?.stop();
  });

  it('shows the counts, a bounded peek and a bounded group list, and stays responsive', async (t) => {
    const { page } = browser;
    const startedAt = Date.now();
    await page.goto(`${server.url}/#queues/${encodeURIComponent(QUEUE)}`);
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    const visible = Number(Attributes.ApproximateNumberOfMessages).toLocaleString('en-US');
    const inFlight = Number(Attributes.ApproximateNumberOfMessagesNotVisible).toLocaleString('en-US');
    await page.locator(`tr[data-queue="${QUEUE}"] td[data-field="visible"]`, { hasText: visible }).waitFor({ timeout: WAIT_MS });
    await page.locator(`tr[data-queue="${QUEUE}"] td[data-field="inFlight"]`, { hasText: inFlight }).waitFor({ timeout: WAIT_MS });
    await page.locator('[data-testid="peek"] tbody tr').first().waitFor({ timeout: WAIT_MS });
    t.diagnostic(`page showed the counts ${Date.now() - startedAt} ms after navigation`);
    assert.equal(await page.locator('[data-testid="peek"] tbody tr').count(), 20);
    const groupRows = await page.locator('[data-testid="groups"] tbody tr').count();
    assert.ok(groupRows > 0 && groupRows <= 50, `${groupRows} group rows`);
    assert.match((await page.locator('[data-testid="group-summary"]').textContent()) ?? '', /1,000 groups with messages · \d+ locked/);
    assert.equal(await page.locator('[data-testid="groups"] .lock.locked').first().textContent(), 'locked');

    // Responsiveness: the longest gap between animation frames over three refreshes of the page.
    // A string, not a function: tsx would wrap a named inner function in a helper the page does not have.
    const longestFrameGapMs = await page.evaluate<number>(`new Promise((resolve) => {
      let last = performance.now();
      let longest = 0;
      const end = last + 3000;
      const frame = (now) => {
        longest = Math.max(longest, now - last);
        last = now;
        if (now < end) requestAnimationFrame(frame);
        else resolve(longest);
      };
      requestAnimationFrame(frame);
    })`);
    t.diagnostic(`longest gap between animation frames while refreshing: ${longestFrameGapMs.toFixed(1)} ms`);
    const timings: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const res = await fetch(`${server.url}/_admin/queues/${encodeURIComponent(QUEUE)}?peek=20&groups=50`);
      await res.arrayBuffer();
      timings.push(performance.now() - t0);
    }
    timings.sort((a, b) => a - b);
    t.diagnostic(`GET /_admin/queues/${QUEUE} (100,000 messages, 1,000 groups): median ${timings[5]!.toFixed(1)} ms, max ${timings[9]!.toFixed(1)} ms`);
    await browser.screenshot('large-queue');
    assert.deepEqual(browser.pageErrors, []);
  });

  it('says that functions and logs need a runtime', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#functions`);
    await page.locator('[data-testid="no-runtime"]').waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.match((await page.locator('[data-testid="no-runtime"]').textContent()) ?? '', /mqs start/);
    assert.equal(await page.locator('[data-testid="function-table"]').isVisible(), false);
    await browser.screenshot('no-runtime');
    assert.deepEqual(browser.pageErrors, []);
  });
});
