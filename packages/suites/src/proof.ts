// SPDX-License-Identifier: Apache-2.0
// Adding and verifying Data Integrity proofs (VC Data Integrity 1.0 §4) through the digitalbazaar
// stack. Everything here is the proof layer only: trust, dates and holder binding are the
// verifier's.

import {
  type DidDocument,
  type DocumentLoader,
  type ErrorCode,
  isObject,
  type KeyType,
  PassportError,
  type Signer,
  type Verifier,
} from '@agent-passport/core';
import { sha256Pair } from '@agent-passport/did-key';
import { canonicalize } from '@agent-passport/strict-json';
import { decodeBase58btc } from './internal/base58.js';
import type { PreparedJcs } from './jcs.js';
import { createKeyVerifier } from './keys.js';
import { boundedCanonize, createRdfcBudget, type RdfcBudget, warmedUp } from './rdfc.js';

/** Cryptosuites this toolkit knows. */
export type CryptosuiteName = 'eddsa-jcs-2022' | 'eddsa-rdfc-2022' | 'ecdsa-jcs-2019';
export const CRYPTOSUITES: readonly CryptosuiteName[] = Object.freeze([
  'eddsa-jcs-2022',
  'eddsa-rdfc-2022',
  'ecdsa-jcs-2019',
]);

/**
 * The key type each cryptosuite signs with (eddsa-jcs-2022 §3.1, eddsa-rdfc-2022 §3.1: Ed25519;
 * ecdsa-jcs-2019 §3.1: P-256 here, P-384 is not accepted). The suite fixes the algorithm: a key
 * of another type never reaches a signature check under it, when signing or verifying.
 */
export const SUITE_KEY_TYPE: Readonly<Record<CryptosuiteName, KeyType>> = Object.freeze({
  'eddsa-jcs-2022': 'Ed25519',
  'eddsa-rdfc-2022': 'Ed25519',
  'ecdsa-jcs-2019': 'P-256',
});

/** Proof purposes this toolkit verifies (Controlled Identifiers §3.3). */
export type ProofPurpose = 'assertionMethod' | 'authentication';

type JsonObject = Record<string, unknown>;

/**
 * Signing canonicalises the signer's own document: unbounded (the stock behaviour, work factor 1)
 * unless the caller passes a budget, as a service signing what a client sent does.
 */
const SIGNING_LIMITS = {
  maxJsonValues: Number.POSITIVE_INFINITY,
  maxBlankNodes: Number.POSITIVE_INFINITY,
  cpuMs: Number.POSITIVE_INFINITY,
};

/**
 * The digitalbazaar stack (JSON-LD processing: about half a second to load) is imported on first
 * use: signing, RDFC proofs and the reference engine need it, the direct JCS check never does.
 */
async function loadStack() {
  const [di, ecdsaJcs2019, eddsaJcs2022, rdfc, vc, jsigs] = await Promise.all([
    import('@digitalbazaar/data-integrity'),
    import('@digitalbazaar/ecdsa-jcs-2019-cryptosuite'),
    import('@digitalbazaar/eddsa-jcs-2022-cryptosuite'),
    import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite'),
    import('@digitalbazaar/vc'),
    import('jsonld-signatures'),
  ]);
  return {
    DataIntegrityProof: di.DataIntegrityProof,
    ecdsaJcs2019,
    eddsaJcs2022,
    eddsaRdfc2022: rdfc.cryptosuite,
    vc,
    jsigs: jsigs.default,
  };
}
let loaded: ReturnType<typeof loadStack> | undefined;
const stack = () => {
  loaded ??= loadStack();
  return loaded;
};

async function suiteFor(
  name: CryptosuiteName,
  signer: Signer,
  created: Date,
  budget: RdfcBudget = createRdfcBudget(SIGNING_LIMITS),
): Promise<unknown> {
  if (SUITE_KEY_TYPE[name] !== signer.algorithm)
    throw new TypeError(`${name} needs an ${SUITE_KEY_TYPE[name]} signer`);
  const { DataIntegrityProof, ecdsaJcs2019, eddsaJcs2022, eddsaRdfc2022 } = await stack();
  if (name === 'eddsa-jcs-2022') {
    return new DataIntegrityProof({
      signer,
      date: created,
      cryptosuite: eddsaJcs2022.createSignCryptosuite(),
    });
  }
  if (name === 'ecdsa-jcs-2019') {
    return new DataIntegrityProof({
      signer,
      date: created,
      cryptosuite: ecdsaJcs2019.createSignCryptosuite(),
    });
  }
  return new DataIntegrityProof({
    signer,
    date: created,
    cryptosuite: { ...eddsaRdfc2022, canonize: boundedCanonize(() => budget) },
  });
}

/** The cryptosuite matching a key type by default: Ed25519 → eddsa-jcs-2022, P-256 → ecdsa-jcs-2019. */
export function defaultCryptosuite(signer: Signer): CryptosuiteName {
  return signer.algorithm === 'P-256' ? 'ecdsa-jcs-2019' : 'eddsa-jcs-2022';
}

function wrapSigningError(cause: unknown): never {
  if (cause instanceof PassportError || cause instanceof TypeError || cause instanceof RangeError)
    throw cause;
  throw new PassportError('ERR_PROOF_CREATE', cause instanceof Error ? cause.message : 'signing failed', {
    cause,
  });
}

interface SignOptions {
  signer: Signer;
  created: Date;
  documentLoader: DocumentLoader;
  cryptosuite?: CryptosuiteName;
  /** eddsa-rdfc-2022: the budget canonicalisation spends (default: unbounded, see SIGNING_LIMITS). */
  rdfcBudget?: RdfcBudget;
}

/** Secure a credential with an `assertionMethod` proof (VCDM 2.0 §4.12 through `vc.issue`). */
export async function signCredential(credential: JsonObject, options: SignOptions): Promise<JsonObject> {
  const suite = await suiteFor(
    options.cryptosuite ?? defaultCryptosuite(options.signer),
    options.signer,
    options.created,
    options.rdfcBudget,
  );
  const { vc } = await stack();
  try {
    return await vc.issue({
      credential: structuredClone(credential),
      suite,
      documentLoader: options.documentLoader,
      now: options.created,
    });
  } catch (cause) {
    wrapSigningError(cause);
  }
}

/**
 * Add an `assertionMethod` proof to any JSON-LD document at the proof layer (VC Data Integrity 1.0
 * §4.2), without the credential checks `vc.issue` makes: for status lists, trust bundles and test
 * fixtures that must carry exactly the bytes given.
 */
export async function addProof(document: JsonObject, options: SignOptions): Promise<JsonObject> {
  const suite = await suiteFor(
    options.cryptosuite ?? defaultCryptosuite(options.signer),
    options.signer,
    options.created,
    options.rdfcBudget,
  );
  const { jsigs } = await stack();
  try {
    return await jsigs.sign(structuredClone(document), {
      suite,
      purpose: new jsigs.purposes.AssertionProofPurpose(),
      documentLoader: options.documentLoader,
    });
  } catch (cause) {
    wrapSigningError(cause);
  }
}

/**
 * Wrap credentials in an unsigned VerifiablePresentation (VCDM 2.0 §4.13). Built here rather than
 * with `vc.createPresentation`, which re-checks each credential against the wall clock: validity is
 * the verifier's business, against its injected clock.
 */
export function createPresentation(options: {
  verifiableCredential: JsonObject | readonly JsonObject[];
  holder: string;
  id?: string;
}): JsonObject {
  const vcs = Array.isArray(options.verifiableCredential)
    ? options.verifiableCredential
    : [options.verifiableCredential];
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    ...(options.id === undefined ? {} : { id: options.id }),
    type: ['VerifiablePresentation'],
    holder: options.holder,
    verifiableCredential: structuredClone(vcs),
  };
}

/** Secure a presentation with an `authentication` proof bound to `challenge` and `domain`. */
export async function signPresentation(
  presentation: JsonObject,
  options: {
    signer: Signer;
    created: Date;
    challenge: string;
    domain?: string;
    documentLoader: DocumentLoader;
    cryptosuite?: CryptosuiteName;
    rdfcBudget?: RdfcBudget;
  },
): Promise<JsonObject> {
  const suite = await suiteFor(
    options.cryptosuite ?? defaultCryptosuite(options.signer),
    options.signer,
    options.created,
    options.rdfcBudget,
  );
  const { vc } = await stack();
  try {
    return await vc.signPresentation({
      presentation: structuredClone(presentation),
      suite,
      challenge: options.challenge,
      ...(options.domain === undefined ? {} : { domain: options.domain }),
      documentLoader: options.documentLoader,
    });
  } catch (cause) {
    wrapSigningError(cause);
  }
}

/** Outcome of a proof check: never thrown for bad data. */
export type ProofResult =
  | { readonly verified: true; readonly cryptosuite: CryptosuiteName; readonly verificationMethod: string }
  | { readonly verified: false; readonly code: ErrorCode; readonly message: string };

function fail(code: ErrorCode, message: string): ProofResult {
  return { verified: false, code, message };
}

function findMethod(controller: DidDocument, id: string): JsonObject | undefined {
  const pools: unknown[] = [controller.verificationMethod ?? []];
  for (const rel of ['assertionMethod', 'authentication'] as const) pools.push(controller[rel] ?? []);
  for (const pool of pools) {
    if (!Array.isArray(pool)) continue;
    for (const vm of pool) if (isObject(vm) && vm['id'] === id) return vm;
  }
  return undefined;
}

/**
 * Verify the single Data Integrity proof on `document` (VC Data Integrity 1.0 §4.3), made by a
 * verification method that `controller` lists under `proofPurpose`. The proof's shape, type,
 * cryptosuite and purpose are checked against allowlists before any cryptography runs.
 */
export async function verifyProof(
  document: unknown,
  options: {
    proofPurpose: ProofPurpose;
    controller: DidDocument;
    documentLoader: DocumentLoader;
    challenge?: string | undefined;
    domain?: string | undefined;
    allowedCryptosuites?: readonly CryptosuiteName[] | undefined;
    /**
     * How JCS proofs (eddsa-jcs-2022, ecdsa-jcs-2019) are checked once every allowlist check has
     * passed: `direct` (default) hashes and verifies here; `reference` goes through jsonld-signatures.
     * Differential tests require identical verdicts from both.
     */
    engine?: 'direct' | 'reference';
    /**
     * `document` (or the document it is part of) as checked and canonicalized by `prepareJcs`: the
     * direct engine then reuses the canonical forms it remembered instead of serialising again.
     */
    prepared?: PreparedJcs | undefined;
    /**
     * The RDFC-1.0 budget eddsa-rdfc-2022 proofs spend (JSON values, blank nodes, work, deadline):
     * one per request, shared by all its documents. Default: a fresh budget with RDFC_LIMITS.
     */
    rdfcBudget?: RdfcBudget | undefined;
    /**
     * A chained proof's previous proofs (Data Integrity 1.0 §4.5): the proof secures the document
     * with these as its `proof`. Used by verifyProofSet; `document.proof` is the proof verified.
     */
    previous?: JsonObject | readonly JsonObject[];
  },
): Promise<ProofResult> {
  const shape = checkProofShape(document, options);
  if ('verified' in shape) return shape;
  const { proof, suiteName, vmId } = shape;
  const key = resolveKey(options.controller, options.proofPurpose, vmId, suiteName);
  if ('verified' in key) return key;
  if (suiteName !== 'eddsa-rdfc-2022' && (options.engine !== 'reference' || options.previous !== undefined)) {
    const ok = await verifyJcsDirect(
      document as JsonObject,
      proof,
      key.verifier,
      options.prepared,
      options.previous,
    );
    return ok
      ? { verified: true, cryptosuite: suiteName, verificationMethod: vmId }
      : fail('ERR_PROOF_INVALID', 'the proof signature does not verify');
  }
  return verifyByReference(document as JsonObject, { proof, suiteName, vmId }, key, options);
}

type VerifyProofOptions = Parameters<typeof verifyProof>[1];

/** The proof that passed every allowlist check: its object, cryptosuite and verification method. */
interface CheckedProof {
  readonly proof: JsonObject;
  readonly suiteName: CryptosuiteName;
  readonly vmId: string;
}

/**
 * The proof's shape, type, cryptosuite, purpose, method, value, and (authentication) challenge and
 * domain, against the allowlists: before any key is read or any cryptography runs.
 */
function checkProofShape(document: unknown, options: VerifyProofOptions): CheckedProof | ProofResult {
  if (!isObject(document)) return fail('ERR_PROOF_MISSING', 'the document is not an object');
  const proof = document['proof'];
  if (proof === undefined) return fail('ERR_PROOF_MISSING', 'the document has no proof');
  if (!isObject(proof)) return fail('ERR_PROOF_MALFORMED', 'exactly one proof object is accepted');
  if (proof['type'] !== 'DataIntegrityProof')
    return fail('ERR_PROOF_TYPE', 'proof type must be DataIntegrityProof');
  const suiteName = proof['cryptosuite'];
  const allowed = options.allowedCryptosuites ?? CRYPTOSUITES;
  if (typeof suiteName !== 'string' || !allowed.includes(suiteName as CryptosuiteName)) {
    return fail('ERR_CRYPTOSUITE_UNSUPPORTED', `cryptosuite ${JSON.stringify(suiteName)} is not allowed`);
  }
  if (proof['proofPurpose'] !== options.proofPurpose) {
    return fail('ERR_PROOF_PURPOSE', `proofPurpose must be ${options.proofPurpose}`);
  }
  const vmId = proof['verificationMethod'];
  if (typeof vmId !== 'string')
    return fail('ERR_PROOF_MALFORMED', 'proof.verificationMethod must be a string');
  const proofValue = proof['proofValue'];
  if (typeof proofValue !== 'string' || !proofValue.startsWith('z')) {
    return fail('ERR_PROOF_MALFORMED', 'proof.proofValue must be a base58btc multibase string');
  }
  if (options.proofPurpose === 'authentication') {
    if (options.challenge !== undefined && proof['challenge'] !== options.challenge) {
      return fail('ERR_CHALLENGE_MISMATCH', 'the proof challenge does not match');
    }
    if (options.domain !== undefined && proof['domain'] !== options.domain) {
      return fail('ERR_DOMAIN_MISMATCH', 'the proof domain does not match');
    }
  }
  return { proof, suiteName: suiteName as CryptosuiteName, vmId };
}

/** The key a proof names: listed under the purpose, controlled by the controller, of the suite's type. */
interface ResolvedKey {
  readonly method: JsonObject;
  readonly verifier: ReturnType<typeof createKeyVerifier>;
}

function resolveKey(
  controller: DidDocument,
  proofPurpose: ProofPurpose,
  vmId: string,
  suiteName: CryptosuiteName,
): ResolvedKey | ProofResult {
  const relation = controller[proofPurpose];
  const listed =
    Array.isArray(relation) && relation.some((r) => r === vmId || (isObject(r) && r['id'] === vmId));
  const method = findMethod(controller, vmId);
  if (!listed || method === undefined) {
    return fail('ERR_ISSUER_KEY', `${vmId} is not listed under ${proofPurpose} of ${controller.id}`);
  }
  if (method['controller'] !== controller.id || typeof method['publicKeyMultibase'] !== 'string') {
    return fail('ERR_ISSUER_KEY', `${vmId} is not controlled by ${controller.id}`);
  }
  let verifier: ReturnType<typeof createKeyVerifier>;
  try {
    verifier = createKeyVerifier({ id: vmId, publicKeyMultibase: method['publicKeyMultibase'] });
  } catch (cause) {
    const code = cause instanceof PassportError ? cause.code : 'ERR_ISSUER_KEY';
    return fail(code, cause instanceof Error ? cause.message : 'bad key');
  }
  const wanted = SUITE_KEY_TYPE[suiteName];
  if (verifier.algorithm !== wanted) {
    return fail(
      'ERR_SUITE_KEY_MISMATCH',
      `${suiteName} needs an ${wanted} key; ${vmId} is ${verifier.algorithm}`,
    );
  }
  return { method, verifier };
}

/** RDFC proofs, and JCS proofs under the `reference` engine: through jsonld-signatures. */
async function verifyByReference(
  document: JsonObject,
  { proof, suiteName, vmId }: CheckedProof,
  { method, verifier }: ResolvedKey,
  options: VerifyProofOptions,
): Promise<ProofResult> {
  const budget = options.rdfcBudget ?? createRdfcBudget();
  const { DataIntegrityProof, ecdsaJcs2019, eddsaJcs2022, eddsaRdfc2022, jsigs } = await stack();
  const base =
    suiteName === 'eddsa-jcs-2022'
      ? eddsaJcs2022.createVerifyCryptosuite()
      : suiteName === 'ecdsa-jcs-2019'
        ? ecdsaJcs2019.createVerifyCryptosuite()
        : { ...eddsaRdfc2022, canonize: boundedCanonize(() => budget) };
  const cryptosuite = { ...base, createVerifier: async () => verifier };
  const suite = new DataIntegrityProof({ cryptosuite });
  const vmDocument = { '@context': 'https://w3id.org/security/multikey/v1', ...method };
  const loader: DocumentLoader = async (url) =>
    url === vmId ? { contextUrl: null, documentUrl: url, document: vmDocument } : options.documentLoader(url);
  const purpose =
    options.proofPurpose === 'assertionMethod'
      ? new jsigs.purposes.AssertionProofPurpose({ controller: options.controller })
      : new jsigs.purposes.AuthenticationProofPurpose({
          controller: options.controller,
          challenge: typeof proof['challenge'] === 'string' ? proof['challenge'] : '',
          ...(typeof proof['domain'] === 'string' ? { domain: proof['domain'] } : {}),
        });
  const verified: ProofResult = { verified: true, cryptosuite: suiteName, verificationMethod: vmId };
  if (options.previous !== undefined) {
    // jsonld-signatures verifies the document without any proof: a chained proof secures the
    // document with its previous proofs, so its suite verifies that input document directly (the
    // purpose was checked above: the method is listed under it by the controller).
    const { proof: _p, ...rest } = document;
    const input = { ...rest, proof: structuredClone(options.previous) };
    try {
      const result = await suite.verifyProof({ proof, document: input, documentLoader: loader });
      if (result.verified) return verified;
      return failure(result.error);
    } catch (cause) {
      return failure(cause);
    }
  }
  try {
    const result = await jsigs.verify(document, { suite, purpose, documentLoader: loader });
    if (result.verified) return verified;
    return failure(result.error);
  } catch (cause) {
    return failure(cause);
  }
}

/** A failure from the reference stack: a PassportError inside it keeps its code (ERR_RDFC_LIMIT). */
function failure(error: unknown): ProofResult {
  const own = passportErrorIn(error, 0);
  return own === undefined ? fail('ERR_PROOF_INVALID', describe(error)) : fail(own.code, own.message);
}

function passportErrorIn(error: unknown, depth: number): PassportError | undefined {
  if (error instanceof PassportError) return error;
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const { errors, cause } = error as { errors?: unknown; cause?: unknown };
  for (const e of [...(Array.isArray(errors) ? errors : []), cause]) {
    const found = passportErrorIn(e, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function describe(error: unknown): string {
  const first = Array.isArray((error as { errors?: unknown })?.errors)
    ? ((error as { errors: unknown[] }).errors[0] ?? error)
    : error;
  return first instanceof Error ? first.message : 'the proof does not verify';
}

/** Canonical forms without a prepared walk: strict-json's canonicalize of (copied) objects. */
const strictCanonical: Pick<PreparedJcs, 'canonical' | 'canonicalWithout'> = {
  canonical: canonicalize,
  canonicalWithout(node, key) {
    const { [key]: _member, ...rest } = node;
    return canonicalize(rest);
  },
};

const asList = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : [v]);

/**
 * The JCS form of the unsecured document (eddsa-jcs-2022 §3.3.2 steps 2–4): the document without
 * its proof, with its previous proofs for a chained proof, and taking the proof options' @context
 * when they carry one, which must start the document's (undefined when it does not). When the
 * proof's @context is the document's own (the usual case) the form is the document's without its
 * proof, built from the remembered member forms without copying the document.
 */
function unsecuredForm(
  document: JsonObject,
  proofContext: unknown,
  prepared: Pick<PreparedJcs, 'canonical' | 'canonicalWithout'>,
  previous: JsonObject | readonly JsonObject[] | undefined,
): string | undefined {
  const own = document['@context'];
  if (proofContext !== undefined) {
    const wanted = asList(proofContext);
    const have = asList(own);
    // Equal strings are equal contexts; objects are compared by their canonical forms.
    const same = (c: unknown, h: unknown) =>
      c === h || (typeof c === 'object' && c !== null && canonicalize(c) === canonicalize(h));
    if (wanted.some((c, i) => !same(c, have[i]))) return undefined;
  }
  // Taking an equal @context (same shape, same length, equal entries) changes no byte of the form.
  const unchanged =
    proofContext === undefined ||
    (Array.isArray(proofContext) === Array.isArray(own) &&
      asList(proofContext).length === asList(own).length);
  if (previous === undefined && unchanged) return prepared.canonicalWithout(document, 'proof');
  const { proof: _proof, ...rest } = document;
  // A chained proof secures the document with its previous proofs as `proof`.
  const unsecured: JsonObject = previous === undefined ? rest : { ...rest, proof: previous as JsonObject };
  if (proofContext !== undefined) unsecured['@context'] = proofContext;
  return prepared.canonical(unsecured);
}

/**
 * eddsa-jcs-2022 §3.3.2 / ecdsa-jcs-2019 §3.3.2 "Verify Proof", for a proof whose type,
 * cryptosuite, purpose, key and challenge were already checked: proof options are the proof
 * without proofValue; when they carry an @context, the document's @context must start with it and
 * the unsecured document takes it; hashData = SHA-256(JCS(proof options)) ‖ SHA-256(JCS(document
 * without proof)); proofValue is base58btc multibase.
 */
async function verifyJcsDirect(
  document: JsonObject,
  proof: JsonObject,
  verifier: Verifier,
  prepared: Pick<PreparedJcs, 'canonical' | 'canonicalWithout'> = strictCanonical,
  previous?: JsonObject | readonly JsonObject[],
): Promise<boolean> {
  try {
    const unsecured = unsecuredForm(document, proof['@context'], prepared, previous);
    if (unsecured === undefined) return false;
    const proofValue = proof['proofValue'];
    if (typeof proofValue !== 'string' || !proofValue.startsWith('z')) return false;
    const signature = decodeBase58btc(proofValue.slice(1));
    if (signature === undefined) return false;
    const data = sha256Pair(prepared.canonicalWithout(proof, 'proofValue'), unsecured);
    return await verifier.verify({ data, signature });
  } catch {
    return false;
  }
}

/**
 * Load the digitalbazaar stack and warm RDFC-1.0 up now (once per process; never rejects): a
 * service calls it at start so that its first eddsa-rdfc-2022 request does not wait for loading.
 * Canonicalisation warms itself up before any budget's clock starts in any case.
 */
export function warmUpRdfc(documentLoader: DocumentLoader): Promise<void> {
  return stack().then(
    () => warmedUp(documentLoader),
    () => undefined,
  );
}
