// SPDX-License-Identifier: Apache-2.0
// The README walkthrough: quoted verbatim between the markers and run by readme.test.ts.
// README:begin
import { sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import {
  createMcpAgentFetch,
  createMcpAuthorization,
  createMcpGate,
  createPassportAuthProvider,
  mcpAgent,
} from '@agent-passport/mcp';
import { didKeySigner, privateKeyObject } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type NodeIncomingMessageLike, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';

// An organisation issues its support agent a passport that grants tools:search, not tools:refund.
const org = generateKey();
const agent = generateKey();
const passport = await issuePassport({
  issuer: { id: org.did, signer: didKeySigner(org) },
  subject: agent.did,
  agentName: 'support-agent-1',
  purpose: 'customer-support',
  scopes: ['tools:search'],
  validUntil: new Date(Date.now() + 86_400_000),
});

// The tool server: an ordinary MCP server (official SDK); each tool call sees its agent.
const tools = () => {
  const server = new McpServer({ name: 'shop', version: '1.0.0' });
  server.registerTool('search', { inputSchema: z.object({ query: z.string() }) }, async ({ query }, ctx) => ({
    content: [{ type: 'text', text: `${query}: 3 orders (for ${mcpAgent(ctx)?.agent})` }],
  }));
  server.registerTool('refund', { inputSchema: z.object({ order: z.string() }) }, async ({ order }) => ({
    content: [{ type: 'text', text: `refunded ${order}` }],
  }));
  return server;
};

// The gate in front of it: which scope each tool needs. A tool not in the map is refused.
const http = createServer();
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
const verifier = createVerifier({ trustedIssuers: [org.did] });
const gate = createMcpGate({
  origin,
  verifier,
  handler: createMcpHandler(tools, { legacy: 'reject' }),
  tools: { search: ['tools:search'], refund: ['tools:refund'] },
  // The OAuth door, for clients that only speak OAuth (optional).
  authorization: await createMcpAuthorization({ origin, verifier }),
});
const node = toNodeHandler(gate);
http.on('request', (req, res) => node(req as NodeIncomingMessageLike, res));

// The agent: the SDK client, its transport signing every request with the passport key.
const key = privateKeyObject(agent);
const client = new Client(
  { name: 'support-agent', version: '1.0.0' },
  { versionNegotiation: { mode: { pin: '2026-07-28' } } },
);
const signed = createMcpAgentFetch({
  passport,
  keyId: `${agent.did}#${agent.publicKeyMultibase}`,
  signer: (data) => new Uint8Array(sign(null, data, key)),
});
await client.connect(new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), { fetch: signed }));
const listed = (await client.listTools()).tools.map((t) => t.name); // ['search']
const found = await client.callTool({ name: 'search', arguments: { query: 'late deliveries' } });
const refund = await client.callTool({ name: 'refund', arguments: { order: 'A-17' } }).catch((e: Error) => e);
console.log(listed, refund instanceof Error); // [ 'search' ] true
// refund: 403, WWW-Authenticate: AgentPassport … error="insufficient_scope", scope="tools:refund"

// The same agent through the OAuth door: it presents its passport for a 5-minute token.
const oauthClient = new Client(
  { name: 'oauth-agent', version: '1.0.0' },
  { versionNegotiation: { mode: { pin: '2026-07-28' } } },
);
const authProvider = createPassportAuthProvider({ passport, signer: didKeySigner(agent) });
await oauthClient.connect(new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), { authProvider }));
const viaToken = await oauthClient.callTool({ name: 'search', arguments: { query: 'refunds' } });

await client.close();
await oauthClient.close();
http.close();

// README:end
export { agent, found, listed, refund, viaToken };
