// SPDX-License-Identifier: Apache-2.0
// A small static server for a published folder (local use and tests): GET/HEAD only, no
// directory listings, no path escapes, JSON media types for the files an issuer publishes.
import { readFileSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

export interface ServeOptions {
  readonly port?: number;
  readonly host?: string;
  readonly selfSigned?: boolean;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** The certificate (PEM) when serving HTTPS, for clients that must trust it. */
  readonly cert?: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.jsonld': 'application/ld+json',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** A self-signed certificate for localhost and 127.0.0.1 (local use only). */
export async function selfSignedCertificate(): Promise<{ cert: string; key: string }> {
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 7 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  } as never);
  return { cert: pems.cert, key: pems.private };
}

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

/** Serve `dir` until `close()`; HTTPS with the given or a self-signed certificate, else HTTP. */
export async function serveFolder(dir: string, options: ServeOptions = {}): Promise<RunningServer> {
  const root = normalize(dir);
  let tls: { cert: string; key: string } | undefined;
  if (options.tlsCert !== undefined || options.tlsKey !== undefined) {
    if (options.tlsCert === undefined || options.tlsKey === undefined)
      throw new TypeError('--tls-cert and --tls-key go together');
    tls = { cert: readFileSync(options.tlsCert, 'utf8'), key: readFileSync(options.tlsKey, 'utf8') };
  } else if (options.selfSigned === true) {
    tls = await selfSignedCertificate();
  }
  const server = tls === undefined ? createHttpServer(handler(root)) : createHttpsServer(tls, handler(root));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => ok());
  });
  const { port } = server.address() as AddressInfo;
  const name = host === '127.0.0.1' && tls !== undefined ? 'localhost' : host;
  return {
    url: `${tls === undefined ? 'http' : 'https'}://${name}:${port}`,
    port,
    ...(tls === undefined ? {} : { cert: tls.cert }),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
