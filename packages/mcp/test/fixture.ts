// SPDX-License-Identifier: Apache-2.0
// A real MCP server (official SDK, createMcpHandler) behind the gate, served over HTTP on
// 127.0.0.1 through the SDK's Node adapter; agents with real passports and keys.
import { sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  passportRef,
  signRequest,
} from '@agent-passport/http-signatures';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey, type KeyMaterial } from '@agent-passport/keystore';
import { didKeySigner, privateKeyObject } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type NodeIncomingMessageLike, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import * as z from 'zod';
import {
  createMcpAgentFetch,
  createMcpAuthorization,
  createMcpGate,
  MCP_SIGNATURE_TAG,
  type McpAuthorizationOptions,
  type McpGateOptions,
  mcpAgent,
  mcpComponents,
} from '../src/index.js';

export const org = generateKey();
export const keyIdOf = (k: KeyMaterial) => `${k.did}#${k.publicKeyMultibase}`;
export const rawSigner = (k: KeyMaterial) => {
  const key = privateKeyObject(k);
  return (data: Uint8Array) => new Uint8Array(sign(null, data, key));
};

export interface Agent {
  readonly key: KeyMaterial;
  readonly passport: object;
}

export async function newAgent(scopes: string[], extra: Record<string, unknown> = {}): Promise<Agent> {
  const key = generateKey();
  const passport = await issuePassport({
    issuer: { id: org.did, signer: didKeySigner(org) },
    subject: key.did,
    agentName: 'support-agent-1',
    purpose: 'customer-support',
    scopes,
    validUntil: new Date(Date.now() + 86_400_000),
    ...extra,
  });
  return { key, passport };
}

/** The MCP server: `search` and `refund` tools, a prompt and a resource; each call sees its agent. */
export function mcpServer(): McpServer {
  const server = new McpServer({ name: 'shop', version: '1.0.0' });
  server.registerTool(
    'search',
    { description: 'Search orders', inputSchema: z.object({ query: z.string() }) },
    async ({ query }, ctx) => ({
      content: [{ type: 'text', text: `results for ${query} (agent ${mcpAgent(ctx)?.agent ?? 'none'})` }],
    }),
  );
  server.registerTool(
    'refund',
    { description: 'Refund an order', inputSchema: z.object({ order: z.string() }) },
    async ({ order }) => ({ content: [{ type: 'text', text: `refunded ${order}` }] }),
  );
  server.registerPrompt('greet', { description: 'Greeting' }, async () => ({
    messages: [{ role: 'user', content: { type: 'text', text: 'hello' } }],
  }));
  server.registerResource('policy', 'shop://policy', { description: 'Refund policy' }, async (uri) => ({
    contents: [{ uri: uri.href, text: 'no refunds after 30 days' }],
  }));
  server.registerResource(
    'order',
    new ResourceTemplate('shop://orders/{id}', { list: undefined }),
    { description: 'An order' },
    async (uri, { id }) => ({ contents: [{ uri: uri.href, text: `order ${id}` }] }),
  );
  return server;
}

export interface Running {
  readonly url: string;
  readonly origin: string;
  close(): Promise<void>;
}

export type GateConfig = Omit<McpGateOptions, 'origin' | 'handler' | 'verifier' | 'authorization'> & {
  verifier?: McpGateOptions['verifier'];
  /** Open the OAuth door with these options. */
  oauth?: Omit<McpAuthorizationOptions, 'origin' | 'verifier'>;
};

/** Start the gated server on 127.0.0.1 (the origin is fixed once the port is known). */
export async function startGated(
  config: GateConfig,
  responseMode: 'auto' | 'sse' | 'json' = 'auto',
): Promise<Running> {
  const handler = createMcpHandler(() => mcpServer(), { legacy: 'reject', responseMode });
  let gate: ReturnType<typeof createMcpGate> | undefined;
  const node = toNodeHandler({
    fetch: (request: Request) => (gate as ReturnType<typeof createMcpGate>).fetch(request),
  });
  const server: Server = createServer((req, res) => void node(req as NodeIncomingMessageLike, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const verifier = config.verifier ?? createVerifier({ trustedIssuers: [org.did] });
  const { oauth, ...rest } = config;
  gate = createMcpGate({
    ...rest,
    verifier,
    origin,
    handler,
    ...(oauth === undefined
      ? {}
      : { authorization: await createMcpAuthorization({ ...oauth, origin, verifier }) }),
  });
  return {
    url: `${origin}/mcp`,
    origin,
    close: async () => {
      await handler.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An SDK client whose transport signs every request with the agent's passport key. */
export async function connect(url: string, agent: Agent): Promise<Client> {
  const client = new Client(
    { name: 'agent', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  const fetch = createMcpAgentFetch({
    passport: agent.passport,
    keyId: keyIdOf(agent.key),
    signer: rawSigner(agent.key),
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch }));
  return client;
}

/** The per-request envelope a 2026-07-28 client puts in `params._meta`. */
export const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

let ids = 100;
/** A JSON-RPC tools/call message. */
export const toolCall = (name: string, args: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id: ids++,
  method: 'tools/call',
  params: { name, arguments: args, _meta: META },
});

export interface SignedOptions {
  /** Header overrides (null removes one) applied before signing. */
  readonly headers?: Readonly<Record<string, string | null>>;
  /** Covered components (default: the MCP profile of the request's headers). */
  readonly components?: (headers: Headers) => string[];
  /** The body exactly as sent (default: JSON of `body`). */
  readonly raw?: string;
  /** The signature tag (default: the MCP profile's). */
  readonly tag?: string;
}

/** A raw MCP POST signed by the agent (its passport inline and by reference), as the SDK would send it. */
export async function signedPost(url: string, agent: Agent, body: unknown, options: SignedOptions = {}) {
  const message = body as { method?: string; params?: { name?: string } };
  const bytes = new TextEncoder().encode(JSON.stringify(agent.passport));
  const headers = new Headers({
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    [PASSPORT_HEADER]: Buffer.from(bytes).toString('base64url'),
    [PASSPORT_REF_HEADER]: passportRef(bytes),
  });
  if (typeof message.method === 'string') headers.set('mcp-method', message.method);
  if (typeof message.params?.name === 'string') headers.set('mcp-name', message.params.name);
  for (const [k, v] of Object.entries(options.headers ?? {})) {
    if (v === null) headers.delete(k);
    else headers.set(k, v);
  }
  return signRequest(
    new Request(url, { method: 'POST', headers, body: options.raw ?? JSON.stringify(body) }),
    {
      keyId: keyIdOf(agent.key),
      signer: rawSigner(agent.key),
      components: (options.components ?? ((h) => mcpComponents(h, true)))(headers),
      tag: options.tag ?? MCP_SIGNATURE_TAG,
    },
  );
}

/** The toolkit code of a refusal: from the JSON body (401/403/503) or the JSON-RPC error (400). */
export async function codeOf(response: Response): Promise<string | undefined> {
  const body = (await response.json()) as { code?: string; error?: { data?: { code?: string } } };
  return body.code ?? body.error?.data?.code;
}
