// WebFetch's HTTP side: HTTPS only (http:// is upgraded, except for private hosts the user allowed), redirects
// followed within the same host, private addresses refused unless allowed, bytes and time capped. Sends no
// credentials of any kind (no API key, no cookies). Imports web-address.ts and node built-ins.
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, isPrivateHost, PrivateAddressError } from './web-address.ts';

export const WEB_FETCH_MAX_BYTES = 5 * 1024 * 1024;
export const WEB_FETCH_TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 5;

export class WebFetchError extends Error {
  override name = 'WebFetchError';
}

export interface FetchOptions {
  allowPrivate: boolean;
  signal: AbortSignal;
  maxBytes?: number;
  timeoutMs?: number;
  userAgent?: string;
}

export type FetchOutcome =
  | { kind: 'page'; url: string; status: number; contentType: string; body: Buffer; truncated: boolean }
  | { kind: 'redirect'; from: string; to: string; status: number };

/** The URL WebFetch will request: checked, http upgraded to https unless it is a private host that is allowed. */
export function normalizeUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new WebFetchError(`"${raw}" is not a valid URL; give a full URL like https://example.com/page`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebFetchError(`only http and https URLs can be fetched, not ${url.protocol}`);
  if (url.username || url.password) throw new WebFetchError('URLs with a user name or password are not fetched');
  const local = isPrivateHost(url.hostname);
  if (local && !allowPrivate) {
    throw new WebFetchError(`${url.hostname} is a private or local address; WebFetch only fetches public sites unless the user sets "webFetch": {"allowPrivateNetwork": true} or GLM_WEBFETCH_ALLOW_PRIVATE=1`);
  }
  if (url.protocol === 'http:' && !local) {
    url.protocol = 'https:';
    if (url.port === '80') url.port = '';
  }
  return url;
}

/** Fetches `raw`, following redirects on the same host; a redirect elsewhere is returned, not followed. */
export async function fetchUrl(raw: string, o: FetchOptions): Promise<FetchOutcome> {
  const signal = AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs ?? WEB_FETCH_TIMEOUT_MS)]);
  let url = normalizeUrl(raw, o.allowPrivate);
  const host = url.hostname;
  for (let hop = 0; ; hop++) {
    const res = await request(url, o, signal);
    if (res.redirect === undefined) return { kind: 'page', url: url.href, status: res.status, contentType: res.contentType, body: res.body, truncated: res.truncated };
    const next = new URL(res.redirect, url);
    if (next.hostname !== host) return { kind: 'redirect', from: url.href, to: next.href, status: res.status };
    if (hop >= MAX_REDIRECTS) throw new WebFetchError(`stopped after ${MAX_REDIRECTS} redirects at ${url.href}`);
    url = normalizeUrl(next.href, o.allowPrivate);
  }
}

interface RawResponse {
  status: number;
  contentType: string;
  body: Buffer;
  truncated: boolean;
  redirect?: string;
}

function request(url: URL, o: FetchOptions, signal: AbortSignal): Promise<RawResponse> {
  const maxBytes = o.maxBytes ?? WEB_FETCH_MAX_BYTES;
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise<RawResponse>((resolve, reject) => {
    const fail = (e: unknown) => reject(explain(e, url, signal, o));
    const req = lib.request(url, {
      method: 'GET',
      signal,
      lookup: guardedLookup(o.allowPrivate) as never,
      headers: { 'User-Agent': o.userAgent ?? 'glm-code (WebFetch)', Accept: 'text/html, text/markdown, text/plain, application/json;q=0.9, */*;q=0.5', 'Accept-Encoding': 'identity' },
    });
    req.on('error', fail);
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        return resolve({ status, contentType: '', body: Buffer.alloc(0), truncated: false, redirect: res.headers.location });
      }
      const parts: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        parts.push(chunk);
        size += chunk.length;
        if (size > maxBytes) {
          truncated = true;
          req.destroy();
          resolve({ status, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(parts).subarray(0, maxBytes), truncated });
        }
      });
      res.on('end', () => resolve({ status, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(parts), truncated }));
      res.on('error', fail);
    });
    req.end();
  });
}

function explain(e: unknown, url: URL, signal: AbortSignal, o: FetchOptions): Error {
  if (e instanceof PrivateAddressError || (e as { cause?: unknown })?.cause instanceof PrivateAddressError) {
    const err = e instanceof PrivateAddressError ? e : ((e as { cause: PrivateAddressError }).cause);
    return new WebFetchError(`${err.message}; WebFetch only fetches public sites unless the user sets "webFetch": {"allowPrivateNetwork": true} or GLM_WEBFETCH_ALLOW_PRIVATE=1`);
  }
  if (o.signal.aborted) return new WebFetchError('the fetch was cancelled');
  if (signal.aborted) return new WebFetchError(`${url.href} did not answer within ${Math.round((o.timeoutMs ?? WEB_FETCH_TIMEOUT_MS) / 1000)} s`);
  const code = (e as NodeJS.ErrnoException).code;
  return new WebFetchError(`could not fetch ${url.href}: ${code ?? (e instanceof Error ? e.message : String(e))}`);
}
