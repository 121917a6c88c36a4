// SPDX-License-Identifier: Apache-2.0
// A small static server for a published folder (local use and tests): GET/HEAD only, no
// directory listings, no path escapes, JSON media types for the files an issuer publishes.
import { readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { withInspector } from '@agent-passport/inspector';
import { type ListenOptions, listen, type RunningServer } from '@agent-passport/server';

export type { ListenOptions as ServeOptions, RunningServer } from '@agent-passport/server';

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.jsonld': 'application/ld+json',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

function handler(root: string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, {
        'content-type': type,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return send(400, 'bad path');
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || path.includes('\0')) return send(404, 'not found');
    try {
      if (!statSync(file).isFile()) return send(404, 'not found');
      const body = readFileSync(file);
      res.writeHead(200, {
        // Extensionless files are what `publish` writes at URL paths (status lists): JSON.
        'content-type':
          TYPES[extname(file)] ?? (extname(file) === '' ? 'application/json' : 'application/octet-stream'),
        'content-length': body.length,
        'access-control-allow-origin': '*',
        'x-content-type-options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      send(404, 'not found');
    }
  };
}

/**
 * Serve `dir` until `close()`; HTTPS with the given or a self-signed certificate, else HTTP. The
 * inspector page is mounted at /inspect.
 */
export function serveFolder(dir: string, options: ListenOptions = {}): Promise<RunningServer> {
  return listen(withInspector(handler(normalize(dir))), options);
}
