// SPDX-License-Identifier: Apache-2.0
// Attacker tests (issue 15, items 2 and 16): signed target = routed target = logged target. A
// read-only agent signs /api/read and sends the request with another target (dot segments, their
// encodings, encoded slashes, backslashes, empty segments, absolute form) to real services on
// 127.0.0.1; every one is refused with ERR_REQUEST_TARGET (400) and the admin route never runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetProblem } from '../src/target.js';
import { ORIGIN, raw, reader, type Service, services, signedRequest } from './edge-world.js';

let all: Service[];
beforeAll(async () => {
  all = await services();
});
afterAll(async () => {
  await Promise.all(all.map((s) => s.close()));
});

const VARIANTS = [
  '/api/admin/drop/../../read',
  '/api/admin/drop/%2e%2e/%2e%2e/read',
  '/api/admin/drop/%2E%2E/%2E%2E/read',
  '/api/admin/drop/.%2e/.%2E/read',
  '/api/admin/drop/..%2f..%2fread',
  '/api/admin/drop/..%2F..%2Fread',
  '/api/admin/drop/..\\..\\read',
  '/api/admin/drop/./../../read',
  '//api/read',
  '/api//read',
  '/api/%72ead',
];

describe.each(['express', 'fastify'])('%s routes the raw target: every other spelling is refused', (name) => {
  const service = () => all.find((s) => s.name === name) as Service;

  it('the signed target itself is accepted, and routed and logged as signed', async () => {
    const s = service();
    const signed = await signedRequest(reader, `${ORIGIN}/api/read`);
    const r = await raw(s.port, '/api/read', { headers: signed.headers });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(s.routed.at(-1)).toBe('/api/read');
    expect(s.logged.at(-1)).toBe(`${ORIGIN}/api/read`);
  });

  it.each(VARIANTS)('%s → 400 ERR_REQUEST_TARGET, the admin route never runs', async (target) => {
    const s = service();
    const signed = await signedRequest(reader, `${ORIGIN}/api/read`);
    const r = await raw(s.port, target, { headers: signed.headers });
    expect(s.admin.runs).toBe(0);
    // Fastify answers a target that matches no route itself (404) before any hook: nothing runs.
    if (name === 'fastify' && r.status === 404) return;
    expect(r.json.code, JSON.stringify(r.json)).toBe('ERR_REQUEST_TARGET');
    expect(r.status).toBe(400);
    expect(r.headers['www-authenticate']).toContain('code="ERR_REQUEST_TARGET"');
  });

  it('an absolute-form target (item 16) → 400 ERR_REQUEST_TARGET, no stack trace', async () => {
    const s = service();
    for (const target of [
      `http://127.0.0.1:${s.port}/api/read`,
      'http://api.example/api/admin/drop/../../read',
      `${ORIGIN}/api/read`,
    ]) {
      const signed = await signedRequest(reader, `${ORIGIN}/api/read`);
      const r = await raw(s.port, target, { headers: signed.headers });
      expect(r.status, JSON.stringify(r.json)).toBe(400);
      expect(r.json.code).toBe('ERR_REQUEST_TARGET');
      expect(JSON.stringify(r.json)).not.toMatch(/at .*\.(js|ts):\d+/);
    }
    expect(s.admin.runs).toBe(0);
  });
});

describe.each(['hono', 'fetch'])(
  '%s: the runtime parses the URL; the same target reaches verifier, router and log',
  (name) => {
    const service = () => all.find((s) => s.name === name) as Service;
    it.each(VARIANTS)(
      '%s never runs the admin route, and what is routed is what was logged',
      async (target) => {
        const s = service();
        const signed = await signedRequest(reader, `${ORIGIN}/api/read`);
        const r = await raw(s.port, target, { headers: signed.headers });
        expect(s.admin.runs).toBe(0);
        if (r.status === 200) expect(s.logged.at(-1)).toBe(s.routed.at(-1));
        else expect(['ERR_REQUEST_TARGET', 'ERR_SIG_INVALID', 'ERR_REPLAY']).toContain(r.json.code);
      },
    );
  },
);

describe('targetProblem: normal origin-form only', () => {
  it.each([
    ['/api/read', undefined],
    ['/', undefined],
    ['/api/read/', undefined],
    ['/api/read?x=..%2f&y=%2e', undefined],
    ['/files/%C3%A9t%C3%A9', undefined],
    ['/a%25b', undefined],
    ['*', 'origin-form'],
    ['api/read', 'origin-form'],
    ['/a/%zz', 'malformed'],
    ['/a/%2', 'malformed'],
    ['/a b', 'rewrite'],
    ['/a"b', 'rewrite'],
    ['/a\tb', 'rewrite'],
    ['/a/%7e', 'literal'],
    ['/a/%5C', 'literal'],
  ])('%s', (target, problem) => {
    const p = targetProblem(target, ORIGIN);
    if (problem === undefined) expect(p).toBeUndefined();
    else expect(p).toContain(problem);
  });
});
