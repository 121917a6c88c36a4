// SPDX-License-Identifier: Apache-2.0
// `agent-passport serve` without a folder: the issuer and verifier service (W3C VC API) for this
// home's organisation. Tokens come from the environment (never a flag, they would show in `ps`).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type IssuingCryptosuite, startVcApiServer } from '@agent-passport/server';
import { parseJson } from '@agent-passport/strict-json';
import { verifyTrustBundle } from '@agent-passport/trust-bundle';
import { CommanderError } from 'commander';
import { bundleAuthors } from './bundle-verbs.js';
import { EXIT } from './exit-codes.js';
import { type Home, orgSigner } from './home.js';
import { readJsonFile } from './internal/files.js';
import type { Out } from './output.js';

export const OPERATOR_TOKEN_ENV = 'AGENT_PASSPORT_OPERATOR_TOKEN';
export const VERIFY_TOKEN_ENV = 'AGENT_PASSPORT_VERIFY_TOKEN';

export interface ServeApiOptions {
  readonly port: number;
  readonly host: string;
  readonly selfSigned?: boolean;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly publicUrl?: string;
  readonly cryptosuite?: string[];
  readonly context?: string[];
  readonly maxBody?: number;
  readonly bundle?: string;
  readonly bundleAuthor?: string[];
}

const usage = (message: string) => new CommanderError(EXIT.USAGE, 'agent-passport.usage', message);

/** Run the service until SIGINT/SIGTERM. */
export async function serveApi(home: Home, out: Out, opts: ServeApiOptions): Promise<void> {
  const { org, signer } = await orgSigner(home);
  const contexts: Record<string, unknown> = {};
  for (const pair of opts.context ?? []) {
    const at = pair.indexOf('=');
    if (at < 1) throw usage(`--context takes URL=FILE, not ${pair}`);
    contexts[pair.slice(0, at)] = parseJson(readFileSync(pair.slice(at + 1)), { maxBytes: 1024 * 1024 });
  }
  const suites = opts.cryptosuite ?? ['eddsa-jcs-2022', 'eddsa-rdfc-2022'];
  for (const s of suites)
    if (s !== 'eddsa-jcs-2022' && s !== 'eddsa-rdfc-2022')
      throw usage(`--cryptosuite is eddsa-jcs-2022 or eddsa-rdfc-2022, not ${s}`);
  let operatorToken = process.env[OPERATOR_TOKEN_ENV];
  const generated = operatorToken === undefined || operatorToken === '';
  if (generated) operatorToken = randomBytes(24).toString('base64url');
  const verifyToken = process.env[VERIFY_TOKEN_ENV];
  // A trust bundle: the verification endpoints trust exactly its issuers (and this organisation),
  // with their key history and status lists, until the bundle expires.
  const bundle =
    opts.bundle === undefined
      ? undefined
      : await verifyTrustBundle(readJsonFile(opts.bundle, 32 * 1024 * 1024), {
          authors: bundleAuthors(opts.bundleAuthor, home),
        });
  const trust =
    bundle === undefined
      ? {}
      : {
          didDocuments: bundle.issuers.map((i) => i.didDocument),
          statusLists: bundle.issuers.flatMap((i) => i.statusLists),
          trustedIssuers: [org.did, ...bundle.issuers.map((i) => i.id)],
          trustValidUntil: bundle.validUntil,
        };
  const server = await startVcApiServer(
    (origin) => ({
      issuer: { did: org.did, signer, didDocument: org.didDocument },
      publicUrl: opts.publicUrl ?? origin,
      stateFile: join(home.dir, 'server', 'issuer-state.json'),
      operatorToken: operatorToken as string,
      ...(verifyToken === undefined || verifyToken === '' ? {} : { verifyToken }),
      cryptosuites: suites as IssuingCryptosuite[],
      contexts,
      ...trust,
      ...(opts.maxBody === undefined ? {} : { maxBodyBytes: opts.maxBody }),
    }),
    {
      port: opts.port,
      host: opts.host,
      ...(opts.selfSigned === true ? { selfSigned: true } : {}),
      ...(opts.tlsCert === undefined ? {} : { tlsCert: opts.tlsCert }),
      ...(opts.tlsKey === undefined ? {} : { tlsKey: opts.tlsKey }),
    },
  );
  const publicUrl = opts.publicUrl ?? server.url;
  out.data({
    url: server.url,
    publicUrl,
    issuer: org.did,
    status: publicUrl.startsWith('https:'),
    ...(bundle === undefined ? {} : { trustedIssuers: bundle.issuers.map((i) => i.id) }),
    ...(generated ? { operatorToken } : {}),
  });
  out.line(`serving the VC API for ${org.did} at ${server.url} (Ctrl-C to stop)`);
  out.line('  POST /credentials/issue  /credentials/status   (operator token)');
  out.line(`  POST /credentials/verify /presentations/verify  (${verifyToken ? 'verify token' : 'open'})`);
  if (bundle !== undefined)
    out.line(
      `  trusting ${bundle.issuers.map((i) => i.id).join(', ')} (bundle valid until ${bundle.validUntil.toISOString()})`,
    );
  if (!publicUrl.startsWith('https:'))
    out.line('  plain HTTP: credentials are issued without status entries');
  if (generated) out.line(`  operator token (set ${OPERATOR_TOKEN_ENV} to choose one): ${operatorToken}`);
  await new Promise<void>((done) => {
    const stop = () => void server.close().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
