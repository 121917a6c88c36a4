// SPDX-License-Identifier: Apache-2.0
// Attacker test (issue 15, item 5): the origin is configuration, never a header. Service A
// forwards an agent's signed POST to service B with `Host: api-a.example`; B (every adapter, on
// 127.0.0.1) refuses it. Every adapter requires `origin`; with several origins, Host only picks
// among them.
import { createVerifier } from '@agent-passport/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentPassport,
  expressAgentPassport,
  fastifyAgentPassport,
  withAgentPassport,
} from '../src/index.js';
import { org, raw, reader, type Service, services, signedRequest } from './edge-world.js';

const A = 'https://api-a.example';
const B = 'https://api-b.example';
const B2 = 'https://b.example:8443';
let all: Service[];
beforeAll(async () => {
  all = await services({ origin: [B, B2] });
});
afterAll(async () => {
  await Promise.all(all.map((s) => s.close()));
});

describe('origin is required by every adapter', () => {
  const options = { verifier: createVerifier({ trustedIssuers: [org.did] }) } as never;
  it('no origin: TypeError when created', async () => {
    expect(() => withAgentPassport(options, () => new Response())).toThrow(TypeError);
    expect(() => agentPassport(options)).toThrow(TypeError);
    expect(() => expressAgentPassport(options)).toThrow(TypeError);
    const done: unknown[] = [];
    fastifyAgentPassport({} as never, options, (e) => done.push(e));
    expect(done[0]).toBeInstanceOf(TypeError);
  });
});

describe.each(['express', 'fastify', 'hono', 'fetch'])('%s as service B', (name) => {
  const service = () => all.find((s) => s.name === name) as Service;
  const body = '{"transfer":100}';

  it("refuses the agent's request for A forwarded with Host: api-a.example (ERR_SIG_INVALID)", async () => {
    const signed = await signedRequest(reader, `${A}/api/read`, { method: 'POST', body });
    const headers = new Headers(signed.headers);
    headers.set('host', 'api-a.example');
    const r = await raw(service().port, '/api/read', { method: 'POST', headers, body });
    expect(r.status, JSON.stringify(r.json)).toBe(401);
    expect(r.json.code).toBe('ERR_SIG_INVALID');
  });

  it('accepts a request signed for either of its own origins, whatever the Host among them', async () => {
    for (const [origin, host] of [
      [B, 'api-b.example'],
      [B2, 'b.example:8443'],
      [B, '127.0.0.1'],
    ] as const) {
      const signed = await signedRequest(reader, `${origin}/api/read`, { method: 'POST', body });
      const headers = new Headers(signed.headers);
      headers.set('host', host);
      const r = await raw(service().port, '/api/read', { method: 'POST', headers, body });
      expect(r.status, `${origin} via ${host}: ${JSON.stringify(r.json)}`).toBe(200);
      expect(r.json).toMatchObject({ read: true, bytes: body.length });
    }
  });
});
