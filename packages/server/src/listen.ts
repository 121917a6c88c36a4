// SPDX-License-Identifier: Apache-2.0
// Run the service on a port: HTTPS with a given certificate or a generated self-signed one (local
// use), or plain HTTP for development.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createVcApi, type VcApi, type VcApiConfig } from './api.js';

/** A self-signed certificate for localhost and 127.0.0.1 (local use only), valid for a week. */
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

export interface ListenOptions {
  readonly port?: number;
  readonly host?: string;
  /** HTTPS with a freshly generated self-signed certificate. */
  readonly selfSigned?: boolean;
  /** HTTPS with this PEM certificate and key (file paths). */
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  /** HTTPS with this PEM certificate and key (the text: several processes serving one certificate). */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Wrap the handler (e.g. to mount a page under a path in front of the service). */
  readonly wrap?: (handler: NodeHandler) => NodeHandler;
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface RunningServer {
  /** The origin the server listens at (`https://localhost:PORT` for a loopback HTTPS server). */
  readonly url: string;
  readonly port: number;
  /** The certificate (PEM) when serving HTTPS, for clients that must trust it. */
  readonly cert?: string;
  close(): Promise<void>;
}

/** Listen with `handler`; TLS as `options` say. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: ListenOptions = {},
): Promise<RunningServer> {
  let tls: { cert: string; key: string } | undefined;
  if (options.tls !== undefined) {
    tls = { cert: options.tls.cert, key: options.tls.key };
  } else if (options.tlsCert !== undefined || options.tlsKey !== undefined) {
    if (options.tlsCert === undefined || options.tlsKey === undefined)
      throw new TypeError('--tls-cert and --tls-key go together');
    tls = { cert: readFileSync(options.tlsCert, 'utf8'), key: readFileSync(options.tlsKey, 'utf8') };
  } else if (options.selfSigned === true) {
    tls = await selfSignedCertificate();
  }
  const wrapped = options.wrap === undefined ? handler : options.wrap(handler);
  const server = tls === undefined ? createHttpServer(wrapped) : createHttpsServer(tls, wrapped);
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
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

/**
 * Start the VC API service. `config` may be a function of the origin the server listens at, for a
 * server on a port picked at start (its publicUrl and a did:web issuer depend on it).
 */
export async function startVcApiServer(
  config: VcApiConfig | ((origin: string) => VcApiConfig | Promise<VcApiConfig>),
  options: ListenOptions = {},
): Promise<RunningServer & { readonly api: VcApi }> {
  let api: VcApi | undefined;
  const running = await listen((req, res) => {
    if (api === undefined) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end('{"errors":[{"code":"ERR_API_INTERNAL","message":"starting"}]}\n');
      return;
    }
    api.handle(req, res);
  }, options);
  try {
    api = createVcApi(typeof config === 'function' ? await config(running.url) : config);
    await api.ready;
  } catch (cause) {
    await running.close();
    throw cause;
  }
  return { ...running, api };
}
