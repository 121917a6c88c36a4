// SPDX-License-Identifier: Apache-2.0
// The OAuth door: an MCP client that only speaks OAuth (the official SDK client with an
// authProvider, no signing) gets a token by presenting its passport, and calls the tool; tokens
// for another resource, expired, forged or over-broad are refused with their codes.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentPassport } from '@agent-passport/core';
import { openEvidenceLog } from '@agent-passport/evidence';
import { createMemoryStore } from '@agent-passport/http-signatures';
import { createPresentation } from '@agent-passport/issuer';
import { didKeySigner } from '@agent-passport/suites';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHALLENGE_PATH,
  createPassportAuthProvider,
  PRESENTATION_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT,
  TOKEN_PATH,
} from '../src/index.js';
import { type Agent, codeOf, newAgent, type Running, startGated, toolCall } from './fixture.js';

const MAP = { tools: { search: ['tools:search'], refund: ['tools:refund'] } };
let now = Date.now();
const clock = () => new Date(now);
let s: Running;
beforeAll(async () => {
  s = await startGated({
    ...MAP,
    clock,
    oauth: { clock, scopesSupported: ['tools:search', 'tools:refund'] },
  });
});
afterAll(() => s.close());

/** The exchange by hand: a challenge, a presentation bound to it, the token request. */
async function exchange(
  origin: string,
  agent: Agent,
  form: Record<string, string> = {},
  challengeFrom = origin,
  edit: (json: string) => string = (json) => json,
) {
  const { challenge, domain } = (await (
    await fetch(`${challengeFrom}${CHALLENGE_PATH}`, { method: 'POST' })
  ).json()) as {
    challenge: string;
    domain: string;
  };
  const presentation = await createPresentation({
    passport: agent.passport as AgentPassport,
    signer: didKeySigner(agent.key),
    challenge,
    domain,
  });
  return fetch(`${origin}${TOKEN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token_type: PRESENTATION_TOKEN_TYPE,
      subject_token: edit(JSON.stringify(presentation)),
      resource: `${origin}/mcp`,
      ...form,
    }).toString(),
  });
}

const withToken = (url: string, token: string, message = toolCall('search', { query: 'x' })) =>
  fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': message.method,
      'mcp-name': message.params.name,
    },
    body: JSON.stringify(message),
  });

describe('an OAuth-only SDK client', () => {
  it('gets a token by presenting its passport, lists and calls search, and cannot call refund', async () => {
    const agent = await newAgent(['tools:search']);
    const client = new Client(
      { name: 'oauth-agent', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    const authProvider = createPassportAuthProvider({
      passport: agent.passport as AgentPassport,
      signer: didKeySigner(agent.key),
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(s.url), { authProvider }));
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['search']);
    const result = await client.callTool({ name: 'search', arguments: { query: 'hats' } });
    expect(result.content).toEqual([{ type: 'text', text: `results for hats (agent ${agent.key.did})` }]);
    const refused = (await client
      .callTool({ name: 'refund', arguments: { order: '1' } })
      .catch((e) => e)) as Error;
    // The SDK read the 403 Bearer insufficient_scope challenge and its scope parameter.
    expect(refused.name).toBe('InsufficientScopeError');
    expect(refused.message).toContain('required "tools:refund"');
    await client.close();
  });

  it('is pointed at the protected resource metadata (RFC 9728), which names this resource and its AS', async () => {
    const response = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(toolCall('search', { query: 'x' })),
    });
    // The body is checked first: without Mcp-Method the request is malformed.
    expect(response.status).toBe(400);
    const unauthenticated = await fetch(s.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'mcp-method': 'tools/call',
        'mcp-name': 'search',
        'mcp-protocol-version': '2026-07-28',
      },
      body: JSON.stringify(toolCall('search', { query: 'x' })),
    });
    expect(unauthenticated.status).toBe(401);
    const challenge = unauthenticated.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    const url = /resource_metadata="([^"]+)"/.exec(challenge)?.[1] as string;
    expect(url).toBe(`${s.origin}/.well-known/oauth-protected-resource/mcp`);
    const prm = (await (await fetch(url)).json()) as Record<string, unknown>;
    expect(prm).toMatchObject({
      resource: s.url,
      authorization_servers: [s.origin],
      scopes_supported: ['tools:search', 'tools:refund'],
    });
  });
});

describe('tokens', () => {
  it('scopes are the intersection of those asked for and those the passport grants', async () => {
    const agent = await newAgent(['tools:search']);
    const issued = (await (
      await exchange(s.origin, agent, { scope: 'tools:search tools:refund' })
    ).json()) as Record<string, unknown>;
    expect(issued['scope']).toBe('tools:search');
    expect(issued['token_type']).toBe('Bearer');
    const refund = await withToken(s.url, String(issued['access_token']), toolCall('refund', { order: '1' }));
    expect(refund.status).toBe(403);
    expect(refund.headers.get('www-authenticate')).toContain('scope="tools:refund"');
    expect(await codeOf(refund)).toBe('ERR_SCOPE_DENIED');
    const none = await exchange(s.origin, agent, { scope: 'tools:refund' });
    expect(none.status).toBe(400);
    expect(await codeOf(none)).toBe('ERR_SCOPE_DENIED');
  });

  it('an operation the gate map does not name, with a valid token: 403 ERR_MCP_UNMAPPED', async () => {
    const agent = await newAgent(['tools:search']);
    const { access_token } = (await (await exchange(s.origin, agent)).json()) as { access_token: string };
    const unmapped = await withToken(s.url, access_token, toolCall('delete', {}));
    expect(unmapped.status).toBe(403);
    expect(await codeOf(unmapped)).toBe('ERR_MCP_UNMAPPED');
  });

  it('a token replayed after expiry: 401 ERR_TOKEN_EXPIRED', async () => {
    const agent = await newAgent(['tools:search']);
    const { access_token } = (await (await exchange(s.origin, agent)).json()) as { access_token: string };
    expect((await withToken(s.url, access_token)).status).toBe(200);
    now += 301_000;
    try {
      const late = await withToken(s.url, access_token);
      expect(late.status).toBe(401);
      expect(late.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(await codeOf(late)).toBe('ERR_TOKEN_EXPIRED');
    } finally {
      now -= 301_000;
    }
  });

  it('a token for another resource (same issuer and keys): 401 ERR_TOKEN_AUDIENCE; asking for one: invalid_target', async () => {
    const keys = await generateKeyPair('EdDSA');
    const a = await startGated({ ...MAP, oauth: { keys, issuer: 'https://as.example' } });
    const b = await startGated({ ...MAP, oauth: { keys, issuer: 'https://as.example' } });
    try {
      const agent = await newAgent(['tools:search']);
      const { access_token } = (await (await exchange(a.origin, agent)).json()) as { access_token: string };
      expect((await withToken(a.url, access_token)).status).toBe(200);
      const elsewhere = await withToken(b.url, access_token);
      expect(elsewhere.status).toBe(401);
      expect(await codeOf(elsewhere)).toBe('ERR_TOKEN_AUDIENCE');
      const asked = await exchange(a.origin, agent, { resource: b.url });
      expect(asked.status).toBe(400);
      expect(((await asked.clone().json()) as { error: string }).error).toBe('invalid_target');
      expect(await codeOf(asked)).toBe('ERR_TOKEN_AUDIENCE');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a token signed by another key: 401 ERR_TOKEN_INVALID', async () => {
    const other = await startGated({ ...MAP, oauth: {} });
    try {
      const agent = await newAgent(['tools:search']);
      const { access_token } = (await (await exchange(other.origin, agent)).json()) as {
        access_token: string;
      };
      const response = await withToken(s.url, access_token);
      expect(response.status).toBe(401);
      expect(await codeOf(response)).toBe('ERR_TOKEN_INVALID');
    } finally {
      await other.close();
    }
  });

  it('a challenge used twice: ERR_CHALLENGE_MISMATCH; a passport with maxCalls: ERR_TOKEN_REQUEST', async () => {
    const agent = await newAgent(['tools:search']);
    const { challenge, domain } = (await (
      await fetch(`${s.origin}${CHALLENGE_PATH}`, { method: 'POST' })
    ).json()) as {
      challenge: string;
      domain: string;
    };
    const presentation = await createPresentation({
      passport: agent.passport as AgentPassport,
      signer: didKeySigner(agent.key),
      challenge,
      domain,
    });
    const body = new URLSearchParams({
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token_type: PRESENTATION_TOKEN_TYPE,
      subject_token: JSON.stringify(presentation),
      resource: s.url,
    }).toString();
    const post = () =>
      fetch(`${s.origin}${TOKEN_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    expect((await post()).status).toBe(200);
    const again = await post();
    expect(again.status).toBe(400);
    expect(await codeOf(again)).toBe('ERR_CHALLENGE_MISMATCH');
    const counted = await exchange(s.origin, await newAgent(['tools:search'], { maxCalls: 5 }));
    expect(counted.status).toBe(400);
    expect(await codeOf(counted)).toBe('ERR_TOKEN_REQUEST');
  });

  it('each exchange is written to the evidence log; no token when it cannot be', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-oauth-evidence-'));
    const log = openEvidenceLog(join(dir, 'evidence.jsonl'));
    const logged = await startGated({ ...MAP, oauth: { evidence: log } });
    const failing = await startGated({
      ...MAP,
      oauth: { evidence: { recordPresentation: () => Promise.reject(new Error('disk full')) } },
    });
    try {
      const agent = await newAgent(['tools:search']);
      expect((await exchange(logged.origin, agent, { scope: 'tools:search' })).status).toBe(200);
      const entry = JSON.parse(
        readFileSync(join(dir, 'evidence.jsonl'), 'utf8').trim().split('\n').at(-1) as string,
      );
      expect(entry).toMatchObject({
        kind: 'presentation',
        agent: agent.key.did,
        verdict: { verified: true, codes: [] },
        domain: logged.origin,
        requiredScopes: ['tools:search'],
      });
      const refused = await exchange(failing.origin, agent);
      expect(refused.status).toBe(503);
      expect(await codeOf(refused)).toBe('ERR_EVIDENCE_UNAVAILABLE');
    } finally {
      await logged.close();
      await failing.close();
      log.close();
    }
  });

  it('a presentation with a duplicate key is refused (strict JSON), before the verifier', async () => {
    const agent = await newAgent(['tools:search']);
    const dup = await exchange(s.origin, agent, {}, s.origin, (json) =>
      json.replace('"type":', '"type":"x","type":'),
    );
    expect(dup.status).toBe(400);
    expect(await codeOf(dup)).toBe('ERR_PARSE_DUPLICATE_KEY');
  });

  it("processes sharing challengeSecret and store accept each other's challenges; others do not", async () => {
    const shared = {
      keys: await generateKeyPair('EdDSA'),
      issuer: 'https://as.example',
      challengeSecret: new Uint8Array(32).fill(7),
      store: createMemoryStore(),
    };
    const a = await startGated({ ...MAP, oauth: shared });
    const b = await startGated({ ...MAP, oauth: shared });
    const c = await startGated({ ...MAP, oauth: { ...shared, challengeSecret: new Uint8Array(32).fill(8) } });
    try {
      const agent = await newAgent(['tools:search']);
      expect((await exchange(b.origin, agent, {}, a.origin)).status).toBe(200);
      const foreign = await exchange(c.origin, agent, {}, a.origin);
      expect(foreign.status).toBe(400);
      expect(await codeOf(foreign)).toBe('ERR_CHALLENGE_MISMATCH');
    } finally {
      await a.close();
      await b.close();
      await c.close();
    }
  });
});
