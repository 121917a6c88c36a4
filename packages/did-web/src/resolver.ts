// SPDX-License-Identifier: Apache-2.0
// A hardened did:web resolver (docs/security.md): HTTPS only, no redirects, connect and total
// timeouts, a size cap enforced while reading, refused hosts and addresses (checked on the name and
// on what DNS returns, connecting to the checked address), strict JSON, a validated document.
import { lookup as dnsLookup } from 'node:dns';
import { request } from 'node:https';
import type { LookupFunction } from 'node:net';
import { type DidDocument, PassportError } from '@agent-passport/core';
import { parseJson } from '@agent-passport/strict-json';
import type { DIDResolutionResult, DIDResolver } from 'did-resolver';
import { validateDidDocument } from './document.js';
import { isForbiddenAddress, isForbiddenHost } from './hosts.js';
import { didWebToUrl, parseDidWeb } from './url.js';

export interface DidWebResolverOptions {
  /** Total time for one resolution (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Time to connect (default 2000 ms). */
  readonly connectTimeoutMs?: number;
  /** Largest document accepted (default 64 KiB). */
  readonly maxBytes?: number;
  /** Tests only: host names allowed despite the host rules (e.g. 'localhost', '127.0.0.1'). */
  readonly allowInsecureHosts?: readonly string[];
  /** Extra trusted CA certificate(s) (PEM), e.g. a test's self-signed certificate. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
}

export interface DidResolverLike {
  resolve(did: string): Promise<DidDocument>;
}

function fetchDocument(
  url: URL,
  options: Required<Pick<DidWebResolverOptions, 'timeoutMs' | 'connectTimeoutMs' | 'maxBytes'>> &
    DidWebResolverOptions,
  allowed: boolean,
): Promise<Uint8Array> {
  const checkedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as unknown as { address: string; family: number }[];
      const bad = list.find((a) => !allowed && isForbiddenAddress(a.address));
      if (bad !== undefined || list.length === 0) {
        return callback(
          new PassportError(
            'ERR_DID_WEB_HOST_FORBIDDEN',
            `${hostname} resolves to a forbidden address`,
          ) as NodeJS.ErrnoException,
          '',
          4,
        );
      }
      const first = list[0]!;
      if ((lookupOptions as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: typeof list) => void)(null, [first]);
      callback(null, first.address, first.family);
    });
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: PassportError | undefined, body?: Uint8Array) => {
      if (settled) return;
      settled = true;
      clearTimeout(total);
      clearTimeout(connect);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(body as Uint8Array);
    };
    const req = request(url, {
      method: 'GET',
      headers: { accept: 'application/did+json, application/json' },
      lookup: checkedLookup,
      ...(options.ca === undefined ? {} : { ca: options.ca as string }),
      agent: false,
    });
    const total = setTimeout(
      () =>
        finish(new PassportError('ERR_FETCH_TIMEOUT', `no complete answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    const connect = setTimeout(
      () =>
        finish(new PassportError('ERR_FETCH_TIMEOUT', `no connection within ${options.connectTimeoutMs} ms`)),
      options.connectTimeoutMs,
    );
    req.on('socket', (socket) => {
      socket.once('secureConnect', () => clearTimeout(connect));
    });
    req.on('error', (e) =>
      finish(e instanceof PassportError ? e : new PassportError('ERR_FETCH_FAILED', e.message, { cause: e })),
    );
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400)
        return finish(new PassportError('ERR_FETCH_REDIRECT', `${status} redirect refused`));
      if (status !== 200)
        return finish(new PassportError('ERR_FETCH_STATUS', `the server answered ${status}`));
      const announced = Number(res.headers['content-length'] ?? '0');
      if (announced > options.maxBytes)
        return finish(new PassportError('ERR_FETCH_TOO_LARGE', `${announced} bytes announced`));
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes)
          return finish(new PassportError('ERR_FETCH_TOO_LARGE', `more than ${options.maxBytes} bytes`));
        chunks.push(chunk);
      });
      res.on('end', () => finish(undefined, new Uint8Array(Buffer.concat(chunks))));
      res.on('error', (e) => finish(new PassportError('ERR_FETCH_FAILED', e.message, { cause: e })));
    });
    req.end();
  });
}

export interface HardenedFetcher {
  /** GET an https URL under the resolver's rules and parse it as strict JSON. */
  fetchJson(url: string | URL): Promise<unknown>;
}

function normalise(options: DidWebResolverOptions) {
  const o = { timeoutMs: 5000, connectTimeoutMs: 2000, maxBytes: 64 * 1024, ...options };
  for (const k of ['timeoutMs', 'connectTimeoutMs', 'maxBytes'] as const) {
    if (!Number.isInteger(o[k]) || o[k] <= 0) throw new RangeError(`${k} must be a positive integer`);
  }
  const allowList = new Set((o.allowInsecureHosts ?? []).map((h) => h.toLowerCase()));
  return { o, allowList };
}

/**
 * The resolver's fetcher for the other documents an issuer publishes (status lists, schema): the
 * same rules as did:web resolution (https only, no redirects, timeouts, size cap, refused hosts).
 */
export function createHardenedFetcher(options: DidWebResolverOptions = {}): HardenedFetcher {
  const { o, allowList } = normalise(options);
  return {
    async fetchJson(input: string | URL): Promise<unknown> {
      let url: URL;
      try {
        url = new URL(input);
      } catch {
        throw new PassportError('ERR_FETCH_FAILED', `${String(input)} is not a URL`);
      }
      if (url.protocol !== 'https:' || url.username !== '' || url.password !== '')
        throw new PassportError('ERR_FETCH_FAILED', `${url.href}: only https URLs without credentials`);
      const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
      const allowed = allowList.has(host);
      if (!allowed && isForbiddenHost(host))
        throw new PassportError('ERR_DID_WEB_HOST_FORBIDDEN', `${host} is not a public host name`);
      return parseJson(await fetchDocument(url, o, allowed), { maxBytes: o.maxBytes });
    },
  };
}

/** Create the hardened resolver. Every failure is a PassportError with its own code. */
export function createDidWebResolver(options: DidWebResolverOptions = {}): DidResolverLike {
  const { o, allowList } = normalise(options);
  return {
    async resolve(did: string): Promise<DidDocument> {
      const { host } = parseDidWeb(did);
      const allowed = allowList.has(host);
      if (!allowed && isForbiddenHost(host))
        throw new PassportError('ERR_DID_WEB_HOST_FORBIDDEN', `${host} is not a public host name`);
      // didWebToUrl only ever yields https: URLs (did:web §3.2.2).
      const url = didWebToUrl(did);
      const body = await fetchDocument(url, o, allowed);
      return validateDidDocument(did, parseJson(body, { maxBytes: o.maxBytes }));
    },
  };
}

/** An offline resolver over pinned documents: no network at all. */
export function createPinnedResolver(
  documents: Iterable<DidDocument> | Readonly<Record<string, DidDocument>>,
): DidResolverLike & {
  resolveSync(did: string): DidDocument;
} {
  const list =
    Symbol.iterator in Object(documents)
      ? [...(documents as Iterable<DidDocument>)]
      : Object.values(documents);
  const pinned = new Map<string, DidDocument>();
  for (const doc of list) pinned.set(doc.id, validateDidDocument(doc.id, doc));
  const resolveSync = (did: string): DidDocument => {
    const doc = pinned.get(did);
    if (doc === undefined) throw new PassportError('ERR_DID_NOT_FOUND', `${did} is not pinned`);
    return doc;
  };
  return { resolveSync, resolve: async (did) => resolveSync(did) };
}

/** A did-resolver driver: failures are resolution metadata, never thrown. */
export function getResolver(resolver: DidResolverLike): Record<string, DIDResolver> {
  const web: DIDResolver = async (did): Promise<DIDResolutionResult> => {
    try {
      const doc = await resolver.resolve(did);
      return {
        didResolutionMetadata: { contentType: 'application/did+json' },
        didDocument: doc as unknown as DIDResolutionResult['didDocument'],
        didDocumentMetadata: {},
      };
    } catch (e) {
      const code = e instanceof PassportError ? e.code : 'ERR_FETCH_FAILED';
      const error =
        code === 'ERR_DID_WEB_INVALID'
          ? 'invalidDid'
          : code === 'ERR_DID_NOT_FOUND' || code === 'ERR_FETCH_STATUS'
            ? 'notFound'
            : 'internalError';
      return {
        didResolutionMetadata: { error, code, message: (e as Error).message },
        didDocument: null,
        didDocumentMetadata: {},
      };
    }
  };
  return { web };
}
