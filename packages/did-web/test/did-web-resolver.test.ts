// SPDX-License-Identifier: Apache-2.0
// The hardened resolver against real HTTPS servers on 127.0.0.1 with a self-signed certificate made
// here: each misbehaving server is refused with its own code; the pinned resolver never networks.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { PassportError } from '@agent-passport/core';
import { encodeMultikey, publicKeyFromSecret, randomSecretKey } from '@agent-passport/did-key';
import { Resolver } from 'did-resolver';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDidDocument,
  createDidWebResolver,
  createHardenedFetcher,
  createPinnedResolver,
  getResolver,
  validateDidDocument,
} from '../src/index.js';

const multibase = () => encodeMultikey(publicKeyFromSecret('Ed25519', randomSecretKey('Ed25519')), 'Ed25519');
let cert = '';
let key = '';
let server: Server;
let port = 0;
let hits: string[] = [];
let handler: (req: IncomingMessage, res: ServerResponse) => void = () => {};

beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  } as never);
  cert = pems.cert;
  key = pems.private;
  server = createServer({ cert, key }, (req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as AddressInfo).port;
});
afterAll(
  () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
);

const did = () => `did:web:localhost%3A${port}`;
const resolver = (extra: Parameters<typeof createDidWebResolver>[0] = {}) =>
  createDidWebResolver({
    allowInsecureHosts: ['localhost'],
    ca: cert,
    timeoutMs: 10_000, // generous: loopback TLS on a loaded machine; timeout tests pass their own
    connectTimeoutMs: 5000,
    maxBytes: 4096,
    ...extra,
  });
const serveJson = (body: string, status = 200, headers: Record<string, string> = {}) => {
  handler = (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/did+json', ...headers });
    res.end(body);
  };
};
const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return e instanceof PassportError ? e.code : String(e);
  }
};

describe('createDidWebResolver over HTTPS on 127.0.0.1', () => {
  it('resolves a good document from /.well-known/did.json, deep-frozen', async () => {
    hits = [];
    const doc = buildDidDocument({ did: did(), keys: [{ publicKeyMultibase: multibase() }] });
    serveJson(JSON.stringify(doc));
    const got = await resolver().resolve(did());
    expect(got).toEqual(doc);
    expect(Object.isFrozen(got.verificationMethod)).toBe(true);
    expect(hits).toEqual(['/.well-known/did.json']);
  });

  it('resolves a path DID from /a/b/did.json', async () => {
    hits = [];
    const d = `${did()}:orgs:acme`;
    serveJson(JSON.stringify(buildDidDocument({ did: d, keys: [{ publicKeyMultibase: multibase() }] })));
    expect((await resolver().resolve(d)).id).toBe(d);
    expect(hits).toEqual(['/orgs/acme/did.json']);
  });

  for (const status of [301, 302, 307, 308]) {
    it(`never follows a ${status} redirect (ERR_FETCH_REDIRECT)`, async () => {
      hits = [];
      handler = (req, res) => {
        if (req.url === '/.well-known/did.json') {
          res.writeHead(status, { location: '/elsewhere.json' });
          res.end();
        } else serveJsonBody(res);
      };
      expect(await codeOf(resolver().resolve(did()))).toBe('ERR_FETCH_REDIRECT');
      expect(hits).toEqual(['/.well-known/did.json']);
    });
  }
  const serveJsonBody = (res: ServerResponse) => res.end('{}');

  it('cuts off a body that trickles past the total timeout (ERR_FETCH_TIMEOUT)', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const t = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(t));
    };
    const started = Date.now();
    expect(await codeOf(resolver({ timeoutMs: 600 }).resolve(did()))).toBe('ERR_FETCH_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(10_000); // the body never ends: only the timeout stops it
  });

  it('gives up on headers that never come (ERR_FETCH_TIMEOUT)', async () => {
    handler = () => {};
    expect(await codeOf(resolver({ timeoutMs: 500 }).resolve(did()))).toBe('ERR_FETCH_TIMEOUT');
  });

  it('refuses a huge chunked body while reading (ERR_FETCH_TOO_LARGE)', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 100; i++) res.write('x'.repeat(1000));
      res.end();
    };
    expect(await codeOf(resolver().resolve(did()))).toBe('ERR_FETCH_TOO_LARGE');
  });

  it('refuses a huge announced Content-Length (ERR_FETCH_TOO_LARGE)', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': '10000000' });
      res.write('{');
    };
    expect(await codeOf(resolver().resolve(did()))).toBe('ERR_FETCH_TOO_LARGE');
  });

  it('refuses a 404 (ERR_FETCH_STATUS)', async () => {
    serveJson('not found', 404);
    expect(await codeOf(resolver().resolve(did()))).toBe('ERR_FETCH_STATUS');
  });

  it('refuses invalid JSON (ERR_PARSE_JSON) and duplicate keys (ERR_PARSE_DUPLICATE_KEY)', async () => {
    serveJson('{"id": ');
    expect(await codeOf(resolver().resolve(did()))).toBe('ERR_PARSE_JSON');
    serveJson(`{"id":"${did()}","id":"did:web:evil.example"}`);
    expect(await codeOf(resolver().resolve(did()))).toBe('ERR_PARSE_DUPLICATE_KEY');
  });

  it('refuses a document for another DID (ERR_DID_ID_MISMATCH)', async () => {
    serveJson(
      JSON.stringify(
        buildDidDocument({ did: 'did:web:evil.example', keys: [{ publicKeyMultibase: multibase() }] }),
      ),
    );
    expect(await codeOf(resolver().resolve(did()))).toBe('ERR_DID_ID_MISMATCH');
  });

  it('refuses a key controlled by someone else (ERR_DID_CONTROLLER_MISMATCH)', async () => {
    const doc = structuredClone(
      buildDidDocument({ did: did(), keys: [{ publicKeyMultibase: multibase() }] }),
    ) as Record<string, unknown>;
    (doc['verificationMethod'] as Record<string, unknown>[])[0]!['controller'] = 'did:web:evil.example';
    serveJson(JSON.stringify(doc));
    expect(await codeOf(resolver().resolve(did()))).toBe('ERR_DID_CONTROLLER_MISMATCH');
  });

  it('refuses a document with a small-order key (ERR_ED25519_SMALL_ORDER)', async () => {
    const doc = structuredClone(
      buildDidDocument({ did: did(), keys: [{ publicKeyMultibase: multibase() }] }),
    ) as Record<string, unknown>;
    (doc['verificationMethod'] as Record<string, unknown>[])[0]!['publicKeyMultibase'] =
      'z6MkeTG3bFFSLYVU7VqhgZxqr6YzpaGrQtFMh1uvqGy1vDnP';
    serveJson(JSON.stringify(doc));
    const code = await codeOf(resolver().resolve(did()));
    expect(
      code.startsWith('ERR_ED25519') || code === 'ERR_KEY_LENGTH' || code === 'ERR_MULTIBASE_DECODE',
    ).toBe(true);
  });

  it('refuses a connection the certificate does not vouch for (ERR_FETCH_FAILED)', async () => {
    serveJson('{}');
    expect(await codeOf(createDidWebResolver({ allowInsecureHosts: ['localhost'] }).resolve(did()))).toBe(
      'ERR_FETCH_FAILED',
    );
  });

  it('without the test allowance, refuses localhost and IP-literal hosts before connecting (ERR_DID_WEB_HOST_FORBIDDEN)', async () => {
    hits = [];
    serveJson('{}');
    const strict = createDidWebResolver({ ca: cert });
    for (const d of [
      did(),
      `did:web:127.0.0.1%3A${port}`,
      'did:web:2130706433',
      'did:web:0x7f000001',
      'did:web:printer.local',
      'did:web:intranet',
    ]) {
      expect(await codeOf(strict.resolve(d)), d).toBe('ERR_DID_WEB_HOST_FORBIDDEN');
    }
    expect(hits).toEqual([]);
  });

  it('validates its options (RangeError)', () => {
    expect(() => createDidWebResolver({ timeoutMs: 0 })).toThrow(RangeError);
    expect(() => createDidWebResolver({ maxBytes: -5 })).toThrow(RangeError);
  });

  it('is exposed through did-resolver, failures as metadata', async () => {
    serveJson('nope', 500);
    const r = new Resolver(getResolver(resolver()));
    const res = await r.resolve(did());
    expect(res.didDocument).toBeNull();
    expect(res.didResolutionMetadata).toMatchObject({ code: 'ERR_FETCH_STATUS' });
  });
});

describe('createHardenedFetcher: the same rules for status lists, index and schema', () => {
  const fetcher = () =>
    createHardenedFetcher({ allowInsecureHosts: ['localhost'], ca: cert, timeoutMs: 10_000, maxBytes: 4096 });
  it('fetches strict JSON over HTTPS from an allowed host', async () => {
    serveJson('{"issuer":"did:web:x","statusLists":[]}');
    expect(
      await fetcher().fetchJson(`https://localhost:${port}/.well-known/agent-passport-status.json`),
    ).toEqual({
      issuer: 'did:web:x',
      statusLists: [],
    });
  });
  it('refuses what the resolver refuses, each with its code', async () => {
    serveJson('{"a":1,"a":2}');
    expect(await codeOf(fetcher().fetchJson(`https://localhost:${port}/x`))).toBe('ERR_PARSE_DUPLICATE_KEY');
    serveJson('{}', 302, { location: 'https://example.com/' });
    expect(await codeOf(fetcher().fetchJson(`https://localhost:${port}/x`))).toBe('ERR_FETCH_REDIRECT');
    serveJson(`{"pad":"${'x'.repeat(5000)}"}`);
    expect(await codeOf(fetcher().fetchJson(`https://localhost:${port}/x`))).toBe('ERR_FETCH_TOO_LARGE');
    expect(await codeOf(fetcher().fetchJson(`http://localhost:${port}/x`))).toBe('ERR_FETCH_FAILED');
    expect(await codeOf(fetcher().fetchJson(`https://user:pw@localhost:${port}/x`))).toBe('ERR_FETCH_FAILED');
    expect(await codeOf(fetcher().fetchJson('not a url'))).toBe('ERR_FETCH_FAILED');
    expect(await codeOf(createHardenedFetcher().fetchJson(`https://127.0.0.1:${port}/x`))).toBe(
      'ERR_DID_WEB_HOST_FORBIDDEN',
    );
    expect(await codeOf(createHardenedFetcher().fetchJson('https://[::1]/x'))).toBe(
      'ERR_DID_WEB_HOST_FORBIDDEN',
    );
  });
});

describe('createPinnedResolver (offline)', () => {
  it('answers pinned documents and nothing else (ERR_DID_NOT_FOUND), validating at construction', async () => {
    const doc = buildDidDocument({
      did: 'did:web:acme.example',
      keys: [{ publicKeyMultibase: multibase() }],
    });
    const pinned = createPinnedResolver([doc]);
    expect(await pinned.resolve('did:web:acme.example')).toEqual(doc);
    expect(await codeOf(pinned.resolve('did:web:other.example'))).toBe('ERR_DID_NOT_FOUND');
    expect(() =>
      createPinnedResolver({ x: { id: 'did:web:a.example', verificationMethod: 'x' } as never }),
    ).toThrow(PassportError);
  });
});

describe('DID documents', () => {
  it('buildDidDocument makes Multikey methods, DID v1 context first, default purposes', () => {
    const mb = multibase();
    const doc = buildDidDocument({
      did: 'did:web:acme.example',
      keys: [
        { publicKeyMultibase: mb },
        { id: 'auth', publicKeyMultibase: mb, purposes: ['authentication'] },
      ],
    });
    expect(doc['@context']?.[0]).toBe('https://www.w3.org/ns/did/v1');
    expect(doc.verificationMethod?.map((m) => m.id)).toEqual([
      'did:web:acme.example#key-1',
      'did:web:acme.example#auth',
    ]);
    expect(doc.assertionMethod).toEqual(['did:web:acme.example#key-1']);
    expect(doc.authentication).toEqual(['did:web:acme.example#key-1', 'did:web:acme.example#auth']);
  });

  it('validateDidDocument refuses dangling references (ERR_VERIFICATION_METHOD_NOT_FOUND) and non-objects (ERR_DID_DOCUMENT_INVALID)', () => {
    const doc = {
      id: 'did:web:a.example',
      verificationMethod: [],
      assertionMethod: ['did:web:a.example#nope'],
    };
    expect(() => validateDidDocument('did:web:a.example', doc)).toThrow(
      expect.objectContaining({ code: 'ERR_VERIFICATION_METHOD_NOT_FOUND' }),
    );
    expect(() => validateDidDocument('did:web:a.example', [])).toThrow(
      expect.objectContaining({ code: 'ERR_DID_DOCUMENT_INVALID' }),
    );
    expect(() =>
      validateDidDocument('did:web:a.example', {
        id: 'did:web:a.example',
        verificationMethod: [
          { id: 'did:web:a.example#k', controller: 'did:web:a.example', type: 'JsonWebKey2020' },
        ],
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_DID_DOCUMENT_INVALID' }));
  });
});
