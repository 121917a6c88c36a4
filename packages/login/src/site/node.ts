// SPDX-License-Identifier: Apache-2.0
// A fetch handler on Node's http server, or as Express middleware (`app.use(toNodeHandler(h))`):
// the request target is passed on raw (the site checks it against its configured origin), the body
// read under a limit with the middleware's reader, the answer streamed back.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readNodeBody } from '@agent-passport/middleware';

export interface NodeHandlerOptions {
  /** The most body bytes read (default 512 KiB); more is refused with 413. */
  readonly maxBodyBytes?: number;
}

export function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
  options: NodeHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const max = options.maxBodyBytes ?? 512 * 1024;
  return async function loginNodeHandler(req, res) {
    try {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string') headers.set(k, v);
        else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
      }
      const method = req.method ?? 'GET';
      let body: Uint8Array | undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        const read = await readNodeBody(req, max);
        if (!read.ok) {
          res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
          res.end(JSON.stringify({ error: 'invalid_request', code: read.code, message: read.message }));
          return;
        }
        body = read.bytes;
      }
      // Express strips a mount path from req.url and keeps the target in originalUrl.
      const target = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
      const url = `http://${headers.get('host') ?? 'localhost'}${target}`;
      const response = await handler(
        new Request(url, { method, headers, ...(body === undefined ? {} : { body }) } as RequestInit),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: 'server_error', code: 'ERR_VERIFIER_INTERNAL', message: 'internal error' }),
      );
    }
  };
}
