// SPDX-License-Identifier: Apache-2.0
// The pieces of the MCP profile on their own: Mcp-Name decoding (SEP-2243 base64 sentinel), the
// components an agent signs, and the gate's option checks (caller mistakes throw TypeError).
import { createVerifier } from '@agent-passport/verifier';
import { describe, expect, it } from 'vitest';
import { createMcpGate, decodeMcpName, type McpGateOptions, mcpComponents } from '../src/index.js';

describe('decodeMcpName', () => {
  it('passes plain names and decodes the base64 sentinel form (UTF-8)', () => {
    expect(decodeMcpName('search')).toBe('search');
    expect(decodeMcpName(`=?base64?${Buffer.from('café ☕').toString('base64')}?=`)).toBe('café ☕');
  });
  it('refuses a sentinel that is not base64 of UTF-8', () => {
    expect(decodeMcpName('=?base64?***?=')).toBeUndefined();
    expect(decodeMcpName(`=?base64?${Buffer.from([0xff, 0xfe]).toString('base64')}?=`)).toBeUndefined();
  });
});

describe('mcpComponents', () => {
  it('covers the request line, the digest and every MCP and passport header present', () => {
    const headers = new Headers({
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'search',
      'agent-passport-ref': 'sha-256=:x:',
    });
    expect(mcpComponents(headers, true)).toEqual([
      '@method',
      '@target-uri',
      'content-digest',
      'mcp-protocol-version',
      'mcp-method',
      'mcp-name',
      'agent-passport-ref',
    ]);
  });
});

describe('createMcpGate options', () => {
  const base = {
    origin: 'https://tools.example',
    verifier: createVerifier({
      trustedIssuers: ['did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
    }),
    handler: { fetch: async () => new Response() },
    tools: { search: ['tools:search'] },
  } satisfies McpGateOptions;
  it('validates when created', () => {
    expect(() => createMcpGate({ ...base, origin: undefined } as unknown as McpGateOptions)).toThrow(
      TypeError,
    );
    expect(() => createMcpGate({ ...base, handler: {} } as unknown as McpGateOptions)).toThrow(TypeError);
    expect(() => createMcpGate({ ...base, tools: undefined } as unknown as McpGateOptions)).toThrow(
      TypeError,
    );
    expect(() =>
      createMcpGate({ ...base, tools: { search: 'tools:search' } } as unknown as McpGateOptions),
    ).toThrow(TypeError);
    expect(() => createMcpGate({ ...base, maxBodyBytes: 0 })).toThrow(RangeError);
    expect(
      createMcpGate({ ...base, prompts: { greet: { scopes: [], purposes: ['support'] } } }),
    ).toBeDefined();
  });
});
