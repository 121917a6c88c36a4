// SPDX-License-Identifier: Apache-2.0
// The agent side: a fetch for the MCP client transport's `fetch` option that signs every MCP
// request with the MCP profile (profile.ts). The passport reference is always sent and covered;
// the passport itself on first contact with an origin, and again when the server answers that it
// does not know the reference.
import {
  firstContactFetch,
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  passportRef,
  type RawSigner,
  signRequest,
} from '@agent-passport/http-signatures';
import { MCP_SIGNATURE_TAG, mcpComponents } from './profile.js';

export interface McpAgentFetchOptions {
  /** The passport (serialised once, as sent) or its exact bytes. */
  readonly passport: object | Uint8Array;
  /** The agent's verification method (`did:key:z…#z…`). */
  readonly keyId: string;
  readonly signer: RawSigner;
  /** Where signed requests go (default: the global fetch). */
  readonly fetch?: (request: Request) => Response | Promise<Response>;
}

/** A fetch that signs MCP requests: pass it as `new StreamableHTTPClientTransport(url, { fetch })`. */
export function createMcpAgentFetch(options: McpAgentFetchOptions): typeof fetch {
  if (typeof options?.keyId !== 'string' || typeof options.signer !== 'function')
    throw new TypeError('keyId and signer are required');
  if (
    !(options.passport instanceof Uint8Array) &&
    (options.passport === null || typeof options.passport !== 'object')
  )
    throw new TypeError('passport is required');
  const bytes =
    options.passport instanceof Uint8Array
      ? options.passport
      : new TextEncoder().encode(JSON.stringify(options.passport));
  const inline = Buffer.from(bytes).toString('base64url');
  const ref = passportRef(bytes);
  const inner = options.fetch ?? ((request: Request) => globalThis.fetch(request));

  async function send(request: Request, full: boolean): Promise<Response> {
    const headers = new Headers(request.headers);
    headers.set(PASSPORT_REF_HEADER, ref);
    if (full) headers.set(PASSPORT_HEADER, inline);
    else headers.delete(PASSPORT_HEADER);
    return inner(
      await signRequest(new Request(request, { headers }), {
        keyId: options.keyId,
        signer: options.signer,
        components: mcpComponents(headers, request.body !== null),
        tag: MCP_SIGNATURE_TAG,
      }),
    );
  }

  return firstContactFetch(send);
}
