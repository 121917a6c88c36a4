// SPDX-License-Identifier: Apache-2.0
// The MCP profile's coverage rule, checked before the request verifier runs (which then checks the
// signature itself, the request line, the body digest and the passport): the signature must cover
// the protocol version, the method and, for a method that names a tool, prompt or resource, the
// name. A signature made without `mcp-name` would otherwise be good for any tool at that URL.
import { parseDictionary } from 'structured-headers';
import type { McpCall } from './message.js';
import { MCP_METHOD_HEADER, MCP_NAME_HEADER, MCP_PROTOCOL_VERSION_HEADER, nameField } from './profile.js';

/** The first MCP component the request's (single) signature does not cover, if any. */
export function coverageProblem(headers: Headers, call: McpCall): string | undefined {
  const required = [
    MCP_PROTOCOL_VERSION_HEADER,
    MCP_METHOD_HEADER,
    ...(nameField(call.method) === undefined ? [] : [MCP_NAME_HEADER]),
  ];
  let covered: string[] = [];
  try {
    const inputs = parseDictionary(headers.get('signature-input') ?? '');
    // Zero or several signatures: the verifier refuses them with its own code.
    if (inputs.size !== 1) return undefined;
    const [member] = inputs.values();
    if (!Array.isArray(member?.[0])) return undefined;
    covered = member[0].map(([item]) => String(item));
  } catch {
    return undefined;
  }
  return required.find((c) => !covered.includes(c));
}
