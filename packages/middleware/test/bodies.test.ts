// SPDX-License-Identifier: Apache-2.0
// Attacker tests (issue 15, items 3, 8, 9, 18, 19) against every adapter on 127.0.0.1: nothing
// is read of a body before the caller is authenticated; a body is read under maxBodyBytes (413,
// `Connection: close`, and the next request on a kept-alive connection still works); a covered
// digest is checked on every method and for an emptied body; a body nobody signed is refused;
// Express refuses a body that a parser mounted first consumed; an oversized Signature-Input is
// refused before anything else.
import { Agent } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ORIGIN,
  type Raw,
  raw,
  reader,
  type Service,
  services,
  signedRequest,
  stranger,
} from './edge-world.js';

const LIMIT = 64 * 1024;
let all: Service[];
let parsedFirst: Service[];
beforeAll(async () => {
  all = await services({ maxBodyBytes: LIMIT });
  parsedFirst = await services({ beforeExpress: express.json() });
});
afterAll(async () => {
  await Promise.all([...all, ...parsedFirst].map((s) => s.close()));
});
const NAMES = ['express', 'fastify', 'hono', 'fetch'];
const find = (list: Service[], name: string) => list.find((s) => s.name === name) as Service;

describe.each(NAMES)('%s', (name) => {
  const service = () => find(all, name);

  it('a stranger (valid signature, self-issued passport) uploading 8 MiB: 401, the body is never read', async () => {
    const big = new Uint8Array(8 * 1024 * 1024);
    const signed = await signedRequest(stranger, `${ORIGIN}/api/read`, { method: 'POST', body: big });
    const r = await raw(service().port, '/api/read', {
      method: 'POST',
      headers: signed.headers,
      body: big,
    }).catch((e: Error): Raw => ({ status: 0, json: { code: e.message }, headers: {} }));
    if (r.status !== 0) {
      expect(r.json.code).toBe('ERR_ISSUER_UNTRUSTED');
      expect(r.headers['connection']).toBe('close');
    }
    expect(service().bytesRead.at(-1)).toBeLessThan(2 * 1024 * 1024);
  });

  it('an authenticated agent over maxBodyBytes: 413 ERR_BODY_TOO_LARGE, Connection: close; the kept-alive agent goes on', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const big = new Uint8Array(4 * LIMIT).fill(7);
      const signed = await signedRequest(reader, `${ORIGIN}/api/read`, { method: 'POST', body: big });
      const r = await raw(service().port, '/api/read', {
        method: 'POST',
        headers: signed.headers,
        body: big,
        agent,
      });
      expect(r.status, JSON.stringify(r.json)).toBe(413);
      expect(r.json.code).toBe('ERR_BODY_TOO_LARGE');
      expect(r.headers['connection']).toBe('close');
      for (let i = 0; i < 3; i++) {
        const next = await signedRequest(reader, `${ORIGIN}/api/read`, { method: 'POST', body: 'small' });
        const ok = await raw(service().port, '/api/read', {
          method: 'POST',
          headers: next.headers,
          body: 'small',
          agent,
        });
        expect(ok.status, JSON.stringify(ok.json)).toBe(200);
        expect(ok.json).toMatchObject({ bytes: 5 });
      }
    } finally {
      agent.destroy();
    }
  });

  it('a body stripped in transit (covered digest, empty body): ERR_DIGEST_MISMATCH', async () => {
    const signed = await signedRequest(reader, `${ORIGIN}/api/read`, {
      method: 'POST',
      body: '{"amount":1}',
    });
    const headers = new Headers(signed.headers);
    headers.set('content-length', '0');
    const r = await raw(service().port, '/api/read', { method: 'POST', headers });
    expect(r.json.code, JSON.stringify(r.json)).toBe('ERR_DIGEST_MISMATCH');
    expect(r.status).toBe(401);
  });

  it('a covered digest is checked on DELETE too: a swapped body is ERR_DIGEST_MISMATCH', async () => {
    const signed = await signedRequest(reader, `${ORIGIN}/api/read`, { method: 'DELETE', body: 'a' });
    const r = await raw(service().port, '/api/read', {
      method: 'DELETE',
      headers: signed.headers,
      body: 'b',
    });
    expect(r.json.code, JSON.stringify(r.json)).toBe('ERR_DIGEST_MISMATCH');
  });

  it('a signed POST without a body carrying an unsigned body: ERR_SIG_COMPONENT_MISSING', async () => {
    const signed = await signedRequest(reader, `${ORIGIN}/api/read`, { method: 'POST' });
    const r = await raw(service().port, '/api/read', {
      method: 'POST',
      headers: signed.headers,
      body: 'unsigned',
    });
    expect(r.json.code, JSON.stringify(r.json)).toBe('ERR_SIG_COMPONENT_MISSING');
    expect(r.status).toBe(401);
  });

  it('a signed GET carrying an unsigned body never reaches the handler: ERR_SIG_COMPONENT_MISSING', async () => {
    const signed = await signedRequest(reader, `${ORIGIN}/api/read`);
    const before = service().routed.length;
    const r = await raw(service().port, '/api/read', { headers: signed.headers, body: 'unsigned' });
    expect(r.json.code, JSON.stringify(r.json)).toBe('ERR_SIG_COMPONENT_MISSING');
    expect(service().routed.length).toBe(before);
  });

  it('an 11 KiB Signature-Input is refused before anything else: ERR_SIG_LIMIT', async () => {
    const signed = await signedRequest(reader, `${ORIGIN}/api/read`);
    const headers = new Headers(signed.headers);
    const many = Array.from({ length: 1400 }, (_, i) => `"x-h${i}"`).join(' ');
    headers.set('signature-input', `sig1=(${many});created=1;keyid="k";nonce="n"`);
    const r = await raw(service().port, '/api/read', { headers });
    expect(r.json.code, JSON.stringify(r.json)).toBe('ERR_SIG_LIMIT');
  });
});

describe('express.json() mounted before the verifier (item 8)', () => {
  it('a swapped JSON body is refused because the body was consumed: 500 ERR_BODY_CONSUMED', async () => {
    const s = find(parsedFirst, 'express');
    const signed = await signedRequest(reader, `${ORIGIN}/api/read`, {
      method: 'POST',
      body: '{"amount":1}',
    });
    const headers = new Headers(signed.headers);
    headers.set('content-type', 'application/json');
    const r = await raw(s.port, '/api/read', { method: 'POST', headers, body: '{"amount":1000}' });
    expect(r.json.code, JSON.stringify(r.json)).toBe('ERR_BODY_CONSUMED');
    expect(r.status).toBe(500);
    expect(s.routed).toEqual([]);
  });
});
