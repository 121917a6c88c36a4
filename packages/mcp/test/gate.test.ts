// SPDX-License-Identifier: Apache-2.0
// The native door end to end: the official MCP SDK server (createMcpHandler, streamable HTTP on
// 127.0.0.1) behind the gate, the official SDK client signing through createMcpAgentFetch. An
// agent with tools:search lists and calls search, and neither sees nor can call refund; each
// attack of issue 19 is refused with its code.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEvidenceLog } from '@agent-passport/evidence';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCP_NAME_HEADER } from '../src/index.js';
import {
  codeOf,
  connect,
  META,
  newAgent,
  type Running,
  signedPost,
  startGated,
  toolCall,
} from './fixture.js';

const MAP = {
  tools: { search: ['tools:search'], refund: ['tools:refund'] },
  prompts: { greet: ['prompts:greet'] },
  resources: { 'shop://policy': ['resources:policy'], 'shop://orders/{id}': ['orders:read'] },
};

let s: Running;
beforeAll(async () => {
  s = await startGated(MAP);
});
afterAll(() => s.close());

describe('an agent with tools:search, through the SDK client', () => {
  it('lists search only, calls it as itself, and cannot call refund (403 insufficient_scope)', async () => {
    const agent = await newAgent(['tools:search']);
    const client = await connect(s.url, agent);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['search']);
    const result = await client.callTool({ name: 'search', arguments: { query: 'shoes' } });
    expect(result.content).toEqual([
      { type: 'text', text: `results for shoes (agent ${(agent.key as { did: string }).did})` },
    ]);
    const refused = (await client
      .callTool({ name: 'refund', arguments: { order: '7' } })
      .catch((e) => e)) as {
      data?: { status?: number; text?: string };
    };
    expect(refused.data?.status).toBe(403);
    expect(JSON.parse(refused.data?.text ?? '{}').code).toBe('ERR_SCOPE_DENIED');
    await client.close();
  });

  it('sees prompts and resources only as its scopes allow', async () => {
    const none = await connect(s.url, await newAgent(['tools:search']));
    expect((await none.listPrompts()).prompts).toEqual([]);
    expect((await none.listResources()).resources).toEqual([]);
    await none.close();
    const both = await connect(s.url, await newAgent(['prompts:greet', 'resources:policy']));
    expect((await both.listPrompts()).prompts.map((p) => p.name)).toEqual(['greet']);
    expect((await both.listResources()).resources.map((r) => r.uri)).toEqual(['shop://policy']);
    const read = await both.readResource({ uri: 'shop://policy' });
    expect(read.contents[0]).toMatchObject({ text: 'no refunds after 30 days' });
    expect((await both.listTools()).tools).toEqual([]);
    await both.close();
  });
});

describe('lists streamed as SSE', () => {
  it('are filtered too', async () => {
    const sse = await startGated(MAP, 'sse');
    try {
      const client = await connect(sse.url, await newAgent(['tools:search']));
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['search']);
      await client.close();
    } finally {
      await sse.close();
    }
  });
});

describe('resource templates', () => {
  const read = (uri: string) => ({
    jsonrpc: '2.0',
    id: 9,
    method: 'resources/read',
    params: { uri, _meta: META },
  });
  it('a URI is matched to its template with the SDK matcher: read with the scope, refused without', async () => {
    const reader = await newAgent(['orders:read']);
    const client = await connect(s.url, reader);
    expect((await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate)).toEqual([
      'shop://orders/{id}',
    ]);
    expect((await client.readResource({ uri: 'shop://orders/17' })).contents[0]).toMatchObject({
      text: 'order 17',
    });
    await client.close();
    const other = await newAgent(['tools:search']);
    const denied = await fetch(
      await signedPost(s.url, other, read('shop://orders/17'), {
        headers: { [MCP_NAME_HEADER]: 'shop://orders/17' },
      }),
    );
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toContain('scope="orders:read"');
    expect(await codeOf(denied)).toBe('ERR_SCOPE_DENIED');
    const beyond = await fetch(
      await signedPost(s.url, reader, read('shop://orders/17/notes'), {
        headers: { [MCP_NAME_HEADER]: 'shop://orders/17/notes' },
      }),
    );
    expect(await codeOf(beyond)).toBe('ERR_MCP_UNMAPPED');
  });
});

describe('refusals, each with its code', () => {
  it('an agent without the scope: 403, WWW-Authenticate insufficient_scope naming the scope it needs', async () => {
    const agent = await newAgent(['tools:search']);
    const response = await fetch(await signedPost(s.url, agent, toolCall('refund', { order: '7' })));
    expect(response.status).toBe(403);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="tools:refund"');
    expect(await codeOf(response)).toBe('ERR_SCOPE_DENIED');
  });

  it('an unsigned request: 401', async () => {
    const response = await fetch(s.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'mcp-method': 'tools/call',
        'mcp-name': 'search',
        'mcp-protocol-version': '2026-07-28',
      },
      body: JSON.stringify(toolCall('search', { query: 'x' })),
    });
    expect(response.status).toBe(401);
    expect(await codeOf(response)).toBe('ERR_SIG_MISSING');
  });

  it('a signature not covering mcp-name is refused, so it cannot be replayed against another tool', async () => {
    const agent = await newAgent(['tools:search', 'tools:refund']);
    const withoutName = (h: Headers) =>
      [
        '@method',
        '@target-uri',
        'content-digest',
        'mcp-protocol-version',
        'mcp-method',
        'agent-passport',
        'agent-passport-ref',
      ].filter((c) => c.startsWith('@') || c === 'content-digest' || h.has(c));
    const response = await fetch(
      await signedPost(s.url, agent, toolCall('search', { query: 'x' }), { components: withoutName }),
    );
    expect(response.status).toBe(401);
    expect(await codeOf(response)).toBe('ERR_SIG_COMPONENT_MISSING');
  });

  it('a request signed with the general tag (not the MCP profile) is refused: ERR_SIG_TAG', async () => {
    const agent = await newAgent(['tools:search']);
    const response = await fetch(
      await signedPost(s.url, agent, toolCall('search', { query: 'x' }), { tag: 'agent-passport' }),
    );
    expect(response.status).toBe(401);
    expect(await codeOf(response)).toBe('ERR_SIG_TAG');
  });

  it('a captured call replayed with another Mcp-Name, another body, or as it was', async () => {
    const agent = await newAgent(['tools:search', 'tools:refund']);
    const captured = await signedPost(s.url, agent, toolCall('search', { query: 'x' }));
    const body = await captured.clone().text();
    const retarget = (headers: Record<string, string>, b = body) => {
      const h = new Headers(captured.headers);
      for (const [k, v] of Object.entries(headers)) h.set(k, v);
      return fetch(s.url, { method: 'POST', headers: h, body: b });
    };
    // Header swapped, body kept: the header no longer says what the body does.
    const swapped = await retarget({ [MCP_NAME_HEADER]: 'refund' });
    expect(swapped.status).toBe(400);
    expect(await codeOf(swapped)).toBe('ERR_MCP_HEADER_MISMATCH');
    // Header and body swapped: the covered Mcp-Name no longer matches the signature, which is
    // checked over the headers before any body is read.
    const other = body.replace('"search"', '"refund"');
    const both = await retarget({ [MCP_NAME_HEADER]: 'refund' }, other);
    expect(both.status).toBe(401);
    expect(await codeOf(both)).toBe('ERR_SIG_INVALID');
    const first = await fetch(captured.clone());
    expect(first.status).toBe(200);
    const again = await fetch(captured);
    expect(again.status).toBe(401);
    expect(await codeOf(again)).toBe('ERR_REPLAY');
  });

  it('an Mcp-Name header differing from the body, signed by the agent itself: 400 HeaderMismatch', async () => {
    const agent = await newAgent(['tools:search']);
    const response = await fetch(
      await signedPost(s.url, agent, toolCall('refund', { order: '7' }), {
        headers: { [MCP_NAME_HEADER]: 'search' },
      }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: number; data: { code: string } } };
    expect(body.error.code).toBe(-32020);
    expect(body.error.data.code).toBe('ERR_MCP_HEADER_MISMATCH');
    const noMethod = await fetch(
      await signedPost(s.url, agent, toolCall('search', { query: 'x' }), {
        headers: { 'mcp-method': 'tools/list' },
      }),
    );
    expect(await codeOf(noMethod)).toBe('ERR_MCP_HEADER_MISMATCH');
  });

  it('a tool the map does not name is refused, even for an agent whose scopes would cover it', async () => {
    const gated = await startGated({ tools: { search: ['tools:search'] } });
    try {
      const agent = await newAgent(['tools:*']);
      const client = await connect(gated.url, agent);
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['search']);
      await client.close();
      const response = await fetch(await signedPost(gated.url, agent, toolCall('refund', { order: '7' })));
      expect(response.status).toBe(403);
      expect(await codeOf(response)).toBe('ERR_MCP_UNMAPPED');
      const method = await fetch(
        await signedPost(gated.url, agent, {
          jsonrpc: '2.0',
          id: 5,
          method: 'logging/setLevel',
          params: { level: 'debug', _meta: META },
        }),
      );
      expect(await codeOf(method)).toBe('ERR_MCP_UNMAPPED');
    } finally {
      await gated.close();
    }
  });

  it('a batch carrying a second call, and a call sent as a notification: 400', async () => {
    const agent = await newAgent(['tools:search']);
    const batch = await fetch(
      await signedPost(
        s.url,
        agent,
        [toolCall('search', { query: 'x' }), toolCall('refund', { order: '7' })],
        {
          headers: { 'mcp-method': 'tools/call', [MCP_NAME_HEADER]: 'search' },
        },
      ),
    );
    expect(batch.status).toBe(400);
    expect(await codeOf(batch)).toBe('ERR_MCP_MESSAGE');
    const { id: _, ...notification } = toolCall('refund', { order: '7' });
    const sneaked = await fetch(await signedPost(s.url, agent, notification));
    expect(sneaked.status).toBe(400);
    expect(await codeOf(sneaked)).toBe('ERR_MCP_MESSAGE');
  });

  it('a body naming the tool twice (duplicate key), signed by the agent: refused before parsers can disagree', async () => {
    // JSON.parse keeps the last key: the header and a lax gate would see search, the SDK refund.
    const agent = await newAgent(['tools:search']);
    const raw = JSON.stringify(toolCall('search', { query: 'x' })).replace(
      '"name":"search"',
      '"name":"search","name":"refund"',
    );
    const response = await fetch(await signedPost(s.url, agent, toolCall('search', { query: 'x' }), { raw }));
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe('ERR_PARSE_DUPLICATE_KEY');
  });

  it('maxCalls counts tool calls (403 ERR_USAGE_EXCEEDED after the limit)', async () => {
    const agent = await newAgent(['tools:search'], { maxCalls: 2 });
    for (let i = 0; i < 2; i++)
      expect(
        (await fetch(await signedPost(s.url, agent, toolCall('search', { query: `${i}` })))).status,
      ).toBe(200);
    const third = await fetch(await signedPost(s.url, agent, toolCall('search', { query: '3' })));
    expect(third.status).toBe(403);
    expect(await codeOf(third)).toBe('ERR_USAGE_EXCEEDED');
  });

  it('a body over the bound, declared or chunked (no Content-Length): 413', async () => {
    const agent = await newAgent(['tools:search']);
    const big = toolCall('search', { query: 'x'.repeat(1_100_000) });
    const declared = await fetch(await signedPost(s.url, agent, big));
    expect(declared.status).toBe(413);
    expect(await codeOf(declared)).toBe('ERR_PARSE_SIZE');
    const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 40) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const chunked = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'mcp-method': 'tools/call' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await codeOf(chunked)).toBe('ERR_PARSE_SIZE');
  });

  it('only POST: 405', async () => {
    const response = await fetch(s.url);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('evidence', () => {
  it('writes each call to the evidence log: agent, tool, arguments digest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-evidence-'));
    const log = openEvidenceLog(join(dir, 'evidence.jsonl'));
    const gated = await startGated({ ...MAP, evidence: log });
    try {
      const agent = await newAgent(['tools:search']);
      const request = await signedPost(gated.url, agent, toolCall('search', { query: 'shoes' }));
      const digest = request.headers.get('content-digest');
      expect((await fetch(request)).status).toBe(200);
      const { readFileSync } = await import('node:fs');
      const entries = readFileSync(join(dir, 'evidence.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const entry = entries.at(-1);
      expect(entry.agent).toBe((agent.key as { did: string }).did);
      expect(entry.verdict).toEqual({ verified: true, codes: [] });
      expect(entry.request.headers['mcp-name']).toBe('search');
      expect(entry.request.headers['mcp-method']).toBe('tools/call');
      expect(entry.request.bodyDigest).toBe(digest);
    } finally {
      await gated.close();
      log.close();
    }
  });

  it('a call the gate refuses after the middleware checks (unmapped, purpose) is logged refused, never accepted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-evidence-'));
    const path = join(dir, 'evidence.jsonl');
    const log = openEvidenceLog(path);
    const gated = await startGated({
      tools: {
        search: ['tools:search'],
        refund: { scopes: ['tools:search'], purposes: ['billing'] },
      },
      evidence: log,
      recordRefused: true,
    });
    try {
      const agent = await newAgent(['tools:search']);
      const unmapped = await fetch(await signedPost(gated.url, agent, toolCall('delete', {})));
      expect(await codeOf(unmapped)).toBe('ERR_MCP_UNMAPPED');
      const purpose = await fetch(await signedPost(gated.url, agent, toolCall('refund', {})));
      expect(purpose.status).toBe(403);
      expect(await codeOf(purpose)).toBe('ERR_PURPOSE_DENIED');
      const { readFileSync } = await import('node:fs');
      const verdicts = readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).verdict);
      expect(verdicts).toEqual([
        { verified: false, codes: ['ERR_MCP_UNMAPPED'] },
        { verified: false, codes: ['ERR_PURPOSE_DENIED'] },
      ]);
    } finally {
      await gated.close();
      log.close();
    }
  });
});
