/**
 * @module test/integration/browser-requests: a web page cannot use the local server through the user's browser: a
 * cross-site form or image request and a rebound DNS name are refused with 403 AccessDenied before anything runs.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createStandardQueue } from '../helpers/queues.ts';
import { send } from '../helpers/messages.ts';
import { useTestServer } from '../helpers/start.ts';

/** A GET with exactly these headers (node:http sends Host as given; fetch would not). */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('requests a web page makes the browser send', () => {
  const t = useTestServer();

  it('refuses a cross-site PurgeQueue (an <img src>) and a rebound Host reading /_admin, and changes nothing', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'keep me');
    const { port } = new URL(t.srv.url);
    const purge = `${t.srv.url}/?Action=PurgeQueue&QueueUrl=${encodeURIComponent(q.url)}`;
    const crossSite = await get(purge, { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' });
    assert.equal(crossSite.status, 403, crossSite.body);
    assert.match(crossSite.body, /AccessDeniedException/);
    const rebound = await get(`${t.srv.url}/_admin/queues/${q.name}?peek=10`, { host: `attacker.example:${port}` });
    assert.equal(rebound.status, 403, rebound.body);
    assert.doesNotMatch(rebound.body, /keep me/);
    const { Attributes } = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['ApproximateNumberOfMessages'] }));
    assert.equal(Attributes?.['ApproximateNumberOfMessages'], '1');
    // The same purge without browser headers is an SDK's: it works.
    assert.equal((await get(purge, {})).status, 200);
  });
});
