// SPDX-License-Identifier: Apache-2.0
// The Node adapter of the fetch-style handler: a node:http request listener. The request body is
// streamed to the handler as it is read (a refusal before it, 401, 413, 415, leaves it unread);
// a refusal that leaves the body unread closes the connection: the unread rest is not drained (an
// attacker's 100 MiB costs nothing more) and cannot be taken for the next request on a kept-alive
// connection. It is let flow only so that the answer goes out.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { lightEligible, lightRequest, type NodeBindings, NodeReply } from './light.js';

/** A fetch-style handler; `env` is given by the adapter (Hono's `app.fetch` takes it as is). */
export type FetchHandler = (request: Request, env?: NodeBindings) => Response | Promise<Response>;
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

/** The body of `req` as a web stream, read only as the handler asks for it. */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once('end', () => controller.close());
      req.once('error', (e) => controller.error(e));
      req.pause();
    },
    pull() {
      req.resume();
    },
  });
}

/** A fetch Request for a Node request (the origin is not used for routing). */
export function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? null : bodyStream(req);
  return new Request(`http://localhost${req.url ?? '/'}`, {
    method,
    headers,
    body,
    ...(body === null ? {} : { duplex: 'half' }),
  } as RequestInit);
}

/** A fetch Response's headers and body; a HEAD answer keeps the length of the body a GET would get. */
async function fromResponse(
  req: IncomingMessage,
  answer: Response,
): Promise<[Record<string, string>, Buffer]> {
  const body = Buffer.from(await answer.arrayBuffer());
  const headers: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (req.method !== 'HEAD' || headers['content-length'] === undefined)
    headers['content-length'] = String(body.byteLength);
  return [headers, body];
}

/** Write `answer` to `res`; a refusal that left the request body unread closes the connection. */
async function send(req: IncomingMessage, res: ServerResponse, answer: Response | NodeReply): Promise<void> {
  // A NodeReply (reply.ts) carries its content-length already.
  let [headers, body] =
    answer instanceof NodeReply ? [answer.headers, answer.text] : await fromResponse(req, answer);
  if (answer.status >= 400 && !req.readableEnded) {
    req.removeAllListeners('data');
    req.resume();
    headers = { ...headers, connection: 'close' };
  }
  res.writeHead(answer.status, headers);
  res.end(body);
}

const FAILED = '{"errors":[{"code":"ERR_API_INTERNAL","message":"the server failed unexpectedly"}]}\n';

export interface NodeListenerOptions {
  /**
   * The handler understands the adapter's fast lane (the service's own app): requests of declared
   * length are given as light Request shapes, and NodeReply answers are accepted.
   */
  readonly light?: boolean;
}

/** A node:http listener running `handler`. */
export function toNodeListener(handler: FetchHandler, options: NodeListenerOptions = {}): NodeListener {
  const env: NodeBindings | undefined = options.light === true ? { nodeReply: true } : undefined;
  return function nodeListener(req, res) {
    let request: Request;
    try {
      if (!(req.url ?? '').startsWith('/')) throw new TypeError('not an origin-form request target');
      request = env !== undefined && lightEligible(req) ? lightRequest(req) : toRequest(req);
    } catch {
      res.writeHead(404, { 'content-type': 'application/json', connection: 'close' });
      res.end('{"errors":[{"code":"ERR_API_NOT_FOUND","message":"bad request target"}]}\n');
      return;
    }
    Promise.resolve(handler(request, env))
      .then((answer) => send(req, res, answer as Response | NodeReply))
      .catch(() => {
        if (res.headersSent) return res.destroy();
        res.writeHead(500, { 'content-type': 'application/json', connection: 'close' });
        res.end(FAILED);
      });
  };
}
