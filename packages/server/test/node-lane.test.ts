// SPDX-License-Identifier: Apache-2.0
// Differential: the node:http listener (its light lane: no fetch Request or Response for a body of
// declared length, NodeReply answers written as they are) against the fetch handler of the same
// service, on the same requests: the W3C VCDM 2.0 suite inputs issued and verified, credentials
// signed with each suite, and every hostile class the server tests send (media type, size
// declared or chunked, broken JSON, duplicate and forbidden keys, depth, request shape, bearer
// tokens, methods, paths). Status, body and headers must be the same, byte for byte.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { resolveDidKey } from '@agent-passport/did-key';
import { generateKey } from '@agent-passport/keystore';
import { didKeySigner, signCredential } from '@agent-passport/suites';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startVcApiServer, type VcApi } from '../src/index.js';
import { EXAMPLES_V2, EXAMPLES_V2_URL, exampleCredential, loader, OPERATOR } from './helpers.js';

const VERIFY_TOKEN = 'verify-token-0123456789';
const MAX_BODY = 16 * 1024;
// One clock reading for the whole file: both handlers issue the same bytes.
const NOW = new Date();
const HEADERS = [
  'content-type',
  'content-length',
  'cache-control',
  'x-content-type-options',
  'www-authenticate',
  'access-control-allow-origin',
];

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
  /** Sent without a length (chunked over HTTP, a stream to the fetch handler). */
  readonly chunked?: boolean;
}

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
}

const picked = (get: (name: string) => string | undefined) =>
  Object.fromEntries(HEADERS.map((h) => [h, get(h)]));

/** The case over real HTTP to the node listener. */
function overHttp(server: RunningServer, c: Case): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers =
      c.body === undefined || c.chunked === true
        ? c.headers
        : { ...c.headers, 'content-length': String(c.body.length) };
    const req = request(`${server.url}${c.path}`, { method: c.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: picked((h) => res.headers[h] as string | undefined),
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    if (c.body !== undefined && c.chunked === true) {
      // Two chunks: the limit is applied while the body is read.
      const half = c.body.length >> 1;
      req.write(c.body.subarray(0, half));
      req.end(c.body.subarray(half));
    } else req.end(c.body);
  });
}

/** The same case to the fetch handler. */
async function overFetch(server: RunningServer, api: VcApi, c: Case): Promise<Answer> {
  const stream = (body: Buffer) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        const half = body.length >> 1;
        controller.enqueue(new Uint8Array(body.subarray(0, half)));
        controller.enqueue(new Uint8Array(body.subarray(half)));
        controller.close();
      },
    });
  const body = c.body === undefined ? null : c.chunked === true ? stream(c.body) : new Uint8Array(c.body);
  const headers =
    c.body === undefined || c.chunked === true
      ? c.headers
      : { ...c.headers, 'content-length': String(c.body.length) };
  const response = await api.fetch(
    new Request(`${server.url}${c.path}`, {
      method: c.method,
      headers,
      body,
      ...(c.chunked === true ? { duplex: 'half' } : {}),
    } as RequestInit),
  );
  return {
    status: response.status,
    headers: picked((h) => response.headers.get(h) ?? undefined),
    text: c.method === 'HEAD' ? '' : await response.text(),
  };
}

const bearer = (token: string | undefined): Record<string, string> =>
  token === undefined ? {} : { authorization: `Bearer ${token}` };

/** A JSON POST (`raw`: the body as it is). */
function post(name: string, path: string, body: unknown, token?: string, raw?: string): Case {
  return {
    name,
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...bearer(token) },
    body: Buffer.from(raw ?? JSON.stringify(body), 'utf8'),
  };
}

/** The hostile requests of the server tests, to `path` with `token`. */
function hostile(path: string, token: string | undefined, key: string): Case[] {
  const json = (name: string, raw: string) => post(name, path, undefined, token, raw);
  const big = JSON.stringify({ [key]: { pad: 'x'.repeat(MAX_BODY) } });
  return [
    json('broken JSON', `{"${key}":`),
    json('duplicate keys', `{"${key}":{},"${key}":{}}`),
    json('__proto__', `{"${key}":{"__proto__":{"x":1}}}`),
    json('too deep', `{"${key}":${'['.repeat(100)}${']'.repeat(100)}}`),
    json('an array body', '[]'),
    json('null body', 'null'),
    json('empty body', ''),
    json('a lone surrogate', `{"${key}":{"a":"\\ud800"}}`),
    json('options not an object', `{"${key}":{},"options":5}`),
    json('checks not strings', `{"${key}":{},"options":{"checks":[1]}}`),
    json('the document not an object', `{"${key}":"x"}`),
    json('declared over the limit', big),
    { ...json('chunked over the limit', big), chunked: true },
    { ...json('chunked within the limit', `{"${key}":{}}`), chunked: true },
    { ...json('text/plain', '{}'), headers: { 'content-type': 'text/plain', ...bearer(token) } },
    { ...json('no media type', '{}'), headers: bearer(token) },
    {
      ...json('ld+json with a charset', `{"${key}":{}}`),
      headers: { 'content-type': 'application/ld+json; charset=utf-8', ...bearer(token) },
    },
    { ...json('no token', `{"${key}":{}}`), headers: { 'content-type': 'application/json' } },
    json('a wrong token', `{"${key}":{}}`),
    ...['Basic abc', 'Bearer ', 'bearer  x', `Bearer ${token ?? 'x'} extra`, 'Bearer a"b'].map((auth) => ({
      ...json(`authorization ${auth}`, `{"${key}":{}}`),
      headers: { 'content-type': 'application/json', authorization: auth },
    })),
    ...['GET', 'HEAD', 'PUT', 'DELETE'].map((method) => ({ name: method, method, path, headers: {} })),
  ].map((c) =>
    c.name === 'a wrong token' ? { ...c, headers: { ...c.headers, ...bearer('wrong-token-0123456789') } } : c,
  );
}

describe.each([
  ['open verification', undefined],
  ['verification behind a token', VERIFY_TOKEN],
])('node listener and fetch handler answer alike (%s)', (_, verifyToken) => {
  let server: RunningServer & { api: VcApi };
  const signer = didKeySigner(generateKey());
  const did = signer.id.split('#')[0] as string;
  beforeAll(async () => {
    server = await startVcApiServer(
      (origin) => ({
        issuer: { did, signer, didDocument: resolveDidKey(did) },
        publicUrl: origin,
        operatorToken: OPERATOR,
        ...(verifyToken === undefined ? {} : { verifyToken }),
        maxBodyBytes: MAX_BODY,
        contexts: { [EXAMPLES_V2_URL]: EXAMPLES_V2 },
        clock: () => NOW,
      }),
      { port: 0 },
    );
  });
  afterAll(() => server?.close());

  async function same(c: Case): Promise<Answer> {
    const [node, fetched] = [await overHttp(server, c), await overFetch(server, server.api, c)];
    expect(node, c.name).toEqual(fetched);
    return node;
  }

  it('on hostile requests to every endpoint, other methods and paths', async () => {
    const endpoints = [
      ['/credentials/verify', verifyToken, 'verifiableCredential'],
      ['/presentations/verify', verifyToken, 'verifiablePresentation'],
      ['/credentials/issue', OPERATOR, 'credential'],
      ['/credentials/status', OPERATOR, 'credentialId'],
    ] as const;
    const statuses = new Set<number>();
    for (const [path, token, key] of endpoints)
      for (const c of hostile(path, token, key)) statuses.add((await same(c)).status);
    for (const path of ['/', '/nothing/here', '/.well-known/agent-passport-schema.json'])
      for (const method of ['GET', 'HEAD', 'POST', 'DELETE'])
        statuses.add((await same({ name: `${method} ${path}`, method, path, headers: {} })).status);
    // The cases reach every kind of answer.
    expect([...statuses].sort()).toEqual([200, 400, 401, 404, 405, 413, 415, 422]);
  });

  it('on credentials signed with each suite, intact and tampered, and what the server issues', async () => {
    const verifyWith = (name: string, doc: unknown, options?: unknown) =>
      same(
        post(
          name,
          '/credentials/verify',
          { verifiableCredential: doc, ...(options === undefined ? {} : { options }) },
          verifyToken,
        ),
      );
    for (const cryptosuite of ['eddsa-jcs-2022', 'eddsa-rdfc-2022'] as const) {
      const vc = await signCredential(exampleCredential(did, { id: `urn:example:${cryptosuite}` }), {
        signer,
        cryptosuite,
        created: NOW,
        documentLoader: loader,
      });
      expect((await verifyWith(`${cryptosuite} intact`, vc)).status).toBe(200);
      await verifyWith(`${cryptosuite} no status check`, vc, { checks: ['proof'] });
      const tampered = { ...vc, credentialSubject: { id: 'did:example:mallory' } };
      expect((await verifyWith(`${cryptosuite} tampered`, tampered)).status).toBe(400);
      await verifyWith(`${cryptosuite} expired`, { ...vc, validUntil: '2026-01-01T00:00:00Z' });
    }
    const issued = await same(
      post(
        'issue',
        '/credentials/issue',
        { credential: exampleCredential(did, { id: 'urn:example:i' }) },
        OPERATOR,
      ),
    );
    expect(issued.status).toBe(201);
    await verifyWith('issued', JSON.parse(issued.text).verifiableCredential);
  });

  it('on every W3C VCDM 2.0 suite input, issued and verified', async () => {
    const file = join(
      import.meta.dirname,
      '..',
      '..',
      '..',
      'fixtures',
      'vectors',
      'w3c',
      'vcdm2-test-suite-inputs.json',
    );
    const files = (
      JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, Record<string, unknown>> }
    ).files;
    for (const [name, input] of Object.entries(files)) {
      const text = JSON.stringify(input)
        .replaceAll('"PAST DATE"', '"2020-01-01T00:00:00Z"')
        .replaceAll('"FUTURE DATE"', '"2099-01-01T00:00:00Z"');
      const doc = { id: `urn:example:${name}`, issuer: did, ...JSON.parse(text) };
      const key = name.startsWith('presentation') ? 'verifiablePresentation' : 'verifiableCredential';
      const path = name.startsWith('presentation') ? '/presentations/verify' : '/credentials/verify';
      await same(post(`${name} as given`, path, { [key]: doc }, verifyToken));
      if (key === 'verifiableCredential') {
        const issued = await same(
          post(`${name} issued`, '/credentials/issue', { credential: doc }, OPERATOR),
        );
        if (issued.status === 201)
          await same(post(`${name} verified`, path, JSON.parse(issued.text), verifyToken));
      }
    }
  });
});
