// SPDX-License-Identifier: Apache-2.0
// The gate mounted the ways the SDK's own handler is: in a Hono app (in process, `app.request`)
// and in an Express app over 127.0.0.1 (`toNodeHandler` of @modelcontextprotocol/node). Each
// time the SDK client signs, lists and calls; the signed URL is checked against `origin`.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerifier } from '@agent-passport/verifier';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';
import express from 'express';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createMcpAgentFetch, createMcpGate } from '../src/index.js';
import {
  type Agent,
  codeOf,
  keyIdOf,
  mcpServer,
  newAgent,
  org,
  rawSigner,
  signedPost,
  toolCall,
} from './fixture.js';

const tools = { search: ['tools:search'], refund: ['tools:refund'] };
const gateAt = (origin: string) =>
  createMcpGate({
    origin,
    verifier: createVerifier({ trustedIssuers: [org.did] }),
    handler: createMcpHandler(() => mcpServer(), { legacy: 'reject' }),
    tools,
  });

async function use(url: string, agent: Agent, send?: (r: Request) => Response | Promise<Response>) {
  const client = new Client(
    { name: 'agent', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  const fetch = createMcpAgentFetch({
    passport: agent.passport,
    keyId: keyIdOf(agent.key),
    signer: rawSigner(agent.key),
    ...(send === undefined ? {} : { fetch: send }),
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch }));
  const listed = (await client.listTools()).tools.map((t) => t.name);
  const result = await client.callTool({ name: 'search', arguments: { query: 'q' } });
  await client.close();
  return { listed, result };
}

describe('Hono', () => {
  it('app.all("*", (c) => gate.fetch(c.req.raw))', async () => {
    const origin = 'https://tools.example';
    const gate = gateAt(origin);
    const app = new Hono();
    app.all('*', (c) => gate.fetch(c.req.raw));
    const agent = await newAgent(['tools:search']);
    const { listed, result } = await use(`${origin}/mcp`, agent, (r) => app.request(r));
    expect(listed).toEqual(['search']);
    expect(result.content).toEqual([{ type: 'text', text: `results for q (agent ${agent.key.did})` }]);
  });
});

describe('Express', () => {
  it('app.all("/mcp", toNodeHandler(gate)) over 127.0.0.1; a request signed for another origin is refused', async () => {
    const app = express();
    let gate: ReturnType<typeof gateAt> | undefined;
    app.all('/mcp', (req, res) =>
      toNodeHandler({ fetch: (r: Request) => (gate as ReturnType<typeof gateAt>).fetch(r) })(req, res),
    );
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    gate = gateAt(origin);
    try {
      const agent = await newAgent(['tools:search']);
      const { listed } = await use(`${origin}/mcp`, agent);
      expect(listed).toEqual(['search']);
      // Signed for https://tools.example, delivered here: the signed URL is not this service's.
      const foreign = await signedPost(
        'https://tools.example/mcp',
        agent,
        toolCall('search', { query: 'q' }),
      );
      const response = await fetch(`${origin}/mcp`, {
        method: 'POST',
        headers: foreign.headers,
        body: await foreign.text(),
      });
      expect(response.status).toBe(401);
      expect(await codeOf(response)).toBe('ERR_SIG_INVALID');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
