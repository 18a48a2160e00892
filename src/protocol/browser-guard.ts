/**
 * @module protocol/browser-guard: what keeps a web page from using a local server through the user's browser. A
 * page cannot read across origins, but it can make the browser *send*: a form POST or an `<img src>` GET with
 * `Action=PurgeQueue` changes state, and DNS rebinding (an attacker's name re-pointed at 127.0.0.1) lets the page
 * read `/_admin/*` and message bodies as if same-origin. SDKs and CLIs send neither `Origin` nor `Sec-Fetch-Site`,
 * and name the server by the host they were given; browsers always send `Host` and, across sites, these headers.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

export interface BrowserGuardOptions {
  /** Host names (no port) this server answers to besides IP literals and `localhost`, e.g. the `--public-url` host. */
  readonly names: readonly string[];
  /**
   * Whether to check `Host` (DNS rebinding): yes on a loopback-only server; a server on a LAN address is reached
   * under names it cannot know.
   */
  readonly isCheckingHost: boolean;
}

/** `host` or `host:port` (or `[v6]:port`) → the host, lower-case, without brackets. */
function hostOf(authority: string): string {
  const value = authority.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']') < 0 ? undefined : value.indexOf(']'));
  const colon = value.lastIndexOf(':');
  return colon < 0 ? value : value.slice(0, colon);
}

/** Builds the guard: the reason a request is refused, or undefined. */
export function browserGuard(options: BrowserGuardOptions): (headers: IncomingHttpHeaders) => string | undefined {
  const names = new Set(options.names.map((name) => name.toLowerCase()));
  const isOurs = (host: string) => isIP(host) !== 0 || host === 'localhost' || host.endsWith('.localhost') || names.has(host);
  return (headers) => {
    if (options.isCheckingHost) {
      const host = headers.host;
      if (host !== undefined && !isOurs(hostOf(host))) {
        return `Host ${host} is not this server: it answers to IP addresses, localhost and its --public-url name (DNS rebinding protection).`;
      }
    }
    const site = headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') return 'A request a web page of another origin made the browser send is refused.';
    // Only browsers send Origin: the server's own page (same host), or another origin, `null` included (a sandboxed frame).
    const origin = headers.origin;
    if (origin !== undefined) {
      let originHost: string | undefined;
      try {
        originHost = new URL(origin).host.toLowerCase();
      } catch {
        originHost = undefined;
      }
      if (originHost === undefined || originHost !== headers.host?.toLowerCase()) {
        return `A request from origin ${origin} is refused: only this server's own pages may call it from a browser.`;
      }
    }
    return undefined;
  };
}
