// SPDX-License-Identifier: Apache-2.0
// The one proof check every document of the toolkit goes through (passports, presentations, status
// lists, trust bundles, VC API documents): a single Data Integrity proof made by a key that the
// controller's DID document lists under the proof's purpose (DID Core §5.3, VC Data Integrity 1.0
// §4.3), allowed by the key's history at the proof's `created` time, and not created in the future.
import {
  assertKeyValidAt,
  type DidDocument,
  type DocumentLoader,
  type ErrorCode,
  isObject,
  type JsonObject,
  type MultikeyVerificationMethod,
  PassportError,
  parseDateTime,
} from '@agent-passport/core';
import type { PreparedJcs } from './jcs.js';
import { type CryptosuiteName, type ProofPurpose, type ProofResult, verifyProof } from './proof.js';
import type { RdfcBudget } from './rdfc.js';

/** A refusal with its code: never thrown for bad data. */
export interface ProofRefusal {
  readonly verified: false;
  readonly code: ErrorCode;
  readonly message: string;
}

/** The key a proof names, found in its controller's document and allowed by the key's history. */
export type ControlledKeyResult =
  | {
      readonly verified: true;
      readonly proof: JsonObject;
      readonly verificationMethod: string;
      /** The method as the controller's document lists it (undefined only for foreign shapes). */
      readonly method: MultikeyVerificationMethod | undefined;
    }
  | ProofRefusal;

export type ControlledProofResult =
  | {
      readonly verified: true;
      readonly cryptosuite: CryptosuiteName;
      readonly verificationMethod: string;
      readonly method: MultikeyVerificationMethod | undefined;
      /** The controller's DID document the proof was checked against. */
      readonly controllerDocument: DidDocument;
      /** The proof's `created` time (ms since the epoch), when it has one. */
      readonly created: number | undefined;
    }
  | ProofRefusal;

/** The cryptographic step: `verifyProof` unless a caller wraps it (e.g. in a cache). */
export type ProofCheck = (
  document: JsonObject,
  options: Parameters<typeof verifyProof>[1],
) => Promise<ProofResult>;

export interface ControlledProofOptions {
  /** The secured document (already parsed). */
  readonly document: unknown;
  /** The DID that must have signed (issuer, holder, list or bundle author). */
  readonly controller: string;
  /**
   * Its DID document, or a resolver for it (called only once the proof names a key of
   * `controller`; a PassportError it throws becomes the refusal's code, anything else
   * ERR_DID_NOT_FOUND).
   */
  readonly controllerDocument: DidDocument | ((did: string) => Promise<DidDocument>);
  readonly purpose: ProofPurpose;
  /** The time of the call: `created` later than this (plus skew) is refused. Absent: not compared. */
  readonly at?: Date;
  /** Tolerated clock skew for `created`, in seconds (default 60). */
  readonly maxSkewSeconds?: number;
  /** A proof without `created` is refused (presentations: a proof must say when it was made). */
  readonly requireCreated?: boolean;
  /** Cryptosuite allowlist (default: every suite this toolkit knows). */
  readonly cryptosuites?: readonly CryptosuiteName[];
  readonly documentLoader: DocumentLoader;
  /** The call's RDFC-1.0 budget (see verifyProof). */
  readonly rdfcBudget?: RdfcBudget;
  /** The document as `prepareJcs` checked and canonicalized it (see verifyProof). */
  readonly prepared?: PreparedJcs | undefined;
  /** Authentication proofs: the challenge and domain asked for, compared exactly. */
  readonly challenge?: string | undefined;
  readonly domain?: string | undefined;
  /** The cryptographic step (default verifyProof); the passport verifier wraps it in its cache. */
  readonly verify?: ProofCheck;
}

const refuse = (code: ErrorCode, message: string): ProofRefusal => ({ verified: false, code, message });

function listedMethod(controller: DidDocument, purpose: ProofPurpose, vm: string): boolean {
  return (controller[purpose] ?? []).some((r) => (typeof r === 'string' ? r : r.id) === vm);
}

function findMethod(
  controller: DidDocument,
  purpose: ProofPurpose,
  vm: string,
): MultikeyVerificationMethod | undefined {
  const method = (controller.verificationMethod ?? []).find((m) => m.id === vm);
  if (method !== undefined) return method;
  for (const r of controller[purpose] ?? []) if (typeof r !== 'string' && r.id === vm) return r;
  return undefined;
}

/** One proof object naming a verification method of `controller` (`did#fragment`). */
function checkProofSigner(
  document: unknown,
  controller: string,
): { readonly proof: JsonObject; readonly vm: string } | ProofRefusal {
  if (!isObject(document)) return refuse('ERR_PROOF_MISSING', 'the document is not an object');
  const proof = document['proof'];
  if (proof === undefined) return refuse('ERR_PROOF_MISSING', 'the document is not signed');
  if (!isObject(proof)) return refuse('ERR_PROOF_MALFORMED', 'exactly one proof object is accepted');
  const vm = proof['verificationMethod'];
  if (typeof vm !== 'string')
    return refuse('ERR_PROOF_MALFORMED', 'proof.verificationMethod must be a string');
  if (!vm.startsWith(`${controller}#`))
    return refuse('ERR_ISSUER_KEY', `${vm} is not a key of ${controller}`);
  return { proof, vm };
}

/**
 * The key part of the check, before any cryptography: one proof object naming a verification
 * method of the controller (`did#fragment`) that its document lists under `purpose`, and that the
 * key's history allows at the proof's `created` time (ERR_KEY_RETIRED, ERR_KEY_COMPROMISED).
 */
export function checkControlledKey(
  document: unknown,
  controllerDocument: DidDocument,
  purpose: ProofPurpose,
): ControlledKeyResult {
  const signer = checkProofSigner(document, controllerDocument.id);
  if ('verified' in signer) return signer;
  return checkSignerKey(signer, controllerDocument, purpose);
}

/** checkControlledKey once checkProofSigner has passed for the controller document's id. */
function checkSignerKey(
  { proof, vm }: { readonly proof: JsonObject; readonly vm: string },
  controllerDocument: DidDocument,
  purpose: ProofPurpose,
): ControlledKeyResult {
  if (!listedMethod(controllerDocument, purpose, vm))
    return refuse('ERR_ISSUER_KEY', `${vm} is not an ${purpose} key of ${controllerDocument.id}`);
  const method = findMethod(controllerDocument, purpose, vm);
  try {
    if (method !== undefined) assertKeyValidAt(method, proof['created']);
  } catch (cause) {
    if (cause instanceof PassportError) return refuse(cause.code, cause.message);
    throw cause;
  }
  return { verified: true, proof, verificationMethod: vm, method };
}

type ControllerDocument = { readonly doc: DidDocument } | ProofRefusal;

/** The controller's document: given (no turn of the event loop), or from its resolver. */
function controllerDocumentOf(
  options: ControlledProofOptions,
): ControllerDocument | Promise<ControllerDocument> {
  const given = options.controllerDocument;
  return typeof given === 'function'
    ? resolvedDocument(given, options.controller)
    : documentOf(given, options.controller);
}

async function resolvedDocument(
  resolve: (did: string) => Promise<DidDocument>,
  controller: string,
): Promise<ControllerDocument> {
  let doc: DidDocument;
  try {
    doc = await resolve(controller);
  } catch (cause) {
    return cause instanceof PassportError
      ? refuse(cause.code, cause.message)
      : refuse('ERR_DID_NOT_FOUND', `cannot resolve ${controller}`);
  }
  return documentOf(doc, controller);
}

function documentOf(doc: DidDocument, controller: string): ControllerDocument {
  if (doc.id !== controller)
    return refuse('ERR_DID_ID_MISMATCH', `the DID document is for ${String(doc.id)}, not ${controller}`);
  return { doc };
}

/** `created`: a date-time with an offset, not after `at` plus skew; required when asked. */
function checkCreated(
  created: unknown,
  options: ControlledProofOptions,
): { readonly ms: number | undefined } | ProofRefusal {
  if (created === undefined)
    return options.requireCreated === true
      ? refuse('ERR_PROOF_CREATED', 'the proof needs a created date-time')
      : { ms: undefined };
  const ms = parseDateTime(created);
  if (ms === undefined) return refuse('ERR_PROOF_CREATED', 'proof.created is not a date-time with an offset');
  const skewMs = (options.maxSkewSeconds ?? 60) * 1000;
  if (options.at !== undefined && ms > options.at.getTime() + skewMs)
    return refuse('ERR_PROOF_CREATED', 'proof.created is in the future');
  return { ms };
}

/**
 * Verify a Data Integrity document signed by its controller: the proof names a key of
 * `controller`, whose document (resolved only then) lists it under the purpose and whose history
 * allows it (checkControlledKey); `created` is not in the future; then the proof itself (shape,
 * cryptosuite allowlist, purpose, challenge, signature: verifyProof). Returns a coded result; never throws for bad data.
 */
export async function verifyControlledProof(options: ControlledProofOptions): Promise<ControlledProofResult> {
  const signer = checkProofSigner(options.document, options.controller);
  if ('verified' in signer) return signer;
  const pending = controllerDocumentOf(options);
  const resolved = pending instanceof Promise ? await pending : pending;
  if ('verified' in resolved) return resolved;
  const controllerDocument = resolved.doc;
  // The signer was checked against options.controller, which is the document's id.
  const key = checkSignerKey(signer, controllerDocument, options.purpose);
  if (!key.verified) return key;
  // Cheap checks first: a proof that claims a future creation time costs no cryptography.
  const created = checkCreated(key.proof['created'], options);
  if ('verified' in created) return created;
  const verify = options.verify ?? verifyProof;
  // Absent options are undefined members here (verifyProof reads them so): one object, no spreads.
  const result = await verify(options.document as JsonObject, {
    proofPurpose: options.purpose,
    controller: controllerDocument,
    documentLoader: options.documentLoader,
    allowedCryptosuites: options.cryptosuites,
    rdfcBudget: options.rdfcBudget,
    prepared: options.prepared,
    challenge: options.challenge,
    domain: options.domain,
  });
  if (!result.verified) return result;
  return {
    verified: true,
    cryptosuite: result.cryptosuite,
    verificationMethod: key.verificationMethod,
    method: key.method,
    controllerDocument,
    created: created.ms,
  };
}
