// SPDX-License-Identifier: Apache-2.0
// The Node adapter's fast lane: a Node request shaped as the part of a fetch Request the service
// reads (url, method, headers, body, arrayBuffer), and an answer the adapter writes as it is, so
// that no undici Request or Response is built for a request whose body has a declared length. A
// chunked body takes the standard lane (Hono's body limit then rebuilds a real Request).
import type { IncomingMessage } from 'node:http';

/** A ready answer: status, headers and the serialized body. */
export class NodeReply {
  constructor(
    readonly status: number,
    readonly headers: Readonly<Record<string, string>>,
    readonly text: string,
  ) {}
}

/** Hono's bindings when the service runs behind the Node adapter. */
export interface NodeBindings {
  /** Answers may be NodeReply objects (written by the adapter, never seen by fetch callers). */
  readonly nodeReply?: true;
}

/** Read-only fetch Headers over a Node request's (already lower-cased) header object. */
class NodeHeaders {
  constructor(private readonly raw: IncomingMessage['headers']) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  forEach(fn: (value: string, name: string) => void): void {
    for (const name of Object.keys(this.raw)) fn(this.get(name) as string, name);
  }
}

/** The body, read from the Node stream straight into one buffer. */
function readAll(req: IncomingMessage): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      const all = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      resolve(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer);
    });
    req.once('error', reject);
  });
}

/** Whether `req` can take the fast lane: no body, or a body of declared length. */
export function lightEligible(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] === undefined;
}

/** `req` as the service reads a Request (only while lightEligible). */
export function lightRequest(req: IncomingMessage): Request {
  const bodied = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0';
  return {
    url: `http://localhost${req.url ?? '/'}`,
    method: req.method ?? 'GET',
    headers: new NodeHeaders(req.headers),
    // Only tested for presence (Hono's body limit, with a declared length): never read as a stream.
    body: bodied ? {} : null,
    arrayBuffer: () => readAll(req),
  } as unknown as Request;
}
