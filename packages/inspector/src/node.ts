// SPDX-License-Identifier: Apache-2.0
// Mount the page in a Node server: requests under the base path go to the inspector handler, every
// other request to the server's own handler, untouched.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createInspectorHandler, type InspectorOptions, pagePath } from './handler.js';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** `next`, with the inspector page mounted at `options.basePath` (default /inspect). */
export function withInspector(next: NodeHandler, options: InspectorOptions = {}): NodeHandler {
  const inspector = createInspectorHandler(options);
  const base = options.basePath ?? '/inspect';
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (pagePath(url.pathname, base) === undefined) return next(req, res);
    void inspector(new Request(url, { method: req.method ?? 'GET' })).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  };
}
