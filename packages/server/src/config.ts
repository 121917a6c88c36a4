// SPDX-License-Identifier: Apache-2.0
// The service's configuration: what a caller gives (VcApiConfig), checked once when the service is
// built, into the frozen settings every route reads (a caller changing its object later changes
// nothing). A bad configuration throws TypeError or RangeError.
import { createHash } from 'node:crypto';
import { type DidDocument, isObject, isPassportError, type Signer } from '@agent-passport/core';
import { assertAssertionMethod } from '@agent-passport/issuer';
import { DEFAULT_LIST_VALIDITY_MS, type MessageStatusOptions } from '@agent-passport/status';
import { type CryptosuiteName, createRdfcBudget, type RdfcLimits } from '@agent-passport/suites';
import { messageStatusFor } from './message-status.js';

/** Cryptosuites the server issues with. */
export type IssuingCryptosuite = 'eddsa-jcs-2022' | 'eddsa-rdfc-2022';
const ISSUING: readonly IssuingCryptosuite[] = ['eddsa-jcs-2022', 'eddsa-rdfc-2022'];
const VERIFYING: readonly CryptosuiteName[] = ['eddsa-jcs-2022', 'eddsa-rdfc-2022', 'ecdsa-jcs-2019'];

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
  /** Bearer token for issuing and status changes (at least 16 characters, RFC 6750 b64token). */
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

/** The checked configuration every part of the service reads. */
export interface Settings {
  readonly did: string;
  readonly signer: Signer;
  readonly didDocument: DidDocument;
  readonly publicUrl: string;
  /** `${publicUrl}/status` on an https origin; undefined: credentials are issued without status. */
  readonly statusBase: string | undefined;
  readonly stateFile: string | undefined;
  /** The message entries' table (with its statusReference); undefined: no message entries. */
  readonly messageStatus: MessageStatusOptions | undefined;
  /** SHA-256 of the tokens (compared in constant time). */
  readonly operatorDigest: Buffer;
  readonly verifyDigest: Buffer | undefined;
  readonly cryptosuites: readonly IssuingCryptosuite[];
  readonly verifyCryptosuites: readonly CryptosuiteName[];
  readonly maxBodyBytes: number;
  readonly rdfcLimits: Partial<RdfcLimits> | undefined;
  readonly skewMs: number;
  readonly listValidForMs: number;
  readonly contexts: Readonly<Record<string, unknown>>;
  readonly clock: () => Date;
  readonly didDocuments: ReadonlyMap<string, DidDocument>;
  readonly trustedIssuers: ReadonlySet<string> | undefined;
  readonly statusLists: readonly unknown[];
  readonly trustValidUntil: Date | undefined;
}

export const tokenDigest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

function checkIssuer(issuer: VcApiConfig['issuer'] | undefined): VcApiConfig['issuer'] {
  const { did, signer, didDocument } = issuer ?? ({} as VcApiConfig['issuer']);
  if (typeof did !== 'string' || !did.startsWith('did:')) throw new TypeError('issuer.did must be a DID');
  if (!isObject(didDocument) || didDocument.id !== did)
    throw new TypeError('issuer.didDocument must be the document of issuer.did');
  try {
    assertAssertionMethod(didDocument, String(signer?.id));
  } catch (cause) {
    if (!isPassportError(cause)) throw cause;
    throw new TypeError('issuer.signer must be a key listed under assertionMethod of the issuer');
  }
  return { did, signer, didDocument };
}

/** The characters of a bearer token (RFC 6750 §2.1 b64token): any other could never be sent. */
export const TOKEN_CHARACTERS = /^[A-Za-z0-9._~+/-]+=*$/;

function checkToken(name: string, token: unknown, required: boolean): Buffer | undefined {
  if (token === undefined && !required) return undefined;
  if (typeof token !== 'string' || token.length < 16)
    throw new TypeError(`${name} must be at least 16 characters`);
  if (!TOKEN_CHARACTERS.test(token))
    throw new TypeError(`${name} must be made of letters, digits and - . _ ~ + / (then =)`);
  return tokenDigest(token);
}

/** The public origin, and where its status lists live (https only). */
function checkOrigin(publicUrl: unknown): { publicUrl: string; statusBase: string | undefined } {
  let origin: URL;
  try {
    origin = new URL(String(publicUrl));
  } catch {
    throw new TypeError('publicUrl must be an http(s) origin');
  }
  const url = String(publicUrl);
  if (!['http:', 'https:'].includes(origin.protocol) || origin.pathname !== '/' || url.endsWith('/'))
    throw new TypeError('publicUrl must be an http(s) origin without a path or trailing slash');
  return { publicUrl: url, statusBase: origin.protocol === 'https:' ? `${url}/status` : undefined };
}

function checkLimits(config: VcApiConfig) {
  const cryptosuites = [...(config.cryptosuites ?? ISSUING)];
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
  const until = config.trustValidUntil;
  if (until !== undefined && !(until instanceof Date && Number.isFinite(until.getTime())))
    throw new TypeError('trustValidUntil must be a valid Date');
  return { cryptosuites, maxBodyBytes, skewMs, listValidForMs };
}

/** Check a configuration; throws TypeError/RangeError for a bad one. */
export function checkConfig(config: VcApiConfig): Settings {
  if (!isObject(config)) throw new TypeError('config must be an object');
  const { did, signer, didDocument } = checkIssuer(config.issuer);
  const operatorDigest = checkToken('operatorToken', config.operatorToken, true) as Buffer;
  const verifyDigest = checkToken('verifyToken', config.verifyToken, false);
  const limits = checkLimits(config);
  const documents = new Map<string, DidDocument>([[did, didDocument]]);
  for (const d of config.didDocuments ?? []) documents.set(d.id, d);
  const until = config.trustValidUntil;
  const origin = checkOrigin(config.publicUrl);
  return Object.freeze({
    did,
    signer,
    didDocument,
    ...origin,
    stateFile: config.stateFile,
    messageStatus: messageStatusFor(
      config.messageStatus,
      config.stateFile === undefined ? undefined : origin.statusBase,
    ),
    operatorDigest,
    verifyDigest,
    ...limits,
    verifyCryptosuites: Object.freeze([...(config.verifyCryptosuites ?? VERIFYING)]),
    rdfcLimits: config.rdfcLimits === undefined ? undefined : Object.freeze({ ...config.rdfcLimits }),
    contexts: Object.freeze({ ...(config.contexts ?? {}) }),
    clock: config.clock ?? (() => new Date()),
    didDocuments: documents,
    trustedIssuers: config.trustedIssuers === undefined ? undefined : new Set(config.trustedIssuers),
    statusLists: Object.freeze([...(config.statusLists ?? [])]),
    trustValidUntil: until === undefined ? undefined : new Date(until.getTime()),
  });
}
