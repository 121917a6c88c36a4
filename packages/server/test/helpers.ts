// SPDX-License-Identifier: Apache-2.0
// A server on 127.0.0.1 over real HTTPS (self-signed), and a client that trusts its certificate.
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocumentLoader } from '@agent-passport/contexts';
import { resolveDidKey } from '@agent-passport/did-key';
import { generateKey } from '@agent-passport/keystore';
import { didKeySigner } from '@agent-passport/suites';
import { type RunningServer, startVcApiServer, type VcApi, type VcApiConfig } from '../src/index.js';

export const EXAMPLES_V2_URL = 'https://www.w3.org/ns/credentials/examples/v2';
/** The VCDM 2.0 examples context: one @vocab (its IRIs appear in the W3C vectors' RDFC forms). */
export const EXAMPLES_V2 = { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } };
export const loader = createDocumentLoader({ extra: { [EXAMPLES_V2_URL]: EXAMPLES_V2 } });
export const OPERATOR = 'operator-token-0123456789';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected freely
  json: any;
}

export interface TestServer extends RunningServer {
  readonly api: VcApi;
  readonly issuer: string;
  readonly dir: string;
  call(
    method: string,
    path: string,
    body?: unknown,
    options?: { token?: string | null; headers?: Record<string, string>; raw?: string | Buffer },
  ): Promise<Reply>;
  stop(): Promise<void>;
}

/** Start a server issuing as a fresh did:key, with its state in a temporary folder. */
export async function startTestServer(
  overrides: Partial<VcApiConfig> = {},
  listen: { selfSigned?: boolean } = { selfSigned: true },
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ap-server-'));
  const signer = didKeySigner(generateKey());
  const did = signer.id.split('#')[0] as string;
  const running = await startVcApiServer(
    (origin) => ({
      issuer: { did, signer, didDocument: resolveDidKey(did) },
      publicUrl: origin,
      stateFile: join(dir, 'state.json'),
      operatorToken: OPERATOR,
      contexts: { [EXAMPLES_V2_URL]: EXAMPLES_V2 },
      ...overrides,
    }),
    { ...listen, port: 0 },
  );
  const call: TestServer['call'] = (method, path, body, options = {}) =>
    new Promise((resolve, reject) => {
      const url = new URL(path, running.url);
      const payload =
        options.raw ?? (body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8'));
      const token = options.token === undefined ? OPERATOR : options.token;
      const headers: Record<string, string> = {
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...options.headers,
      };
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        url,
        { method, headers, ...(running.cert === undefined ? {} : { ca: running.cert }) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return {
    ...running,
    issuer: did,
    dir,
    call,
    stop: async () => {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A plain example credential for `issuer`. */
export function exampleCredential(
  issuer: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', EXAMPLES_V2_URL],
    type: ['VerifiableCredential', 'ExampleAlumniCredential'],
    issuer,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:alice', alumniOf: 'The School of Examples' },
    ...extra,
  };
}
