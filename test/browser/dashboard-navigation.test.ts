/**
 * @module test/browser/dashboard-navigation: moving around the dashboard in a real browser: a queue chosen from the
 * keyboard, dead-letter queues as links, a malformed URL that must not stop the page, and a stopped server shown as
 * such (the numbers dimmed, not shown as live).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeleteQueueCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type RunningServer, startServer } from '../../src/server/start-server.ts';
import { createQueue } from '../helpers/queues.ts';
import { createTestClient } from '../helpers/start.ts';
import { launchChromium, type TestBrowser } from './chromium.ts';

const WAIT_MS = 30_000;

/** The page global the functions run in the browser use (the project compiles without the DOM library). */
declare const document: { readonly body: { readonly classList: { contains(name: string): boolean } } };

describe('dashboard navigation', { timeout: 4 * WAIT_MS }, () => {
  let server: RunningServer;
  let sqs: SQSClient;
  let browser: TestBrowser;

  before(async () => {
    browser = await launchChromium();
    server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, env: {} });
    sqs = createTestClient(server.url);
    const dlq = await createQueue(sqs, 'orders-dlq');
    await createQueue(sqs, 'orders', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }) });
    const zeta = await createQueue(sqs, 'zeta');
    await sqs.send(new SendMessageCommand({ QueueUrl: zeta.url, MessageBody: 'z'.repeat(5_000) }));
  });
  after(async () => {
    await browser?.close();
    sqs?.destroy();
    await server?.stop();
  });

  it('still shows the queues when the URL holds a malformed escape', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#queues/%E0%A4%A`);
    await page.locator('tr[data-queue="zeta"]').waitFor({ timeout: WAIT_MS });
  });

  it('selects a queue from the keyboard: a row takes focus and Enter opens it', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#queues`);
    const row = page.locator('tr[data-queue="zeta"]');
    await row.waitFor({ timeout: WAIT_MS });
    await row.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/#queues\/zeta$/, { timeout: WAIT_MS });
    await page.locator('[data-testid="queue-detail"] h2', { hasText: 'zeta' }).waitFor({ timeout: WAIT_MS });
    assert.equal(await row.getAttribute('aria-selected'), 'true');
  });

  it('links a queue to its dead-letter queue and back', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#queues/orders`);
    await page.locator('tr[data-queue="orders"] a.qlink', { hasText: 'orders-dlq' }).click({ timeout: WAIT_MS });
    await page.waitForURL(/#queues\/orders-dlq$/, { timeout: WAIT_MS });
    await page.locator('[data-testid="queue-detail"] h2', { hasText: 'orders-dlq' }).waitFor({ timeout: WAIT_MS });
    await page.locator('[data-testid="queue-detail"] dd a.qlink', { hasText: /^orders$/ }).click({ timeout: WAIT_MS });
    await page.waitForURL(/#queues\/orders$/, { timeout: WAIT_MS });
  });

  it('filters the queue list by name', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#queues`);
    await page.locator('tr[data-queue="zeta"]').waitFor({ timeout: WAIT_MS });
    await page.locator('[data-testid="queue-filter"]').fill('ORDERS');
    await page.locator('tr[data-queue="zeta"]').waitFor({ state: 'detached', timeout: WAIT_MS });
    assert.equal(await page.locator('tr[data-queue]').count(), 2);
    await page.locator('[data-testid="queue-filter"]').fill('');
    await page.locator('tr[data-queue="zeta"]').waitFor({ timeout: WAIT_MS });
  });

  it('marks a peeked body that is cut short, where the cell cannot hide the mark', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#queues/zeta`);
    const mark = page.locator('[data-testid="peek"] td.body .truncated');
    await mark.waitFor({ timeout: WAIT_MS });
    assert.match((await mark.textContent()) ?? '', /^4\.9 KiB, first 2,000 characters shown$/);
  });

  it('names the queue it shows in the URL when the one the URL named is deleted', async () => {
    const { page } = browser;
    const doomed = await createQueue(sqs, 'doomed');
    await page.goto(`${server.url}/#queues/doomed`);
    await page.locator('[data-testid="queue-detail"] h2', { hasText: 'doomed' }).waitFor({ timeout: WAIT_MS });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: doomed.url }));
    await page.locator('tr[data-queue="doomed"]').waitFor({ state: 'detached', timeout: WAIT_MS });
    await page.waitForURL((url) => url.hash.startsWith('#queues/') && url.hash !== '#queues/doomed', { timeout: WAIT_MS });
    const shown = decodeURIComponent(new URL(page.url()).hash.slice('#queues/'.length));
    await page.locator('[data-testid="queue-detail"] h2', { hasText: shown }).waitFor({ timeout: WAIT_MS });
  });

  it('dims what it shows while the server is unreachable', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#queues`);
    await page.locator('tr[data-queue="zeta"]').waitFor({ timeout: WAIT_MS });
    assert.equal(await page.evaluate(() => document.body.classList.contains('stale')), false);
    await server.stop();
    await page.waitForFunction(() => document.body.classList.contains('stale'), undefined, { timeout: WAIT_MS });
  });
});
