/**
 * @module test/clients/raw-query: hand-made query-protocol and signed requests, for what real clients never send
 * (bad input, GET forms, presigned URLs) and for reading the XML answers exactly.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { CLIENT_KEY, CLIENT_REGION } from './client-server.ts';

/** A response read in full. */
export interface RawReply {
  status: number;
  headers: Headers;
  text: string;
}

/** Form-encodes parameters the way the SDKs do (`encodeURIComponent`, so spaces become %20). */
export function formOf(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
}

/** POSTs a form body (`Action` included in `params`) to `url` (the endpoint `/` or a queue URL). Never throws on HTTP errors. */
export async function postForm(url: string, params: Record<string, string | number>, headers: Record<string, string> = {}): Promise<RawReply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    body: formOf(params),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** GETs `url?params`. Never throws on HTTP errors. */
export async function getQuery(url: string, params: Record<string, string | number>, headers: Record<string, string> = {}): Promise<RawReply> {
  const res = await fetch(`${url}?${formOf(params)}`, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The text of every `<tag>…</tag>` in `xml` (no nesting of the same tag), XML entities decoded. */
export function tagsOf(xml: string, tag: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g');
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) out.push(decodeXml(m[1] ?? ''));
  return out;
}

/** The text of the first `<tag>`; throws when there is none. */
export function tagOf(xml: string, tag: string): string {
  const [first] = tagsOf(xml, tag);
  if (first === undefined) throw new Error(`no <${tag}> in ${xml.slice(0, 400)}`);
  return first;
}

function decodeXml(text: string): string {
  return text.replace(/&(quot|amp|lt|gt|apos|#xD|#x[0-9A-Fa-f]+|#\d+);/g, (_, entity: string) => {
    switch (entity) {
      case 'quot':
        return '"';
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(entity.startsWith('#x') ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1)));
    }
  });
}

/** The SDK's own SHA-256 (what its clients give the signer). */
const SHA256 = Hash.bind(null, 'sha256');

/** The AWS SDK's own SigV4 signer for service `sqs`. */
export function sdkSigner(key: { accessKeyId: string; secretAccessKey: string } = CLIENT_KEY): SignatureV4 {
  return new SignatureV4({ credentials: key, region: CLIENT_REGION, service: 'sqs', sha256: SHA256 });
}

/** What to send, before signing. */
export interface UnsignedRequest {
  method: 'GET' | 'POST';
  /** The endpoint or a queue URL. */
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  body?: string;
}

function toSmithy(request: UnsignedRequest) {
  const url = new URL(request.url);
  return {
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: { ...(request.query ?? {}) },
    headers: { host: url.host, ...(request.headers ?? {}) },
    ...(request.body === undefined ? {} : { body: request.body }),
  };
}

async function sendSigned(url: string, signed: ReturnType<typeof toSmithy>): Promise<RawReply> {
  const query = formOf(signed.query);
  const headers: Record<string, string> = { ...signed.headers };
  // fetch sets Host itself (it is a forbidden header); the signed value is the same.
  delete headers.host;
  const res = await fetch(`${new URL(url).origin}${signed.path}${query ? `?${query}` : ''}`, {
    method: signed.method,
    headers,
    ...(signed.body === undefined ? {} : { body: signed.body }),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Signs `request` in the Authorization header (at `signingDate`, default now) and sends it. */
export async function sendHeaderSigned(
  request: UnsignedRequest,
  options: { key?: { accessKeyId: string; secretAccessKey: string }; signingDate?: Date } = {},
): Promise<RawReply> {
  const signed = await sdkSigner(options.key).sign(toSmithy(request), { signingDate: options.signingDate ?? new Date() });
  return sendSigned(request.url, signed as ReturnType<typeof toSmithy>);
}

/** Presigns `request` (X-Amz-* query parameters) and sends it. */
export async function sendPresigned(
  request: UnsignedRequest,
  options: { key?: { accessKeyId: string; secretAccessKey: string }; expiresIn?: number } = {},
): Promise<RawReply> {
  const signed = await sdkSigner(options.key).presign(toSmithy(request), { expiresIn: options.expiresIn ?? 300 });
  return sendSigned(request.url, signed as ReturnType<typeof toSmithy>);
}
