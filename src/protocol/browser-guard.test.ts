/** @module protocol/browser-guard.test: which requests a web page could make a browser send are refused. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { browserGuard } from './browser-guard.ts';

describe('browserGuard', () => {
  const loopback = browserGuard({ names: ['sqs.local'], isCheckingHost: true });

  it('lets SDK and CLI requests through: IP, localhost and --public-url hosts, no Origin', () => {
    for (const host of ['127.0.0.1:9324', 'localhost:9324', 'LOCALHOST', 'api.localhost:1', '[::1]:9324', 'sqs.local:9324', '10.1.2.3']) {
      assert.equal(loopback({ host }), undefined, host);
    }
    assert.equal(loopback({}), undefined, 'HTTP/1.0 without Host');
  });

  it("lets the server's own pages through (same origin)", () => {
    assert.equal(loopback({ host: '127.0.0.1:9324', origin: 'http://127.0.0.1:9324', 'sec-fetch-site': 'same-origin' }), undefined);
  });

  it('refuses a Host that is not this server on a loopback server (DNS rebinding)', () => {
    assert.match(loopback({ host: 'attacker.example:9324' }) ?? '', /Host attacker.example:9324 is not this server/);
    // A server on a LAN address is reached under names it cannot know.
    assert.equal(browserGuard({ names: [], isCheckingHost: false })({ host: 'attacker.example:9324' }), undefined);
  });

  it('refuses what another site makes the browser send: a form, an image, a sandboxed frame', () => {
    assert.match(loopback({ host: '127.0.0.1:9324', 'sec-fetch-site': 'cross-site' }) ?? '', /another origin/);
    assert.match(loopback({ host: '127.0.0.1:9324', 'sec-fetch-site': 'same-site' }) ?? '', /another origin/);
    assert.match(loopback({ host: '127.0.0.1:9324', origin: 'http://evil.example' }) ?? '', /origin http:\/\/evil.example is refused/);
    assert.match(loopback({ host: '127.0.0.1:9324', origin: 'null' }) ?? '', /origin null is refused/);
    assert.match(loopback({ host: '127.0.0.1:9324', origin: 'http://127.0.0.1:8080' }) ?? '', /is refused/, 'another port is another origin');
  });
});
