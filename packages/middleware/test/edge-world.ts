// SPDX-License-Identifier: Apache-2.0
// The world of the edge attacker tests: a read-only agent and a stranger, one service behind each
// adapter (Express, Fastify, Hono, a fetch handler) on 127.0.0.1 with a read route and an admin
// route, and a raw HTTP client that sends request targets exactly as written.
import { sign } from 'node:crypto';
import {
  type Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { PASSPORT_HEADER, signRequest } from '@agent-passport/http-signatures';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey, type KeyMaterial } from '@agent-passport/keystore';
import { didKeySigner, privateKeyObject } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import express from 'express';
import { Hono } from 'hono';
import {
  type AgentContext,
  agentPassport,
  expressAgentPassport,
  fastifyAgentPassport,
  type MiddlewareOptions,
  type RequestEvidence,
  withAgentPassport,
} from '../src/index.js';

export const org = generateKey();
export const reader = generateKey();
export const stranger = generateKey();
export const ORIGIN = 'https://api.example';

const passports = new Map<KeyMaterial, object>();
/** A read-only passport from the trusted org (for `reader`), or a self-issued one (for others). */
export async function passportOf(k: KeyMaterial): Promise<object> {
  let p = passports.get(k);
  if (p === undefined) {
    const issuer = k === reader ? org : k;
    p = await issuePassport({
      issuer: { id: issuer.did, signer: didKeySigner(issuer) },
      subject: k.did,
      agentName: 'reader-1',
      purpose: 'reporting',
      scopes: ['read:data'],
      validUntil: new Date(Date.now() + 86_400_000),
    });
    passports.set(k, p);
  }
  return p;
}

/** A request signed by `k` for `url` (default: this service's origin), its passport inline. */
export async function signedRequest(
  k: KeyMaterial,
  url: string,
  init: { method?: string; body?: string | Uint8Array } = {},
): Promise<Request> {
  const key = privateKeyObject(k);
  const passport = Buffer.from(JSON.stringify(await passportOf(k))).toString('base64url');
  return signRequest(new Request(url, init as RequestInit), {
    keyId: `${k.did}#${k.publicKeyMultibase}`,
    signer: (data) => new Uint8Array(sign(null, data, key)),
    extraHeaders: { [PASSPORT_HEADER]: passport },
  });
}

export interface Raw {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly json: { code?: string } & Record<string, unknown>;
}

/** Send a request with the target exactly as written (no URL parser on the way). */
export function raw(
  port: number,
  target: string,
  options: {
    method?: string;
    headers?: Headers | Record<string, string>;
    body?: Uint8Array | string;
    agent?: Agent;
  } = {},
): Promise<Raw> {
  const headers: Record<string, string> = Object.fromEntries(
    options.headers instanceof Headers ? options.headers : Object.entries(options.headers ?? {}),
  );
  // Framed by Content-Length on every method (Node's client would not frame a GET's body).
  if (options.body !== undefined && headers['content-length'] === undefined)
    headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: target,
        method: options.method ?? 'GET',
        headers,
        agent: options.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Raw['json'] = {};
          try {
            json = JSON.parse(text) as Raw['json'];
          } catch {
            json = { text };
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A Node server for a fetch handler, streaming the request body as @hono/node-server does. */
export function fetchServer(handler: (request: Request) => Response | Promise<Response>): Server {
  return createServer(async (req, res) => {
    const url = (req.url ?? '/').startsWith('/')
      ? `http://${req.headers.host}${req.url}`
      : (req.url as string);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const bodyless = req.method === 'GET' || req.method === 'HEAD';
    try {
      const response = await handler(
        new Request(url, {
          method: req.method,
          headers,
          ...(bodyless ? {} : { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' }),
        } as RequestInit),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
}

export async function listen(server: Server): Promise<number> {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return (server.address() as AddressInfo).port;
}
export const close = (server: Server) =>
  new Promise<void>((ok) => {
    server.closeAllConnections();
    server.close(() => ok());
  });

/** The admin route's scope, else read: computed from the verified URL. */
const scopes = (r: Request) => [new URL(r.url).pathname.startsWith('/api/admin') ? 'admin:all' : 'read:data'];

export interface Service {
  readonly name: string;
  readonly port: number;
  /** How often the admin handler ran, and what it saw. */
  readonly admin: { runs: number };
  /** The target each verified request was routed with, and what the evidence log recorded. */
  readonly routed: string[];
  readonly logged: string[];
  /** Bytes the server read from each connection by the time it answered. */
  readonly bytesRead: number[];
  close(): Promise<void>;
}

type Extra = Partial<MiddlewareOptions> & { beforeExpress?: express.RequestHandler };

/** One service per adapter, same routes: /api/read (read:data), /api/admin/drop… (admin:all). */
export async function services(extra: Extra = {}): Promise<Service[]> {
  const make = () => {
    const logged: string[] = [];
    const options: MiddlewareOptions = {
      verifier: createVerifier({ trustedIssuers: [org.did] }),
      origin: ORIGIN,
      requiredScopes: scopes,
      evidence: { record: (e: RequestEvidence) => void logged.push(e.url) },
      ...extra,
    };
    return { options, logged, routed: [] as string[], admin: { runs: 0 }, bytesRead: [] as number[] };
  };
  const out: Service[] = [];

  {
    const s = make();
    const app = express();
    app.use((req, res, next) => {
      res.on('finish', () => s.bytesRead.push(req.socket.bytesRead));
      next();
    });
    if (extra.beforeExpress !== undefined) app.use(extra.beforeExpress);
    app.use(expressAgentPassport(s.options));
    app.use('/api/admin/drop', (_req, res) => {
      s.admin.runs++;
      res.json({ admin: true });
    });
    app.all('/api/read', (req, res) => {
      s.routed.push(req.originalUrl);
      res.json({ read: true, bytes: Buffer.isBuffer(req.body) ? req.body.length : 0 });
    });
    const server = createServer(app);
    out.push({ name: 'express', port: await listen(server), ...s, close: () => close(server) });
  }
  {
    const s = make();
    const { default: Fastify } = await import('fastify');
    const app = Fastify();
    app.addHook('onResponse', async (req) => {
      s.bytesRead.push(req.raw.socket.bytesRead);
    });
    await app.register(async (scope) => {
      await scope.register(fastifyAgentPassport as never, s.options);
      const admin = async () => {
        s.admin.runs++;
        return { admin: true };
      };
      scope.all('/api/admin/drop', admin);
      scope.all('/api/admin/drop/*', admin);
      scope.all('/api/read', async (req) => {
        s.routed.push(req.url);
        return { read: true, bytes: Buffer.isBuffer(req.body) ? req.body.length : 0 };
      });
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    out.push({ name: 'fastify', port, ...s, close: () => app.close() });
  }
  {
    const s = make();
    const app = new Hono<{ Variables: { agentPassport: AgentContext } }>();
    app.use('*', agentPassport(s.options));
    app.all('/api/admin/drop/*', (c) => {
      s.admin.runs++;
      return c.json({ admin: true });
    });
    app.all('/api/read', async (c) => {
      s.routed.push(c.req.url);
      return c.json({ read: true, bytes: (await c.req.arrayBuffer()).byteLength });
    });
    const server = fetchServer((r) => app.fetch(r));
    server.on('request', (req, res) => res.on('finish', () => s.bytesRead.push(req.socket.bytesRead)));
    out.push({ name: 'hono', port: await listen(server), ...s, close: () => close(server) });
  }
  {
    const s = make();
    const handler = withAgentPassport(s.options, async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname.startsWith('/api/admin/drop')) {
        s.admin.runs++;
        return Response.json({ admin: true });
      }
      s.routed.push(request.url);
      return Response.json({ read: true, bytes: (await request.arrayBuffer()).byteLength });
    });
    const server = fetchServer(handler);
    server.on('request', (req, res) => res.on('finish', () => s.bytesRead.push(req.socket.bytesRead)));
    out.push({ name: 'fetch', port: await listen(server), ...s, close: () => close(server) });
  }
  return out;
}
