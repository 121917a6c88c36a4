// SPDX-License-Identifier: Apache-2.0
// verifyRequest and its middleware: an agent's signing fetch against a fetch handler (in process),
// Hono (app.request) and Express (real HTTP on 127.0.0.1); every refusal with its status and code.
import { sign } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PassportError } from '@agent-passport/core';
import {
  createAgentFetch,
  isPassportRef,
  passportRef,
  type ReplayStore,
  signRequest,
  type UsageStore,
} from '@agent-passport/http-signatures';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey, type KeyMaterial } from '@agent-passport/keystore';
import { didKeySigner, privateKeyObject } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import express from 'express';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AgentContext,
  agentPassport,
  createRequestVerifier,
  expressAgentPassport,
  fastifyAgentPassport,
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  withAgentPassport,
} from '../src/index.js';

const org = generateKey();
const agent = generateKey();
const other = generateKey();
const keyIdOf = (k: KeyMaterial) => `${k.did}#${k.publicKeyMultibase}`;
const rawSigner = (k: KeyMaterial) => {
  const key = privateKeyObject(k);
  return (data: Uint8Array) => new Uint8Array(sign(null, data, key));
};
let passport: object;
let limited: object;
const verifier = () => createVerifier({ trustedIssuers: [org.did] });
const origin = 'https://api.example';
/** Behind a proxy: the agent calls https://api.example, the request arrives on 127.0.0.1:port. */
const via = (port: number) => async (r: Request) =>
  fetch(r.url.replace(origin, `http://127.0.0.1:${port}`), {
    method: r.method,
    headers: r.headers,
    ...(r.body === null ? {} : { body: await r.arrayBuffer() }),
  });

beforeAll(async () => {
  const claims = {
    issuer: { id: org.did, signer: didKeySigner(org) },
    subject: agent.did,
    agentName: 'billing-agent-3',
    purpose: 'invoice-reconciliation',
    scopes: ['read:invoices', 'write:ledger/*'],
    validUntil: new Date(Date.now() + 86_400_000),
  };
  passport = await issuePassport(claims);
  limited = await issuePassport({ ...claims, maxCalls: 2 });
});

const agentFetch = (handler: (r: Request) => Promise<Response>, p = passport, k = agent) =>
  createAgentFetch({
    passport: p,
    keyId: keyIdOf(k),
    signer: rawSigner(k),
    fetch: (r) => handler(r),
  });

describe('withAgentPassport (fetch handler)', () => {
  it('accepts the agent: the passport on first contact, then only its reference (as the keyid)', async () => {
    const seen: { inline: boolean; ref: boolean; keyid: string; agent: string }[] = [];
    const handler = withAgentPassport(
      { verifier: verifier(), origin, requiredScopes: ['read:invoices'] },
      async (request, ctx) => {
        seen.push({
          inline: request.headers.has(PASSPORT_HEADER),
          ref: request.headers.has(PASSPORT_REF_HEADER),
          keyid: /keyid="([^"]+)"/.exec(request.headers.get('signature-input') ?? '')?.[1] ?? '',
          agent: ctx.agent,
        });
        return Response.json({ agent: ctx.agent, name: ctx.passport.credentialSubject.agentName });
      },
    );
    const f = agentFetch(handler);
    for (let i = 0; i < 3; i++) {
      const res = await f('https://api.example/invoices', { method: 'POST', body: '{"month":"2026-05"}' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ agent: agent.did, name: 'billing-agent-3' });
    }
    const ref = passportRef(new TextEncoder().encode(JSON.stringify(passport)));
    expect(seen.map((s) => [s.inline, s.ref, s.keyid])).toEqual([
      [true, false, keyIdOf(agent)],
      [false, false, ref],
      [false, false, ref],
    ]);
  });

  it('resends the passport when the service no longer knows the reference (ERR_PASSPORT_UNKNOWN, then 200)', async () => {
    let h = withAgentPassport({ verifier: verifier(), origin }, async () => new Response('ok'));
    const f = agentFetch((r) => h(r));
    expect((await f('https://api.example/a')).status).toBe(200);
    h = withAgentPassport({ verifier: verifier(), origin }, async () => new Response('ok')); // a restarted service
    expect((await f('https://api.example/a')).status).toBe(200);
  });

  const refused = async (
    handler: (r: Request) => Promise<Response>,
    request: Request,
    status: number,
    code: string,
  ) => {
    const res = await handler(request);
    expect(res.status).toBe(status);
    expect(res.headers.get('www-authenticate')).toContain(`code="${code}"`);
    expect(await res.json()).toMatchObject({ code });
  };
  const ok = withAgentPassport(
    { verifier: verifier(), origin, requiredScopes: ['read:invoices'] },
    async () => new Response('ok'),
  );
  const signed = async (k = agent, p = passport, extra?: Record<string, string>) =>
    signRequest(new Request('https://api.example/invoices'), {
      keyId: keyIdOf(k),
      signer: rawSigner(k),
      extraHeaders: extra ?? { [PASSPORT_HEADER]: Buffer.from(JSON.stringify(p)).toString('base64url') },
    });

  it('a profile has its own tag: a signature made for another profile is refused (ERR_SIG_TAG)', async () => {
    // An MCP-profile signature (tag agent-passport-mcp) at a general verifier, and the reverse.
    const mcpTagged = await signRequest(new Request('https://api.example/invoices'), {
      keyId: keyIdOf(agent),
      signer: rawSigner(agent),
      tag: 'agent-passport-mcp',
      extraHeaders: { [PASSPORT_HEADER]: Buffer.from(JSON.stringify(passport)).toString('base64url') },
    });
    await refused(ok, mcpTagged, 401, 'ERR_SIG_TAG');
    const mcpOnly = withAgentPassport(
      { verifier: verifier(), origin, requiredTag: 'agent-passport-mcp' },
      () => new Response('ok'),
    );
    await refused(mcpOnly, await signed(agent, passport), 401, 'ERR_SIG_TAG');
    expect((await mcpOnly(mcpTagged.clone())).status).toBe(200);
  });
  it('refuses an unsigned request: 401 ERR_SIG_MISSING', () =>
    refused(ok, new Request('https://api.example/invoices'), 401, 'ERR_SIG_MISSING'));
  it('refuses a signed request without a passport: 401 ERR_PASSPORT_MISSING', async () => {
    const r = await signRequest(new Request('https://api.example/invoices'), {
      keyId: keyIdOf(agent),
      signer: rawSigner(agent),
    });
    await refused(ok, r, 401, 'ERR_PASSPORT_MISSING');
  });
  it('refuses a passport the signature does not cover: 401 ERR_SIG_COMPONENT_MISSING', async () => {
    const r = await signRequest(new Request('https://api.example/invoices'), {
      keyId: keyIdOf(agent),
      signer: rawSigner(agent),
      components: ['@method', '@target-uri'],
    });
    r.headers.set(PASSPORT_HEADER, Buffer.from(JSON.stringify(passport)).toString('base64url'));
    await refused(ok, r, 401, 'ERR_SIG_COMPONENT_MISSING');
  });
  it('refuses an unknown reference: 401 ERR_PASSPORT_UNKNOWN', async () =>
    refused(
      ok,
      await signed(agent, passport, { [PASSPORT_REF_HEADER]: 'sha-256=:AAAA:' }),
      401,
      'ERR_PASSPORT_UNKNOWN',
    ));
  it('refuses a reference that is not the passport sent: 401 ERR_PASSPORT_REF_MISMATCH', async () =>
    refused(
      ok,
      await signed(agent, passport, {
        [PASSPORT_HEADER]: Buffer.from(JSON.stringify(passport)).toString('base64url'),
        [PASSPORT_REF_HEADER]: 'sha-256=:AAAA:',
      }),
      401,
      'ERR_PASSPORT_REF_MISMATCH',
    ));
  it('compact form: an unknown reference as keyid is ERR_PASSPORT_UNKNOWN; resolved bytes that are not it, ERR_PASSPORT_REF_MISMATCH', async () => {
    const bytes = new TextEncoder().encode(JSON.stringify(passport));
    const compact = () =>
      signRequest(new Request('https://api.example/invoices'), {
        keyId: passportRef(bytes),
        signer: rawSigner(agent),
      });
    await refused(ok, await compact(), 401, 'ERR_PASSPORT_UNKNOWN');
    const lying = withAgentPassport(
      {
        verifier: verifier(),
        origin,
        resolvePassportRef: () => new TextEncoder().encode(JSON.stringify(limited)),
      },
      async () => new Response('ok'),
    );
    await refused(lying, await compact(), 401, 'ERR_PASSPORT_REF_MISMATCH');
    // Bytes that are their reference but name no did:key subject give no key to check with.
    const odd = new TextEncoder().encode(JSON.stringify({ credentialSubject: { id: 'did:example:x' } }));
    const oddRequest = await signRequest(new Request('https://api.example/invoices'), {
      keyId: passportRef(odd),
      signer: rawSigner(agent),
    });
    const keyless = withAgentPassport(
      { verifier: verifier(), origin, resolvePassportRef: () => odd },
      async () => new Response('ok'),
    );
    await refused(keyless, oddRequest, 401, 'ERR_HOLDER_MISMATCH');
    expect([
      isPassportRef(passportRef(odd)),
      isPassportRef('sha-256=:AAAA:'),
      isPassportRef(keyIdOf(agent)),
    ]).toEqual([true, false, false]);
    const honest = withAgentPassport(
      { verifier: verifier(), origin, resolvePassportRef: () => bytes },
      async () => new Response('ok'),
    );
    expect((await honest(await compact())).status).toBe(200);
  });
  it("compact form: another agent naming this agent's passport as keyid fails the signature: 401 ERR_SIG_INVALID", async () => {
    const bytes = new TextEncoder().encode(JSON.stringify(passport));
    expect((await ok(await signed())).status).toBe(200); // the service now knows the passport
    const stolen = await signRequest(new Request('https://api.example/invoices'), {
      keyId: passportRef(bytes),
      signer: rawSigner(other),
    });
    await refused(ok, stolen, 401, 'ERR_SIG_INVALID');
  });
  it("refuses another agent presenting this agent's passport: 401 ERR_HOLDER_MISMATCH", async () =>
    refused(ok, await signed(other, passport), 401, 'ERR_HOLDER_MISMATCH'));
  it('refuses a replayed request: 401 ERR_REPLAY', async () => {
    const r = await signed();
    expect((await ok(r.clone())).status).toBe(200);
    await refused(ok, r, 401, 'ERR_REPLAY');
  });
  it('refuses a passport from an untrusted issuer: 401 ERR_ISSUER_UNTRUSTED', async () => {
    const strict = withAgentPassport(
      { verifier: createVerifier({ trustedIssuers: [other.did] }), origin },
      async () => new Response('ok'),
    );
    await refused(strict, await signed(), 401, 'ERR_ISSUER_UNTRUSTED');
  });
  it('refuses a scope the passport lacks: 403 ERR_SCOPE_DENIED (insufficient_scope)', async () => {
    const admin = withAgentPassport(
      {
        verifier: verifier(),
        origin,
        requiredScopes: (r) => (new URL(r.url).pathname === '/invoices' ? ['admin:billing'] : []),
      },
      async () => new Response('ok'),
    );
    const res = await admin(await signed());
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(await res.json()).toMatchObject({ code: 'ERR_SCOPE_DENIED' });
  });
  it('enforces maxCalls: the third call is 403 ERR_USAGE_EXCEEDED', async () => {
    const h = withAgentPassport({ verifier: verifier(), origin }, async () => new Response('ok'));
    const f = agentFetch(h, limited);
    expect((await f('https://api.example/x')).status).toBe(200);
    expect((await f('https://api.example/x')).status).toBe(200);
    const third = await f('https://api.example/x');
    expect(third.status).toBe(403);
    expect(await third.json()).toMatchObject({ code: 'ERR_USAGE_EXCEEDED' });
  });
  it('fails closed when the store is unreachable: 503 ERR_STORE_UNAVAILABLE', async () => {
    const down: ReplayStore & UsageStore = {
      checkAndSet: async () => {
        throw new PassportError('ERR_STORE_UNAVAILABLE', 'redis down');
      },
      increment: async () => {
        throw new PassportError('ERR_STORE_UNAVAILABLE', 'redis down');
      },
    };
    const h = withAgentPassport(
      { verifier: verifier(), origin, store: down },
      async () => new Response('ok'),
    );
    await refused(h, await signed(), 503, 'ERR_STORE_UNAVAILABLE');
  });
  it('checks the signed URL against the configured origin: a request signed for another service is refused', async () => {
    const here = withAgentPassport(
      { verifier: verifier(), origin: 'https://api.example' },
      async () => new Response('ok'),
    );
    expect((await here(await signed())).status).toBe(200);
    const elsewhere = withAgentPassport(
      { verifier: verifier(), origin: 'https://other.example' },
      async () => new Response('ok'),
    );
    await refused(elsewhere, await signed(), 401, 'ERR_SIG_INVALID');
  });

  it('validates its options when created (TypeError)', () => {
    expect(() => withAgentPassport({} as never, async () => new Response())).toThrow(TypeError);
    expect(() =>
      withAgentPassport(
        { verifier: verifier(), origin, requiredScopes: 'read:x' as never },
        async () => new Response(),
      ),
    ).toThrow(TypeError);
    expect(() => createRequestVerifier({ verifier: verifier(), passportCacheSize: 0 })).toThrow(RangeError);
    expect(() =>
      withAgentPassport({ verifier: verifier(), origin: 'api.example' }, async () => new Response()),
    ).toThrow(TypeError);
    // Every adapter needs its public origin(s) (the Host header is the caller's word).
    const noOrigin = { verifier: verifier() } as never;
    expect(() => expressAgentPassport(noOrigin)).toThrow(TypeError);
    expect(() => agentPassport(noOrigin)).toThrow(TypeError);
    expect(() => withAgentPassport(noOrigin, async () => new Response())).toThrow(TypeError);
    expect(() => expressAgentPassport({ verifier: verifier(), origin: [] })).toThrow(TypeError);
    expect(() =>
      expressAgentPassport({
        verifier: verifier(),
        origin: 'https://api.example',
        trustHostHeader: true,
      } as never),
    ).toThrow(TypeError);
    expect(() => expressAgentPassport({ verifier: verifier(), origin: 'https://api.example' })).not.toThrow();
    expect(() =>
      agentPassport({ verifier: verifier(), origin: ['https://api.example', 'https://api.example:8443'] }),
    ).not.toThrow();
  });
});

describe('verifyRequest with the body bytes given (no clone of the request)', () => {
  const url = 'https://api.example/invoices';
  const body = new TextEncoder().encode('{"month":"2026-05"}');
  const signed = async () => {
    const bytes = new TextEncoder().encode(JSON.stringify(passport));
    return signRequest(new Request(url, { method: 'POST', body }), {
      keyId: keyIdOf(agent),
      signer: rawSigner(agent),
      extraHeaders: { [PASSPORT_HEADER]: Buffer.from(bytes).toString('base64url') },
    });
  };
  it('checks Content-Digest against the bytes given, not a clone of the request body', async () => {
    const rv = createRequestVerifier({ verifier: verifier() });
    const request = await signed();
    const r = await rv.verifyRequest(request, { body });
    expect(r.verified, JSON.stringify(r.errors)).toBe(true);
    expect(request.bodyUsed).toBe(false);
    const other = new TextEncoder().encode('{"month":"2026-06"}');
    const refused = await rv.verifyRequest(await signed(), { body: other });
    expect(refused.errors[0]?.code).toBe('ERR_DIGEST_MISMATCH');
  });
  it('bodyWithheld (an audit holding only the digest): the signature must cover content-digest', async () => {
    const rv = createRequestVerifier({ verifier: verifier() });
    const request = await signed();
    const withheld = new Request(request.url, { method: 'POST', headers: request.headers });
    const r = await rv.verifyRequest(withheld, { bodyWithheld: true });
    expect(r.verified, JSON.stringify(r.errors)).toBe(true);
    const uncovered = await signRequest(new Request(url, { method: 'POST' }), {
      keyId: keyIdOf(agent),
      signer: rawSigner(agent),
      extraHeaders: { [PASSPORT_HEADER]: Buffer.from(JSON.stringify(passport)).toString('base64url') },
    });
    const refused = await rv.verifyRequest(uncovered, { bodyWithheld: true });
    expect(refused.errors[0]?.code).toBe('ERR_SIG_COMPONENT_MISSING');
    expect(() => createRequestVerifier({ verifier: verifier(), maxBodyBytes: -1 })).toThrow(RangeError);
  });
  it('a body that is not bytes is a caller mistake (TypeError)', async () => {
    const rv = createRequestVerifier({ verifier: verifier() });
    await expect(rv.verifyRequest(await signed(), { body: 'text' as never })).rejects.toThrow(TypeError);
  });
  it('the fetch-handler middleware hands the handler the same bytes it verified', async () => {
    let seen = '';
    const handler = withAgentPassport({ verifier: verifier(), origin }, async (request) => {
      seen = await request.text();
      return new Response('ok');
    });
    const res = await handler(await signed());
    expect(res.status).toBe(200);
    expect(seen).toBe('{"month":"2026-05"}');
  });
});

describe('Hono', () => {
  it('puts the verified agent on the context and refuses others', async () => {
    const app = new Hono<{ Variables: { agentPassport: AgentContext } }>();
    app.use(
      '/api/*',
      agentPassport({ verifier: verifier(), origin: 'http://localhost', requiredScopes: ['read:invoices'] }),
    );
    app.get('/api/invoices', (c) => c.json({ agent: c.get('agentPassport').agent }));
    const f = agentFetch((r) => Promise.resolve(app.request(r)));
    const res = await f('http://localhost/api/invoices');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ agent: agent.did });
    const bare = await app.request('http://localhost/api/invoices');
    expect(bare.status).toBe(401);
    expect(await bare.json()).toMatchObject({ code: 'ERR_SIG_MISSING' });
  });
});

describe('Express over real HTTP', () => {
  it('verifies a signed POST with a body, hands the raw body on, and refuses tampering', async () => {
    const app = express();
    app.post(
      '/ledger/entries',
      expressAgentPassport({
        verifier: verifier(),
        origin,
        requiredScopes: ['write:ledger/entries'],
      }),
      (req, res) => {
        const ctx = (req as unknown as { agentPassport: AgentContext }).agentPassport;
        res.json({ agent: ctx.agent, body: JSON.parse((req.body as Buffer).toString('utf8')) as unknown });
      },
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((ok) => server.once('listening', () => ok()));
    try {
      const { port } = server.address() as AddressInfo;
      const f = createAgentFetch({
        passport,
        keyId: keyIdOf(agent),
        signer: rawSigner(agent),
        fetch: via(port),
      });
      const res = await f(`${origin}/ledger/entries`, {
        method: 'POST',
        body: '{"amount":4200}',
        headers: { 'content-type': 'application/json' },
      });
      const text = await res.text();
      expect(res.status, text).toBe(200);
      expect(JSON.parse(text)).toEqual({ agent: agent.did, body: { amount: 4200 } });
      const signedReq = await signRequest(
        new Request(`${origin}/ledger/entries`, { method: 'POST', body: '{"amount":4200}' }),
        {
          keyId: keyIdOf(agent),
          signer: rawSigner(agent),
          extraHeaders: { [PASSPORT_HEADER]: Buffer.from(JSON.stringify(passport)).toString('base64url') },
        },
      );
      const tampered = await fetch(`http://127.0.0.1:${port}/ledger/entries`, {
        method: 'POST',
        headers: signedReq.headers,
        body: '{"amount":42000}',
      });
      expect(tampered.status).toBe(401);
      expect(await tampered.json()).toMatchObject({ code: 'ERR_DIGEST_MISMATCH' });
    } finally {
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });
});

describe('Fastify over real HTTP', () => {
  it('verifies signed requests in a preHandler hook and refuses the rest', async () => {
    const { default: Fastify } = await import('fastify');
    const app = Fastify();
    await app.register(async (scope) => {
      await scope.register(fastifyAgentPassport as never, {
        verifier: verifier(),
        origin,
        requiredScopes: ['write:ledger/entries'],
      });
      scope.post('/ledger/entries', async (req) => ({
        agent: (req as unknown as { agentPassport: AgentContext }).agentPassport.agent,
        body: JSON.parse((req.body as Buffer).toString('utf8')) as unknown,
      }));
    });
    app.get('/health', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const f = createAgentFetch({
        passport,
        keyId: keyIdOf(agent),
        signer: rawSigner(agent),
        fetch: via(port),
      });
      const res = await f(`${origin}/ledger/entries`, {
        method: 'POST',
        body: '{"amount":7}',
        headers: { 'content-type': 'application/json' },
      });
      const text = await res.text();
      expect(res.status, text).toBe(200);
      expect(JSON.parse(text)).toEqual({ agent: agent.did, body: { amount: 7 } });
      const bare = await fetch(`http://127.0.0.1:${port}/ledger/entries`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(bare.status).toBe(401);
      expect(bare.headers.get('www-authenticate')).toContain('code="ERR_SIG_MISSING"');
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
