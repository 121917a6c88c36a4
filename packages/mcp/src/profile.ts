// SPDX-License-Identifier: Apache-2.0
// The MCP profile of the toolkit's request signatures: which MCP headers a signature covers, and
// the Mcp-Name header's value as the 2026-07-28 streamable HTTP transport defines it (SEP-2243).
import { PASSPORT_HEADER, PASSPORT_REF_HEADER } from '@agent-passport/http-signatures';

export const MCP_METHOD_HEADER = 'mcp-method';
export const MCP_NAME_HEADER = 'mcp-name';
export const MCP_PROTOCOL_VERSION_HEADER = 'mcp-protocol-version';
/**
 * The signature tag of the MCP profile (RFC 9421 §2.3 `tag`): a request signed for an MCP server
 * is not accepted by the toolkit's other verifiers, nor theirs by the MCP gate.
 */
export const MCP_SIGNATURE_TAG = 'agent-passport-mcp';
/** The protocol revision this profile is written for. */
export const MCP_PROTOCOL_VERSION = '2026-07-28';

/** The methods whose `Mcp-Name` header mirrors a body field, and that field (SEP-2243, SEP-2663). */
export const MCP_NAME_SOURCE: Readonly<Record<string, 'name' | 'uri' | 'taskId'>> = Object.freeze({
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
});

/** The body field `Mcp-Name` mirrors for `method`, if any (own keys only: the method is peer data). */
export function nameField(method: string): 'name' | 'uri' | 'taskId' | undefined {
  return Object.hasOwn(MCP_NAME_SOURCE, method) ? MCP_NAME_SOURCE[method] : undefined;
}

const B64_PREFIX = '=?base64?';
const B64_SUFFIX = '?=';

/**
 * The value an `Mcp-Name` header carries: plain printable ASCII as is, anything else as
 * `=?base64?…?=` (UTF-8). Undefined when the sentinel form does not decode to UTF-8.
 */
export function decodeMcpName(header: string): string | undefined {
  if (!(header.startsWith(B64_PREFIX) && header.endsWith(B64_SUFFIX))) return header;
  const b64 = header.slice(B64_PREFIX.length, header.length - B64_SUFFIX.length);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(b64, 'base64'));
  } catch {
    return undefined;
  }
}

/**
 * The components an MCP request signature covers: the request line, the body digest, the MCP
 * headers the request carries (the gate requires the protocol version and method on every POST,
 * and the name when the method has one) and the passport, inline and by reference.
 */
export function mcpComponents(headers: Headers, hasBody: boolean): string[] {
  const present = [
    MCP_PROTOCOL_VERSION_HEADER,
    MCP_METHOD_HEADER,
    MCP_NAME_HEADER,
    PASSPORT_HEADER,
    PASSPORT_REF_HEADER,
  ].filter((h) => headers.has(h));
  return ['@method', '@target-uri', ...(hasBody ? ['content-digest'] : []), ...present];
}
