// SPDX-License-Identifier: Apache-2.0
// The issuer and verifier service: W3C VC API endpoints and the files an issuer publishes, as one
// request handler over node:http. Every answer is JSON with a stable error code; bad input never
// gets a 500 and no response carries a stack trace.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AGENT_PASSPORT_V1_CONTEXT, CONTEXTS, createDocumentLoader } from '@agent-passport/contexts';
import {
  type DidDocument,
  type ErrorCode,
  formatDateTime,
  isObject,
  isPassportError,
  type JsonObject as Json,
  PassportError,
  parseDateTime,
  type Signer,
} from '@agent-passport/core';
import { decodeDidKey, isDidKey, resolveDidKey } from '@agent-passport/did-key';
import { didWebToUrl } from '@agent-passport/did-web';
import {
  KEY_DIRECTORY_MEDIA_TYPE,
  KEY_DIRECTORY_PATH,
  webBotAuthDirectory,
} from '@agent-passport/http-signatures';
import { type IssuerState, openIssuerState } from '@agent-passport/issuer';
import { AGENT_PASSPORT_SCHEMA, assertPassportValid, dateTime11Ms, VC_V1 } from '@agent-passport/schema';
import {
  assertStatusAllows,
  type BitstringStatusListCredential,
  checkStatusEntryOptions,
  createStatusReader,
  DEFAULT_LIST_VALIDITY_MS,
  type MessageStatusOptions,
} from '@agent-passport/status';
import { parseJson } from '@agent-passport/strict-json';
import {
  type CryptosuiteName,
  createRdfcBudget,
  type RdfcLimits,
  signCredential,
} from '@agent-passport/suites';
import { issuerFileUrl, SCHEMA_FILE, STATUS_INDEX_FILE } from '@agent-passport/trust-bundle';
import { envelopeCredential, VC_JWT } from './envelope.js';
import {
  changeMessageStatus,
  isMessageChange,
  messageReference,
  messageStatusFor,
} from './message-status.js';
import {
  type VerificationResult,
  type VerifyContext,
  verifyCredential,
  verifyPresentation,
} from './verify.js';

/** Cryptosuites the server issues with. */
export type IssuingCryptosuite = 'eddsa-jcs-2022' | 'eddsa-rdfc-2022';
const ISSUING: readonly IssuingCryptosuite[] = ['eddsa-jcs-2022', 'eddsa-rdfc-2022'];

export interface VcApiConfig {
  /** Who the server issues as: its DID, a signer for a key listed under assertionMethod, its document. */
  readonly issuer: { readonly did: string; readonly signer: Signer; readonly didDocument: DidDocument };
  /**
   * The origin clients reach the server at (`https://issuer.example`, no trailing slash). Issued
   * credentials point at status lists under `${publicUrl}/status`; an http origin issues without status.
   */
  readonly publicUrl: string;
  /** File of the issuer state (status indexes, revocations); needed for status. */
  readonly stateFile?: string;
  /** Bearer token for issuing and status changes (at least 16 characters). */
  readonly operatorToken: string;
  /** Bearer token for the verification endpoints; without one they are open. */
  readonly verifyToken?: string;
  /** Cryptosuites to issue with; the first is the default, `options.cryptosuite` picks another. */
  readonly cryptosuites?: readonly IssuingCryptosuite[];
  /** Cryptosuites accepted when verifying (default: eddsa-jcs-2022, eddsa-rdfc-2022, ecdsa-jcs-2019). */
  readonly verifyCryptosuites?: readonly CryptosuiteName[];
  /**
   * Largest request body, in bytes (default 256 KiB: strict parsing and JCS of a body this size
   * full of small values costs about 50 ms of CPU, the budget of one open verification request).
   */
  readonly maxBodyBytes?: number;
  /**
   * What one request may spend canonicalising eddsa-rdfc-2022 documents (default RDFC_LIMITS:
   * 600 JSON values, 64 blank nodes per document, work factor 1, 200 ms of CPU); past it: ERR_RDFC_LIMIT.
   */
  readonly rdfcLimits?: Partial<RdfcLimits>;
  /** Only credentials from these issuers verify; default: any whose key can be resolved offline. */
  readonly trustedIssuers?: readonly string[];
  /** DID documents of other did:web issuers and holders, known offline (e.g. from a trust bundle). */
  readonly didDocuments?: readonly DidDocument[];
  /** Signed status lists of other issuers (e.g. from a trust bundle). */
  readonly statusLists?: readonly unknown[];
  /** When the trust given here runs out (a trust bundle's validUntil): after it, nothing verifies. */
  readonly trustValidUntil?: Date;
  /** How long a signed status list may be relied on (default 24 h); lists are re-signed at a quarter of it. */
  readonly statusListValidForMs?: number;
  /**
   * The `message` entry each credential gets besides revocation and suspension (statusSize bits,
   * statusMessage, statusReference): default DEFAULT_MESSAGE_STATUS; `false` issues none.
   */
  readonly messageStatus?: MessageStatusOptions | false;
  /**
   * More JSON-LD contexts by URL, for credentials issued or verified with eddsa-rdfc-2022 (the loader
   * is closed-world: it knows the VCDM 2.0, DID, Multikey, Data Integrity and AgentPassport contexts).
   */
  readonly contexts?: Readonly<Record<string, unknown>>;
  readonly clock?: () => Date;
  /** Tolerated clock skew, 0–600 s (default 60). */
  readonly maxSkewSeconds?: number;
}

const STATUS_HTTP: Partial<Record<ErrorCode, number>> = {
  ERR_API_REQUEST: 400,
  ERR_RDFC_LIMIT: 400,
  ERR_API_UNAUTHORIZED: 401,
  ERR_API_NOT_FOUND: 404,
  ERR_PASSPORT_NOT_FOUND: 404,
  ERR_API_METHOD: 405,
  ERR_API_TOO_LARGE: 413,
  ERR_API_MEDIA_TYPE: 415,
  ERR_STATE_LOCKED: 503,
  ERR_STATE_CORRUPT: 500,
  ERR_API_INTERNAL: 500,
};
const httpStatusOf = (code: ErrorCode) => STATUS_HTTP[code] ?? (code.startsWith('ERR_PARSE_') ? 400 : 422);

const apiError = (code: ErrorCode, message: string) => new PassportError(code, message);
const tokenDigest = (token: string) => createHash('sha256').update(token, 'utf8').digest();
const idOf = (v: unknown): unknown => (isObject(v) ? v['id'] : v);

export interface VcApi {
  /** The node:http request listener. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** The issuer state, when the server keeps status. */
  readonly state: IssuerState | undefined;
}

/** Check a configuration and build the service. Throws TypeError/RangeError for a bad configuration. */
export function createVcApi(config: VcApiConfig): VcApi {
  if (!isObject(config)) throw new TypeError('config must be an object');
  const { did, signer, didDocument } = config.issuer ?? ({} as VcApiConfig['issuer']);
  if (typeof did !== 'string' || !did.startsWith('did:')) throw new TypeError('issuer.did must be a DID');
  if (!isObject(didDocument) || didDocument.id !== did)
    throw new TypeError('issuer.didDocument must be the document of issuer.did');
  const listed = (didDocument.assertionMethod ?? []).some(
    (r) => (typeof r === 'string' ? r : r.id) === signer?.id,
  );
  if (!listed) throw new TypeError('issuer.signer must be a key listed under assertionMethod of the issuer');
  if (typeof config.operatorToken !== 'string' || config.operatorToken.length < 16)
    throw new TypeError('operatorToken must be at least 16 characters');
  if (
    config.verifyToken !== undefined &&
    (typeof config.verifyToken !== 'string' || config.verifyToken.length < 16)
  )
    throw new TypeError('verifyToken must be at least 16 characters');
  let origin: URL;
  try {
    origin = new URL(config.publicUrl);
  } catch {
    throw new TypeError('publicUrl must be an http(s) origin');
  }
  if (
    !['http:', 'https:'].includes(origin.protocol) ||
    origin.pathname !== '/' ||
    config.publicUrl.endsWith('/')
  )
    throw new TypeError('publicUrl must be an http(s) origin without a path or trailing slash');
  const cryptosuites = config.cryptosuites ?? ISSUING;
  if (cryptosuites.length === 0 || cryptosuites.some((c) => !ISSUING.includes(c)))
    throw new TypeError(`cryptosuites must be among ${ISSUING.join(', ')}`);
  const maxBodyBytes = config.maxBodyBytes ?? 256 * 1024;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1024)
    throw new RangeError('maxBodyBytes must be ≥ 1024');
  const skewMs = (config.maxSkewSeconds ?? 60) * 1000;
  createRdfcBudget(config.rdfcLimits); // RangeError now for a bad limit, not at the first request
  if (!Number.isFinite(skewMs) || skewMs < 0 || skewMs > 600_000)
    throw new RangeError('maxSkewSeconds must be between 0 and 600');
  const listValidForMs = config.statusListValidForMs ?? DEFAULT_LIST_VALIDITY_MS;
  if (!Number.isInteger(listValidForMs) || listValidForMs < 60_000)
    throw new RangeError('statusListValidForMs must be at least a minute');
  const clock = config.clock ?? (() => new Date());
  const operator = tokenDigest(config.operatorToken);
  const verifier = config.verifyToken === undefined ? undefined : tokenDigest(config.verifyToken);
  const documentLoader = createDocumentLoader({ extra: config.contexts ?? {} });
  const documents = new Map<string, DidDocument>([[did, didDocument]]);
  for (const d of config.didDocuments ?? []) documents.set(d.id, d);
  const trusted = config.trustedIssuers === undefined ? undefined : new Set(config.trustedIssuers);
  if (
    config.trustValidUntil !== undefined &&
    !(config.trustValidUntil instanceof Date && Number.isFinite(config.trustValidUntil.getTime()))
  )
    throw new TypeError('trustValidUntil must be a valid Date');

  const statusBase = origin.protocol === 'https:' ? `${config.publicUrl}/status` : undefined;
  const message = messageStatusFor(
    config.messageStatus,
    config.stateFile === undefined ? undefined : statusBase,
  );
  const state =
    config.stateFile !== undefined && statusBase !== undefined
      ? openIssuerState(config.stateFile, { issuer: did, statusBase, ...(message ? { message } : {}) })
      : undefined;

  // Signed lists: re-signed after every change and when a quarter of their validity has passed.
  let signed: { at: number; lists: Map<string, BitstringStatusListCredential> } | undefined;
  let signing: Promise<Map<string, BitstringStatusListCredential>> | undefined;
  let checker: ReturnType<typeof createStatusReader> | undefined;
  let changes = 0;
  function ownLists(): Promise<Map<string, BitstringStatusListCredential>> {
    if (state === undefined) return Promise.resolve(new Map());
    const now = clock();
    if (signed !== undefined && now.getTime() - signed.at < listValidForMs / 4)
      return Promise.resolve(signed.lists);
    if (signing !== undefined) return signing;
    const version = changes;
    signing = state
      .issueLists({ signer, now, validForMs: listValidForMs, documentLoader })
      .then((lists) => {
        const map = new Map(lists.map((l) => [l.url, l.credential]));
        if (version === changes) {
          signed = { at: now.getTime(), lists: map };
          checker = undefined;
        }
        return map;
      })
      .finally(() => {
        signing = undefined;
      });
    return signing;
  }
  function listsChanged() {
    changes++;
    signed = undefined;
    checker = undefined;
  }
  async function statusChecker() {
    const lists = await ownLists();
    checker ??= createStatusReader({
      lists: [...lists.values(), ...(config.statusLists ?? [])],
      maxAgeSeconds: Math.ceil(listValidForMs / 1000),
      maxSkewSeconds: skewMs / 1000,
    });
    return checker;
  }

  async function resolve(id: string): Promise<DidDocument> {
    const known = documents.get(id);
    if (known !== undefined) return known;
    if (isDidKey(id)) return resolveDidKey(id);
    throw apiError(
      'ERR_DID_NOT_FOUND',
      `${id} is not known to this server (only did:key and configured documents)`,
    );
  }

  /**
   * VC API `options.checks`: the data model, proof and validity always run; status runs unless
   * the caller lists checks without `credentialStatus` (then a warning says it was not checked).
   */
  function checksAsked(options: Json): boolean {
    const checks = options['checks'];
    if (checks === undefined) return true;
    if (!Array.isArray(checks) || checks.some((c) => typeof c !== 'string'))
      throw apiError('ERR_API_REQUEST', 'options.checks must be a list of strings');
    return checks.includes('credentialStatus');
  }

  function verifyContext(statusAsked = true): VerifyContext {
    return {
      statusAsked,
      now: clock(),
      skewMs,
      documentLoader,
      contexts: config.contexts ?? {},
      cryptosuites: config.verifyCryptosuites ?? ['eddsa-jcs-2022', 'eddsa-rdfc-2022', 'ecdsa-jcs-2019'],
      rdfcBudget: createRdfcBudget(config.rdfcLimits),
      resolve,
      ...(trusted === undefined ? {} : { trustedIssuers: trusted }),
      checkStatus: async (credential, issuerDocument) => {
        const read = await statusChecker();
        const results = await read(credential as never, clock(), { issuerDocument } as never);
        assertStatusAllows(results);
        return results;
      },
    };
  }

  // --- endpoints -------------------------------------------------------------------------------

  async function issue(body: unknown): Promise<[number, unknown]> {
    if (!isObject(body) || !isObject(body['credential']))
      throw apiError('ERR_API_REQUEST', 'the body must be {credential, options}');
    const options = body['options'] ?? {};
    if (!isObject(options)) throw apiError('ERR_API_REQUEST', 'options must be an object');
    const envelope = options['envelope'];
    if (envelope !== undefined && envelope !== VC_JWT)
      throw apiError('ERR_API_REQUEST', `options.envelope must be ${VC_JWT}`);
    const cryptosuite = options['cryptosuite'] ?? cryptosuites[0];
    if (!cryptosuites.includes(cryptosuite as IssuingCryptosuite))
      throw apiError('ERR_CRYPTOSUITE_UNSUPPORTED', `this server issues with ${cryptosuites.join(', ')}`);
    // A credential that already carries proofs gets ours added to the set (Data Integrity §2.1.2):
    // it signs the credential without them.
    const { proof: earlier, ...input } = body['credential'];
    if (earlier !== undefined && !isObject(earlier) && !(Array.isArray(earlier) && earlier.every(isObject)))
      throw apiError('ERR_API_REQUEST', 'proof must be an object or a list of objects');
    const issuerId = idOf(input['issuer']);
    if (issuerId !== undefined && issuerId !== did)
      throw apiError('ERR_ISSUER_MISMATCH', `this server issues as ${did}, not ${String(issuerId)}`);
    const credential: Json = {
      '@context': input['@context'],
      id: input['id'] ?? `urn:uuid:${randomUUID()}`,
      ...input,
    };
    // A VCDM 1.1 credential is issued when asked for by its first context (its issuanceDate is
    // now unless given); AgentPassports are 2.0 only.
    const v11 = Array.isArray(credential['@context']) && credential['@context'][0] === VC_V1;
    if (v11) credential['issuanceDate'] ??= formatDateTime(clock());
    if (v11 && Array.isArray(credential['type']) && credential['type'].includes('AgentPassport'))
      throw apiError(
        'ERR_VCDM_INVALID',
        `/@context/0: an AgentPassport is a VCDM 2.0 credential, not ${VC_V1}`,
      );
    assertPassportValid(credential, {
      otherTypes: 'skip',
      dataModels: 'any',
      contexts: config.contexts ?? {},
    });
    // assertPassportValid has refused malformed dates and a validUntil before validFrom.
    const until = v11 ? dateTime11Ms(credential['expirationDate']) : parseDateTime(credential['validUntil']);
    const types = credential['type'] as string[];
    // VC-JOSE-COSE secures VCDM 2.0 credentials, one signature each; passports stay Data Integrity.
    if (envelope !== undefined && (v11 || earlier !== undefined || types.includes('AgentPassport')))
      throw apiError(
        'ERR_API_REQUEST',
        'only a VCDM 2.0 credential without proofs, not a passport, is enveloped',
      );
    if (cryptosuite === 'eddsa-rdfc-2022') {
      const contexts = credential['@context'] as unknown[];
      const unknown = contexts.find(
        (c) => typeof c === 'string' && !CONTEXTS.has(c) && !Object.hasOwn(config.contexts ?? {}, c),
      );
      if (unknown !== undefined)
        throw apiError('ERR_DOCUMENT_NOT_FOUND', `the context ${String(unknown)} is not known offline`);
    }
    if (credential['credentialStatus'] !== undefined) assertStatusEntries(credential['credentialStatus']);
    // The 1.1 context defines no BitstringStatusListEntry: 1.1 credentials get no status entry.
    else if (state !== undefined && !v11) {
      const subject = idOf(
        Array.isArray(credential['credentialSubject']) ? undefined : credential['credentialSubject'],
      );
      const { entries } = await state.allocate({
        id: `urn:uuid:${randomUUID()}`,
        subject: String(credential['id']),
        agentName: typeof subject === 'string' && subject.length > 0 ? subject : String(credential['id']),
        issuedAt: clock().toISOString(),
        validUntil: until === undefined ? '9999-12-31T23:59:59Z' : new Date(until).toISOString(),
      });
      credential['credentialStatus'] = entries;
      // A new index sets no bit: the signed lists stay valid unless it opened a new list (or a
      // signing that started before it is under way and may not include that list).
      if (
        signing !== undefined ||
        entries.some((e) => signed !== undefined && !signed.lists.has(e.statusListCredential))
      )
        listsChanged();
    }
    if (envelope !== undefined)
      return [201, { verifiableCredential: await envelopeCredential(credential, signer) }];
    const verifiableCredential = await signCredential(credential, {
      signer,
      created: clock(),
      documentLoader,
      cryptosuite: cryptosuite as IssuingCryptosuite,
      rdfcBudget: createRdfcBudget(config.rdfcLimits),
    });
    if (earlier !== undefined)
      verifiableCredential['proof'] = [
        ...(Array.isArray(earlier) ? earlier : [earlier]),
        verifiableCredential['proof'],
      ];
    return [201, { verifiableCredential }];
  }

  async function changeStatus(body: unknown): Promise<[number, unknown]> {
    if (!isObject(body) || typeof body['credentialId'] !== 'string' || body['credentialStatus'] === undefined)
      throw apiError('ERR_API_REQUEST', 'the body must be {credentialId, credentialStatus, status?}');
    if (isMessageChange(body)) return changeMessageStatus(body, state, message).finally(listsChanged);
    const status = body['status'] ?? true;
    if (typeof status !== 'boolean') throw apiError('ERR_API_REQUEST', 'status must be true or false');
    const raw = body['credentialStatus'];
    const wanted = Array.isArray(raw) ? raw : [raw];
    for (const e of wanted)
      if (
        !isObject(e) ||
        e['type'] !== 'BitstringStatusListEntry' ||
        (e['statusPurpose'] !== 'revocation' && e['statusPurpose'] !== 'suspension')
      )
        throw apiError(
          'ERR_API_REQUEST',
          'credentialStatus must be {type: "BitstringStatusListEntry", statusPurpose: "revocation" | "suspension"}',
        );
    const credentialId = body['credentialId'];
    const held =
      state === undefined
        ? []
        : Object.values(state.read().passports).filter((p) => p.subject === credentialId);
    if (state === undefined || held.length === 0)
      throw apiError(
        'ERR_PASSPORT_NOT_FOUND',
        `no credential ${credentialId} was issued here with a status entry`,
      );
    const now = clock();
    for (const e of wanted as Json[]) {
      const purpose = e['statusPurpose'];
      if (purpose === 'revocation') {
        if (status) await state.change({ subject: credentialId }, 'revoke', now);
        else if (held.some((p) => p.revokedAt !== undefined))
          throw apiError('ERR_REVOKED', `${credentialId} is revoked: revocation is permanent`);
      } else await state.change({ subject: credentialId }, status ? 'suspend' : 'reinstate', now);
    }
    listsChanged();
    return [
      200,
      {
        credentialId,
        credentialStatus: (wanted as Json[]).map((e) => ({
          type: 'BitstringStatusListEntry',
          statusPurpose: e['statusPurpose'],
          status,
        })),
      },
    ];
  }

  /** A verification refused before any check: the configured trust has expired. */
  function trustExpired(): VerificationResult | undefined {
    if (config.trustValidUntil === undefined || clock().getTime() <= config.trustValidUntil.getTime())
      return undefined;
    const message = `the trust bundle expired at ${config.trustValidUntil.toISOString()}: load a fresh one`;
    return {
      verified: false,
      checks: ['trust'],
      warnings: [],
      errors: [{ code: 'ERR_BUNDLE_EXPIRED', message, check: 'trust' }],
    };
  }

  async function verifyVc(body: unknown): Promise<VerificationResult> {
    if (!isObject(body) || !isObject(body['verifiableCredential']))
      throw apiError('ERR_API_REQUEST', 'the body must be {verifiableCredential, options}');
    const options = body['options'] ?? {};
    if (!isObject(options)) throw apiError('ERR_API_REQUEST', 'options must be an object');
    return (
      trustExpired() ?? verifyCredential(body['verifiableCredential'], verifyContext(checksAsked(options)))
    );
  }

  async function verifyVp(body: unknown): Promise<VerificationResult> {
    if (!isObject(body) || !isObject(body['verifiablePresentation']))
      throw apiError('ERR_API_REQUEST', 'the body must be {verifiablePresentation, options}');
    const options = body['options'] ?? {};
    if (!isObject(options)) throw apiError('ERR_API_REQUEST', 'options must be an object');
    const binding: { challenge?: string; domain?: string } = {};
    for (const k of ['challenge', 'domain'] as const) {
      const v = options[k];
      if (v === undefined) continue;
      if (typeof v !== 'string' || v.length === 0)
        throw apiError('ERR_API_REQUEST', `options.${k} must be a non-empty string`);
      binding[k] = v;
    }
    return (
      trustExpired() ??
      verifyPresentation(body['verifiablePresentation'], verifyContext(checksAsked(options)), binding)
    );
  }

  // --- published files -------------------------------------------------------------------------

  const didPath = did.startsWith('did:web:') ? decodeURIComponent(didWebToUrl(did).pathname) : undefined;
  const issuerDir = did.startsWith('did:web:')
    ? decodeURIComponent(issuerFileUrl(did, '.').pathname)
    : '/.well-known/';
  const statusPath = statusBase === undefined ? undefined : `${new URL(statusBase).pathname}/`;

  async function published(path: string): Promise<[number, unknown, string] | undefined> {
    const json = 'application/json';
    if (path === didPath) return [200, didDocument, 'application/did+json'];
    if (path === `${issuerDir}${SCHEMA_FILE}` || path === `/.well-known/${SCHEMA_FILE}`)
      return [200, AGENT_PASSPORT_SCHEMA, 'application/schema+json'];
    if (path === '/contexts/agent-passport/v1.jsonld')
      return [200, CONTEXTS.get(AGENT_PASSPORT_V1_CONTEXT), 'application/ld+json'];
    if (path === `${issuerDir}${STATUS_INDEX_FILE}` || path === `/.well-known/${STATUS_INDEX_FILE}`)
      return [200, { issuer: did, statusLists: [...(await ownLists()).keys()] }, json];
    const reference = messageReference(`${config.publicUrl}${path}`, statusBase, message);
    if (reference !== undefined) return reference;
    if (statusPath !== undefined && path.startsWith(statusPath)) {
      const list = (await ownLists()).get(`${config.publicUrl}${path}`);
      return list === undefined ? undefined : [200, list, 'application/vc+ld+json'];
    }
    if (path === KEY_DIRECTORY_PATH) return [200, agentKeyDirectory(), KEY_DIRECTORY_MEDIA_TYPE];
    if (path === '/')
      return [
        200,
        {
          issuer: did,
          endpoints: {
            issue: '/credentials/issue',
            verify: '/credentials/verify',
            verifyPresentation: '/presentations/verify',
            status: '/credentials/status',
          },
          cryptosuites,
        },
        json,
      ];
    return undefined;
  }

  /** Web Bot Auth: the Ed25519 keys of agents holding a current, unrevoked, unsuspended credential. */
  function agentKeyDirectory() {
    const now = clock().getTime();
    const keys = new Map<string, Uint8Array>();
    for (const p of Object.values(state?.read().passports ?? {})) {
      if (p.revokedAt !== undefined || p.suspendedAt !== undefined) continue;
      if ((parseDateTime(p.validUntil) ?? 0) < now || !isDidKey(p.agentName)) continue;
      try {
        const { publicKey, type } = decodeDidKey(p.agentName);
        if (type === 'Ed25519') keys.set(p.agentName, publicKey);
      } catch {
        // A subject that is not a valid did:key is not an agent key.
      }
    }
    return webBotAuthDirectory([...keys.values()]);
  }

  // --- HTTP --------------------------------------------------------------------------------------

  function send(res: ServerResponse, status: number, body: unknown, type = 'application/json', extra = {}) {
    const text = `${JSON.stringify(body)}\n`;
    res.writeHead(status, {
      'content-type': type,
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...extra,
    });
    res.end(text);
  }

  function authorize(req: IncomingMessage, wanted: Buffer | undefined): void {
    if (wanted === undefined) return;
    const header = req.headers.authorization ?? '';
    const token = /^Bearer ([\x21-\x7e]+)$/.exec(header)?.[1];
    if (token === undefined || !timingSafeEqual(tokenDigest(token), wanted))
      throw apiError('ERR_API_UNAUTHORIZED', 'a valid bearer token is needed');
  }

  async function readBody(req: IncomingMessage): Promise<unknown> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!/^application\/([a-z.+-]+\+)?json$/.test(type))
      throw apiError('ERR_API_MEDIA_TYPE', 'send the body as application/json');
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBodyBytes)
      throw apiError('ERR_API_TOO_LARGE', `the body is over ${maxBodyBytes} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) throw apiError('ERR_API_TOO_LARGE', `the body is over ${maxBodyBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
    return parseJson(Buffer.concat(chunks), { maxBytes: maxBodyBytes, maxDepth: 64 });
  }

  const ROUTES: Record<string, { auth: 'operator' | 'verify'; run: (body: unknown) => Promise<unknown> }> = {
    '/credentials/issue': { auth: 'operator', run: issue },
    '/credentials/status': { auth: 'operator', run: changeStatus },
    '/credentials/verify': { auth: 'verify', run: verifyVc },
    '/presentations/verify': { auth: 'verify', run: verifyVp },
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://x').pathname;
    } catch {
      throw apiError('ERR_API_NOT_FOUND', 'bad path');
    }
    const api = ROUTES[path];
    if (api === undefined) {
      const file = await published(path);
      if (file === undefined) throw apiError('ERR_API_NOT_FOUND', `nothing is published at ${path}`);
      if (req.method !== 'GET' && req.method !== 'HEAD')
        throw apiError('ERR_API_METHOD', 'only GET and HEAD here');
      const [status, body, type] = file;
      return send(res, status, body, type, { 'access-control-allow-origin': '*' });
    }
    if (req.method !== 'POST') throw apiError('ERR_API_METHOD', `${path} takes POST`);
    authorize(req, api.auth === 'operator' ? operator : verifier);
    const body = await readBody(req);
    const result = await api.run(body);
    if (Array.isArray(result)) return send(res, result[0] as number, result[1]);
    const verification = result as VerificationResult;
    return send(res, verification.verified ? 200 : 400, verification);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    route(req, res).catch((cause: unknown) => {
      const error = isPassportError(cause)
        ? cause
        : apiError('ERR_API_INTERNAL', 'the server failed unexpectedly; nothing was issued or changed');
      const status = httpStatusOf(error.code);
      const path = req.url ?? '';
      const problem = { code: error.code, message: error.message };
      const body =
        path.endsWith('/verify') && status !== 401
          ? { verified: false, checks: [], warnings: [], errors: [problem] }
          : { errors: [problem] };
      if (res.headersSent) return res.destroy();
      // A refusal before the body was read (413, 415, 401…) closes the connection: the unread rest
      // is not drained (an attacker's 100 MiB costs nothing more) and cannot be taken for the next
      // request on a kept-alive connection. The rest is let flow only so that the answer goes out.
      const unread = !req.readableEnded;
      if (unread) req.resume();
      send(res, status, body, 'application/json', {
        ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
        ...(unread ? { connection: 'close' } : {}),
      });
    });
  }

  return { handle, state };
}

/** Entries a client puts on a credential itself: a BitstringStatusListEntry must be complete. */
function assertStatusEntries(raw: unknown): void {
  for (const e of Array.isArray(raw) ? raw : [raw]) {
    // Other status types are the data model's business (checkVcdm2); ours must be complete.
    if (!isObject(e) || e['type'] !== 'BitstringStatusListEntry') continue;
    const ok =
      typeof e['statusPurpose'] === 'string' &&
      typeof e['statusListIndex'] === 'string' &&
      /^(0|[1-9][0-9]{0,9})$/.test(e['statusListIndex']) &&
      typeof e['statusListCredential'] === 'string' &&
      URL.canParse(e['statusListCredential']);
    if (!ok)
      throw new PassportError(
        'ERR_STATUS_LIST_INVALID',
        'a credentialStatus entry must be a BitstringStatusListEntry with statusPurpose, statusListIndex and statusListCredential',
      );
    // statusSize, statusMessage, statusReference (the message purpose): emitted as given, when valid.
    checkStatusEntryOptions(e);
  }
}
