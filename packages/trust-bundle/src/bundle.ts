// SPDX-License-Identifier: Apache-2.0
// A trust bundle (docs/architecture.md): for each trusted issuer its DID document (with key
// history), its status lists and its schema, with a creation time and an expiry, secured as a
// VCDM 2.0 credential with a Data Integrity proof by the bundle's author, the operator of the
// verifier, whose did:key the verifier pins. Loading it needs no network.
import { AGENT_PASSPORT_V1_CONTEXT, createDocumentLoader, VC_V2_CONTEXT } from '@agent-passport/contexts';
import {
  type DidDocument,
  type DocumentLoader,
  formatDateTime,
  isObject,
  type JsonObject as Json,
  PassportError,
  parseDateTime,
  randomUUID,
  type Signer,
  type StatusChecker,
} from '@agent-passport/core';
import { isDidKey, resolveDidKey } from '@agent-passport/did-key';
import { validateDidDocument } from '@agent-passport/did-web/document';
import { AGENT_PASSPORT_SCHEMA, checkVcdm2 } from '@agent-passport/schema';
import { createStatusChecker } from '@agent-passport/status';
import { assertJcsSafe, canonicalize, parseJson } from '@agent-passport/strict-json';
import {
  type CryptosuiteName,
  createRdfcBudget,
  signCredential,
  verifyControlledProof,
} from '@agent-passport/suites';

export const TRUST_BUNDLE_TYPE = 'AgentPassportTrustBundle';
export const DEFAULT_BUNDLE_VALIDITY_MS = 7 * 86_400_000;

/** What a bundle holds for one trusted issuer. */
export interface BundledIssuer {
  readonly id: string;
  readonly didDocument: DidDocument;
  /** Signed BitstringStatusListCredentials of this issuer. */
  readonly statusLists: readonly object[];
  /** The passport schema the issuer publishes (must be the one this toolkit implements). */
  readonly schema: Readonly<Record<string, unknown>>;
}

export interface CreateTrustBundleOptions {
  /** The bundle's author: the verifier operator's did:key and its signer. */
  readonly author: { readonly id: string; readonly signer: Signer };
  readonly issuers: readonly BundledIssuer[];
  /** The clock, read once: `validFrom` and the proof's `created`. */
  readonly now?: Date;
  /** Default 7 days. */
  readonly validForMs?: number;
  readonly id?: string;
  readonly cryptosuite?: CryptosuiteName;
  readonly documentLoader?: DocumentLoader;
}

/**
 * An eddsa-rdfc-2022 bundle is an operator's file, not an open endpoint's input, and holds every
 * issuer's documents and lists (two blank nodes per embedded proof): a roomier RDFC budget.
 */
const BUNDLE_RDFC_LIMITS = { maxJsonValues: 1_000_000, maxBlankNodes: 4096, cpuMs: 30_000 };
const invalid = (message: string) => new PassportError('ERR_BUNDLE_INVALID', message);
const schemaDigest = canonicalize(AGENT_PASSPORT_SCHEMA);

/** Check one issuer entry; returns it with a validated (frozen) DID document. */
function checkIssuer(entry: unknown, i: number): BundledIssuer {
  const at = `trustedIssuers[${i}]`;
  if (!isObject(entry) || typeof entry['id'] !== 'string' || !entry['id'].startsWith('did:'))
    throw invalid(`${at}: an issuer entry has a DID id`);
  const id = entry['id'];
  let didDocument: DidDocument;
  try {
    didDocument = validateDidDocument(id, entry['didDocument']);
  } catch (cause) {
    const code = cause instanceof PassportError ? cause.code : 'ERR_DID_DOCUMENT_INVALID';
    throw new PassportError('ERR_BUNDLE_INVALID', `${at}: the DID document of ${id} is invalid (${code})`, {
      cause,
    });
  }
  if (isDidKey(id) && canonicalize(didDocument) !== canonicalize(resolveDidKey(id)))
    throw invalid(`${at}: the document of ${id} is not the one its did:key resolves to`);
  const lists = entry['statusLists'];
  if (!Array.isArray(lists)) throw invalid(`${at}: statusLists must be an array`);
  lists.forEach((list, j) => {
    const issuer = isObject(list) ? list['issuer'] : undefined;
    const listIssuer = isObject(issuer) ? issuer['id'] : issuer;
    if (!isObject(list) || typeof list['id'] !== 'string' || listIssuer !== id)
      throw invalid(`${at}.statusLists[${j}]: a status list credential of ${id}`);
  });
  const schema = entry['schema'];
  if (!isObject(schema) || canonicalize(schema) !== schemaDigest)
    throw invalid(`${at}: the schema of ${id} is not the AgentPassport schema this verifier implements`);
  return { id, didDocument, statusLists: lists as Json[], schema };
}

/** Build and sign a bundle. Throws ERR_BUNDLE_INVALID for contents a verifier would refuse. */
export async function createTrustBundle(options: CreateTrustBundleOptions): Promise<Json> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const { author } = options;
  if (!isDidKey(author?.id)) throw new TypeError('author.id must be a did:key (the key verifiers pin)');
  if (typeof author.signer?.sign !== 'function') throw new TypeError('author.signer is required');
  if (!author.signer.id.startsWith(`${author.id}#`))
    throw new TypeError("author.signer must be the author's did:key verification method");
  if (!Array.isArray(options.issuers) || options.issuers.length === 0)
    throw invalid('a bundle trusts at least one issuer');
  const issuers = options.issuers.map(checkIssuer);
  if (new Set(issuers.map((i) => i.id)).size !== issuers.length) throw invalid('an issuer is listed twice');
  const validFor = options.validForMs ?? DEFAULT_BUNDLE_VALIDITY_MS;
  if (!Number.isInteger(validFor) || validFor < 60_000)
    throw new RangeError('validForMs must be at least a minute');
  const now = options.now ?? new Date();
  const bundle: Json = {
    '@context': [VC_V2_CONTEXT, AGENT_PASSPORT_V1_CONTEXT],
    id: options.id ?? `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', TRUST_BUNDLE_TYPE],
    issuer: author.id,
    validFrom: formatDateTime(now),
    validUntil: formatDateTime(new Date(now.getTime() + validFor)),
    credentialSubject: {
      trustedIssuers: issuers.map((i) => ({
        id: i.id,
        didDocument: i.didDocument,
        statusLists: i.statusLists,
        schema: i.schema,
      })),
    },
  };
  return signCredential(bundle, {
    signer: author.signer,
    created: now,
    documentLoader: options.documentLoader ?? createDocumentLoader(),
    ...(options.cryptosuite === undefined ? {} : { cryptosuite: options.cryptosuite }),
  });
}

export interface VerifyTrustBundleOptions {
  /** The pinned author(s): did:key DIDs whose signature this verifier accepts on a bundle. */
  readonly authors: readonly string[];
  /** The clock (default: now). */
  readonly now?: Date;
  readonly maxSkewSeconds?: number;
  /** Largest bundle accepted as text (default 32 MiB). */
  readonly maxBytes?: number;
  readonly documentLoader?: DocumentLoader;
  /**
   * Audits only: accept a bundle outside its validity window (its signature is still required), to
   * re-verify evidence as of the time it was recorded.
   */
  readonly allowExpired?: boolean;
}

export interface TrustBundle {
  readonly id: string;
  readonly author: string;
  readonly validFrom: Date;
  readonly validUntil: Date;
  readonly issuers: readonly BundledIssuer[];
  /**
   * What to give `createVerifier` (spread it into the config): the bundled issuers with their
   * documents, a status checker over the bundled lists, and the bundle's expiry.
   */
  verifierConfig(options?: { readonly statusMaxAgeSeconds?: number; readonly maxSkewSeconds?: number }): {
    readonly trustedIssuers: readonly { readonly id: string; readonly didDocument: DidDocument }[];
    readonly checkStatus: StatusChecker;
    readonly trustValidUntil: Date;
  };
}

/**
 * Verify a bundle against the pinned author key(s), offline: strict parsing, shape, author,
 * signature, validity window, then every issuer entry. Each failure is a PassportError:
 * ERR_BUNDLE_INVALID, ERR_BUNDLE_SIGNATURE or ERR_BUNDLE_EXPIRED.
 */
export async function verifyTrustBundle(
  input: unknown,
  options: VerifyTrustBundleOptions,
): Promise<TrustBundle> {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.authors))
    throw new TypeError('options.authors (the pinned did:key authors) is required');
  if (options.authors.length === 0 || !options.authors.every(isDidKey))
    throw new TypeError('each pinned author is a did:key');
  const now = options.now ?? new Date();
  const skewMs = (options.maxSkewSeconds ?? 60) * 1000;
  let bundle: unknown;
  try {
    if (typeof input === 'string' || input instanceof Uint8Array) {
      bundle = parseJson(input, { maxBytes: options.maxBytes ?? 32 * 1024 * 1024, maxDepth: 64 });
    } else {
      assertJcsSafe(input, { maxDepth: 64 });
      bundle = structuredClone(input);
    }
  } catch (cause) {
    throw new PassportError(
      'ERR_BUNDLE_INVALID',
      `the bundle is not strict JSON: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  if (!isObject(bundle)) throw invalid('a trust bundle is a JSON object');
  const types = bundle['type'];
  if (!Array.isArray(types) || !types.includes(TRUST_BUNDLE_TYPE))
    throw invalid(`the document is not an ${TRUST_BUNDLE_TYPE}`);
  const vcdm = checkVcdm2(bundle);
  if (!vcdm.ok) throw invalid(`${vcdm.path}: ${vcdm.message}`);

  const author = bundle['issuer'];
  if (typeof author !== 'string' || !isDidKey(author) || !options.authors.includes(author))
    throw new PassportError(
      'ERR_BUNDLE_SIGNATURE',
      `the bundle is by ${String(author)}, not a pinned author`,
    );
  const result = await verifyControlledProof({
    document: bundle,
    controller: author,
    controllerDocument: resolveDidKey(author),
    purpose: 'assertionMethod',
    documentLoader: options.documentLoader ?? createDocumentLoader(),
    rdfcBudget: createRdfcBudget(BUNDLE_RDFC_LIMITS),
  });
  // The proof layer's reason (e.g. ERR_ISSUER_KEY for another key) stays readable in details.proof.
  if (!result.verified)
    throw new PassportError(
      'ERR_BUNDLE_SIGNATURE',
      `the bundle signature fails: ${result.code} ${result.message}`,
      { details: { proof: result.code } },
    );

  const from = parseDateTime(bundle['validFrom']);
  const until = parseDateTime(bundle['validUntil']);
  if (from === undefined || until === undefined) throw invalid('a bundle has validFrom and validUntil');
  if (options.allowExpired !== true && from > now.getTime() + skewMs)
    throw new PassportError(
      'ERR_BUNDLE_EXPIRED',
      `the bundle is not valid before ${String(bundle['validFrom'])}`,
    );
  if (options.allowExpired !== true && until <= now.getTime())
    throw new PassportError('ERR_BUNDLE_EXPIRED', `the bundle expired at ${String(bundle['validUntil'])}`);

  const subject = bundle['credentialSubject'];
  const entries = isObject(subject) ? subject['trustedIssuers'] : undefined;
  if (!Array.isArray(entries) || entries.length === 0) throw invalid('the bundle trusts no issuer');
  const issuers = entries.map(checkIssuer);
  if (new Set(issuers.map((i) => i.id)).size !== issuers.length) throw invalid('an issuer is listed twice');
  const lists = issuers.flatMap((i) => i.statusLists as Json[]);
  if (new Set(lists.map((l) => `${String(l['id'])} ${String(l['validFrom'])}`)).size !== lists.length)
    throw invalid('two status lists in the bundle have the same id and validFrom');

  return Object.freeze({
    id: String(bundle['id'] ?? ''),
    author,
    validFrom: new Date(from),
    validUntil: new Date(until),
    issuers,
    verifierConfig(o: { readonly statusMaxAgeSeconds?: number; readonly maxSkewSeconds?: number } = {}) {
      return {
        trustedIssuers: issuers.map((i) => ({ id: i.id, didDocument: i.didDocument })),
        checkStatus: createStatusChecker({
          lists,
          ...(o.statusMaxAgeSeconds === undefined ? {} : { maxAgeSeconds: o.statusMaxAgeSeconds }),
          ...(o.maxSkewSeconds === undefined ? {} : { maxSkewSeconds: o.maxSkewSeconds }),
        }),
        trustValidUntil: new Date(until),
      };
    },
  });
}
