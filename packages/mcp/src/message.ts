// SPDX-License-Identifier: Apache-2.0
// The JSON-RPC message behind an MCP POST, read strictly and checked against its headers before
// anything is authorized on them. One parser decides (strict JSON: a duplicate `name` key cannot
// make the gate and the SDK see two different tools), one message per POST (no batch can carry a
// second call past the check), and a call is never accepted as a notification.
import { isObject, PassportError } from '@agent-passport/core';
import { parseJson } from '@agent-passport/strict-json';
import { decodeMcpName, MCP_METHOD_HEADER, MCP_NAME_HEADER, nameField } from './profile.js';

/** What the gate authorizes: the method, and the tool/prompt name or resource URI it names. */
export interface McpCall {
  readonly method: string;
  /** `params.name` / `params.uri` / `params.taskId`, for the methods that carry one. */
  readonly name?: string;
  /** A notification (no id): never a call. */
  readonly notification: boolean;
  /** The message, as parsed. */
  readonly message: Readonly<Record<string, unknown>>;
}

function refuse(code: 'ERR_MCP_MESSAGE' | 'ERR_MCP_HEADER_MISMATCH', message: string): never {
  throw new PassportError(code, message);
}

/**
 * Read the body (strict JSON) and check it against `Mcp-Method` / `Mcp-Name` (2026-07-28
 * streamable HTTP: headers and body must agree). Throws a PassportError with the refusal's code.
 */
export function readMcpCall(body: Uint8Array, headers: Headers, maxBytes: number): McpCall {
  const message = parseJson(body, { maxBytes });
  if (Array.isArray(message))
    refuse('ERR_MCP_MESSAGE', 'a JSON-RPC batch is not accepted: one message per POST');
  if (!isObject(message) || message['jsonrpc'] !== '2.0')
    refuse('ERR_MCP_MESSAGE', 'the body is not a JSON-RPC 2.0 message');
  const method = message['method'];
  if (typeof method !== 'string') refuse('ERR_MCP_MESSAGE', 'the body is not a request or a notification');
  const notification = !Object.hasOwn(message, 'id');
  // A notification gets no answer and no check of its result: only notifications/* may be one.
  if (notification && !method.startsWith('notifications/'))
    refuse('ERR_MCP_MESSAGE', `${method} sent as a notification`);
  if (headers.get(MCP_METHOD_HEADER) !== method)
    refuse('ERR_MCP_HEADER_MISMATCH', `Mcp-Method must be ${JSON.stringify(method)}`);
  const field = nameField(method);
  const header = headers.get(MCP_NAME_HEADER);
  if (field === undefined) {
    if (header !== null) refuse('ERR_MCP_HEADER_MISMATCH', `${method} carries no Mcp-Name`);
    return { method, notification, message };
  }
  const params = message['params'];
  const name = isObject(params) ? params[field] : undefined;
  if (typeof name !== 'string') refuse('ERR_MCP_MESSAGE', `${method} needs params.${field} as a string`);
  if (header === null || decodeMcpName(header) !== name)
    refuse('ERR_MCP_HEADER_MISMATCH', `Mcp-Name must be the body's params.${field}`);
  return { method, name, notification, message };
}
