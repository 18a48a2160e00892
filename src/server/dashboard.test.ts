/**
 * @module server/dashboard.test: the dashboard shares the SQS port without changing a single SQS answer: the page only
 * for a browser's GET /, its files with the right types, no runtime (`mqs server` alone), and off when disabled.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer } from './start-server.ts';

type Server = Awaited<ReturnType<typeof startServer>>;

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** What an SQS client sees: status, content type and body. */
async function answer(url: string, init?: RequestInit): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(url, init);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

describe('the dashboard on the SQS port', () => {
  let server: Server;
  let plain: Server;
  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, env: {} });
    plain = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, env: {}, isDashboardEnabled: false });
  });
  after(async () => {
    await server?.stop();
    await plain?.stop();
  });

  it('serves the page to a browser asking for / and says where it is', async () => {
    assert.equal(server.dashboardUrl, `${server.url}/`);
    const res = await fetch(`${server.url}/`, { headers: { accept: HTML } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const html = await res.text();
    assert.match(html, /<script type="module" src="\/_admin\/ui\/app\.js">/);
    assert.doesNotMatch(html, /https?:\/\//, 'nothing is loaded from another origin');
  });

  it('answers every SQS request as a server without the dashboard does, whatever its Accept header', async () => {
    const requests: Array<[string, RequestInit]> = [
      ['/', {}],
      ['/', { headers: { accept: '*/*' } }],
      ['/?Action=ListQueues', { headers: { accept: HTML } }],
      ['/?Action=ListQueues&Version=2012-11-05', {}],
      ['/', { method: 'POST', headers: { accept: HTML, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' }, body: '{}' }],
      ['/', { method: 'POST', headers: { accept: HTML, 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListQueues' }],
      ['/', { headers: { accept: HTML, 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' } }],
      ['/000000000000/missing', { headers: { accept: HTML } }],
      ['/favicon.ico', { headers: { accept: HTML } }],
    ];
    for (const [path, init] of requests) {
      const [withDashboard, without] = await Promise.all([answer(`${server.url}${path}`, init), answer(`${plain.url}${path}`, init)]);
      // Request ids and the port differ; everything else is the same.
      const scrub = (text: string) => text.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'ID').replaceAll(server.url, 'URL').replaceAll(plain.url, 'URL');
      assert.deepEqual({ ...withDashboard, body: scrub(withDashboard.body) }, { ...without, body: scrub(without.body) }, `${init.method ?? 'GET'} ${path}`);
      assert.doesNotMatch(withDashboard.type, /text\/html/);
    }
  });

  it('serves its files with their content types, and nothing outside its folder', async () => {
    for (const [path, type] of [
      ['/_admin/ui/app.js', 'text/javascript; charset=utf-8'],
      ['/_admin/ui/style.css', 'text/css; charset=utf-8'],
      ['/_admin/ui/index.html', 'text/html; charset=utf-8'],
      ['/_admin/ui/vendor/uplot.esm.js', 'text/javascript; charset=utf-8'],
      ['/_admin/ui/vendor/uplot.min.css', 'text/css; charset=utf-8'],
    ] as const) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), type, path);
      assert.ok((await res.arrayBuffer()).byteLength > 0, path);
    }
    for (const path of ['/_admin/ui/nope.js', '/_admin/ui/%2e%2e%2fpackage.json', '/_admin/ui/vendor/uPlot.cjs.js', '/_admin/ui/.hidden.js', '/_admin/ui/a/b.js']) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 404, path);
      assert.deepEqual(((await res.json()) as { error: { code: string } }).error.code, 'NotFound', path);
    }
  });

  it('shows queues only when no runtime is attached (mqs server alone)', async () => {
    const info = (await (await fetch(`${server.url}/_admin/info`)).json()) as { hasRuntime: boolean; storage: string; endpoint: string };
    assert.equal(info.hasRuntime, false);
    assert.equal(info.storage, 'in memory');
    assert.equal(info.endpoint, server.url);
    const functions = (await (await fetch(`${server.url}/_admin/functions`)).json()) as { isAttached: boolean; functions: unknown[] };
    assert.deepEqual([functions.isAttached, functions.functions], [false, []]);
    for (const path of ['/_admin/logs', '/_admin/functions/producer/history', '/_admin/functions/producer/streams']) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 503, path);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'Unavailable', path);
    }
  });

  it('leaves / and /_admin to SQS when disabled', async () => {
    assert.equal(plain.dashboard, undefined);
    assert.equal(plain.dashboardUrl, undefined);
    const page = await answer(`${plain.url}/`, { headers: { accept: HTML } });
    assert.equal(page.status, 400);
    assert.doesNotMatch(page.type, /text\/html/);
    const admin = await fetch(`${plain.url}/_admin/queues`);
    assert.equal(admin.status, 404);
  });
});
