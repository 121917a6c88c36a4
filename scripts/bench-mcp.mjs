// SPDX-License-Identifier: Apache-2.0
// The MCP rows of `npm run bench`: one tool call served in process by the official SDK handler
// (createMcpHandler), bare and behind the gate of @agent-passport/mcp, through each door (a
// signed call, an access token); the gate's added cost is the difference of the medians.
import { createPresentation } from '@agent-passport/issuer';
import {
  CHALLENGE_PATH,
  createMcpAgentFetch,
  createMcpAuthorization,
  createMcpGate,
  PRESENTATION_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT,
  TOKEN_PATH,
} from '@agent-passport/mcp';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';

const ORIGIN = 'https://tools.example';
const URL_ = `${ORIGIN}/mcp`;
const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

function server() {
  const s = new McpServer({ name: 'bench', version: '1.0.0' });
  s.registerTool('search', { description: 'search' }, async () => ({
    content: [{ type: 'text', text: 'ok' }],
  }));
  return s;
}

/** An unsigned tools/call POST as the SDK client sends it (headers mirror the body). */
const call = (id, headers = {}) =>
  new Request(URL_, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'search',
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'search', arguments: {}, _meta: META },
    }),
  });

async function ok(response) {
  if (response.status !== 200)
    throw new Error(`MCP bench call refused: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

async function accessToken(authorization, passport, signer) {
  const { challenge, domain } = await (
    await authorization.handle(new Request(`${ORIGIN}${CHALLENGE_PATH}`, { method: 'POST' }))
  ).json();
  const vp = await createPresentation({ passport, signer, challenge, domain });
  const form = new URLSearchParams({
    grant_type: TOKEN_EXCHANGE_GRANT,
    subject_token_type: PRESENTATION_TOKEN_TYPE,
    subject_token: JSON.stringify(vp),
    resource: URL_,
  });
  const request = new Request(`${ORIGIN}${TOKEN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  return (await (await authorization.handle(request)).json()).access_token;
}

/**
 * Rows: the SDK handler alone, behind the gate with a signed call, behind the gate with a token,
 * and the two differences. `passport` may carry maxCalls (the signed door counts it);
 * `tokenPassport` must not (the OAuth door mints no token for it).
 */
export async function benchMcp({
  measure,
  iterations,
  warm,
  verifier,
  passport,
  tokenPassport,
  keyId,
  rawSign,
  signer,
}) {
  const handler = createMcpHandler(() => server(), { legacy: 'reject', responseMode: 'json' });
  const authorization = await createMcpAuthorization({ origin: ORIGIN, verifier });
  const gate = createMcpGate({
    origin: ORIGIN,
    verifier,
    handler,
    authorization,
    tools: { search: ['read:arxiv'] },
  });
  const n = iterations + warm;
  // Unsigned requests are built inside the timed call (as cheap as in the gated rows, where the
  // gate rebuilds the request around the body it read); signed ones are made beforehand.
  let i = 0;
  const bareRow = await measure('MCP tool call, SDK handler alone', async () =>
    ok(await handler.fetch(call(i++))),
  );

  // The agent's signing fetch, capturing what it would send: first contact (inline passport)
  // goes through the gate once; the pool is the compact form every later call uses.
  const signed = [];
  const sign = createMcpAgentFetch({
    passport,
    keyId,
    signer: rawSign,
    fetch: async (r) => {
      signed.push(r);
      return new Response(null, { status: 200 });
    },
  });
  await sign(call(-1));
  await ok(await gate.fetch(signed.pop()));
  for (let j = 0; j < n; j++) await sign(call(j));
  i = 0;
  const signedRow = await measure('MCP tool call, behind the gate (signed call)', async () =>
    ok(await gate.fetch(signed[i++])),
  );

  signed.length = 0;
  const token = await accessToken(authorization, tokenPassport, signer);
  const bearer = { authorization: `Bearer ${token}` };
  i = 0;
  const tokenRow = await measure('MCP tool call, behind the gate (access token)', async () =>
    ok(await gate.fetch(call(i++, bearer))),
  );
  await handler.close();
  const diff = (name, row) => ({
    name,
    iterations,
    medianUs: row.medianUs - bareRow.medianUs,
    baselineUs: row.baselineUs,
    p99Us: Number.NaN,
  });
  return [
    bareRow,
    signedRow,
    diff('MCP gate overhead, signed call (difference of medians)', signedRow),
    tokenRow,
    diff('MCP gate overhead, access token (difference of medians)', tokenRow),
  ];
}
