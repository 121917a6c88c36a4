// SPDX-License-Identifier: Apache-2.0
// `agent-passport serve` without a folder: the issuer and verifier service (W3C VC API) for this
// home's organisation. Tokens come from the environment (never a flag, they would show in `ps`).
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { withInspector } from '@agent-passport/inspector';
import { type IssuingCryptosuite, type RunningServer, TOKEN_CHARACTERS } from '@agent-passport/server';
import { bundleAuthors, readTrustBundle } from './bundle-authors.js';
import { OPERATOR_TOKEN_ENV, VERIFY_TOKEN_ENV } from './commands/serve.js';
import { type Home, orgSigner } from './home.js';
import { readJsonFile } from './internal/files.js';
import type { Out } from './output.js';
import { LOGIN_BASE, loginIdentity, startVcApi } from './serve-login.js';
import { type ServiceConfig, startService, startWorkers } from './serve-workers.js';
import { usage } from './usage.js';

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
  /** Mount the headless login workflow (serve-login.ts). */
  readonly login?: boolean;
  /** Server processes sharing the port (default: one per core; one with `login`). */
  readonly workers?: number;
}

/** The server's floor for a bearer token. */
const MIN_TOKEN_LENGTH = 16;

/** --context URL=FILE pairs: JSON-LD contexts known offline. */
function contextsFrom(pairs: readonly string[]): Record<string, unknown> {
  const contexts: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw usage(`--context takes URL=FILE, not ${pair}`);
    contexts[pair.slice(0, at)] = readJsonFile(pair.slice(at + 1));
  }
  return contexts;
}

function cryptosuitesFrom(given: readonly string[] | undefined): IssuingCryptosuite[] {
  const suites = given ?? ['eddsa-jcs-2022', 'eddsa-rdfc-2022'];
  for (const s of suites)
    if (s !== 'eddsa-jcs-2022' && s !== 'eddsa-rdfc-2022')
      throw usage(`--cryptosuite is eddsa-jcs-2022 or eddsa-rdfc-2022, not ${s}`);
  return suites as IssuingCryptosuite[];
}

/** A token from the environment: unset or empty is none; shorter than the floor is a usage error. */
function tokenFrom(name: string): string | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  if (value.length < MIN_TOKEN_LENGTH)
    throw usage(`$${name} must be at least ${MIN_TOKEN_LENGTH} characters`);
  // RFC 6750 b64token: what an Authorization: Bearer header carries.
  if (!TOKEN_CHARACTERS.test(value))
    throw usage(`$${name} must be made of letters, digits and - . _ ~ + / (then =)`);
  return value;
}

/** A trust bundle: the verification endpoints trust exactly its issuers (and this organisation). */
async function bundleTrust(home: Home, orgDid: string, opts: ServeApiOptions) {
  if (opts.bundle === undefined) return { trust: {}, bundle: undefined };
  const bundle = await readTrustBundle(opts.bundle, await bundleAuthors(opts.bundleAuthor, home));
  const trust = {
    didDocuments: bundle.issuers.map((i) => i.didDocument),
    statusLists: bundle.issuers.flatMap((i) => i.statusLists),
    trustedIssuers: [orgDid, ...bundle.issuers.map((i) => i.id)],
    trustValidUntil: bundle.validUntil,
  };
  return { trust, bundle };
}

function listenOptions(opts: ServeApiOptions) {
  return {
    port: opts.port,
    host: opts.host,
    ...(opts.selfSigned === true ? { selfSigned: true } : {}),
    ...(opts.tlsCert === undefined ? {} : { tlsCert: opts.tlsCert }),
    ...(opts.tlsKey === undefined ? {} : { tlsKey: opts.tlsKey }),
  };
}

/**
 * How many processes serve: one per core unless told; one with `--login`, whose exchanges and
 * sessions live in the process that made them.
 */
function workerCount(opts: ServeApiOptions): number {
  if (opts.login !== true) return opts.workers ?? availableParallelism();
  if (opts.workers !== undefined && opts.workers !== 1)
    throw usage('--login runs in one process (its sessions live there): leave out --workers or give 1');
  return 1;
}

/** Resolve when SIGINT or SIGTERM has closed the server. */
export function untilStopped(server: RunningServer): Promise<void> {
  return new Promise<void>((done) => {
    const stop = () => void server.close().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** Run the service until SIGINT/SIGTERM. */
export async function serveApi(home: Home, out: Out, opts: ServeApiOptions): Promise<void> {
  const verifyToken = tokenFrom(VERIFY_TOKEN_ENV);
  const givenToken = tokenFrom(OPERATOR_TOKEN_ENV);
  const operatorToken = givenToken ?? randomBytes(24).toString('base64url');
  const contexts = contextsFrom(opts.context ?? []);
  const cryptosuites = cryptosuitesFrom(opts.cryptosuite);
  const { org, key, signer } = await orgSigner(home);
  const { trust, bundle } = await bundleTrust(home, org.did, opts);
  const config: ServiceConfig = {
    issuer: { did: org.did, didDocument: org.didDocument },
    ...(opts.publicUrl === undefined ? {} : { publicUrl: opts.publicUrl }),
    stateFile: join(home.dir, 'server', 'issuer-state.json'),
    operatorToken,
    ...(verifyToken === undefined ? {} : { verifyToken }),
    cryptosuites,
    contexts,
    ...trust,
    ...(opts.maxBody === undefined ? {} : { maxBodyBytes: opts.maxBody }),
  };
  const workers = workerCount(opts);
  const login = opts.login === true ? await loginIdentity(home, org, signer, bundle) : undefined;
  const server =
    login !== undefined
      ? await startVcApi(
          (origin) => ({
            ...config,
            issuer: { ...config.issuer, signer },
            publicUrl: opts.publicUrl ?? origin,
          }),
          { ...listenOptions(opts), wrap: withInspector },
          login,
        )
      : workers === 1
        ? await startService(config, key, org.verificationMethod, {
            ...listenOptions(opts),
            wrap: withInspector,
          })
        : await startWorkers(config, key, org.verificationMethod, listenOptions(opts), workers);
  const publicUrl = opts.publicUrl ?? server.url;
  out.data({
    url: server.url,
    publicUrl,
    issuer: org.did,
    status: publicUrl.startsWith('https:'),
    workers,
    ...(bundle === undefined ? {} : { trustedIssuers: bundle.issuers.map((i) => i.id) }),
    ...(givenToken === undefined ? { operatorToken } : {}),
    ...(login === undefined ? {} : { login: `${publicUrl}${LOGIN_BASE}` }),
  });
  out.line(`serving the VC API for ${org.did} at ${server.url} (Ctrl-C to stop)`);
  out.line('  POST /credentials/issue  /credentials/status   (operator token)');
  out.line(`  POST /credentials/verify /presentations/verify  (${verifyToken ? 'verify token' : 'open'})`);
  if (login !== undefined)
    out.line(
      `  POST ${LOGIN_BASE}/exchanges  headless login (agent-passport login ${publicUrl}${LOGIN_BASE})`,
    );
  out.line(`  GET  /inspect/  the inspector page (verifies in the browser, offline)`);
  if (bundle !== undefined)
    out.line(
      `  trusting ${bundle.issuers.map((i) => i.id).join(', ')} (bundle valid until ${bundle.validUntil.toISOString()})`,
    );
  if (!publicUrl.startsWith('https:'))
    out.line('  plain HTTP: credentials are issued without status entries');
  if (givenToken === undefined)
    out.line(`  operator token (set ${OPERATOR_TOKEN_ENV} to choose one): ${operatorToken}`);
  await untilStopped(server);
}
