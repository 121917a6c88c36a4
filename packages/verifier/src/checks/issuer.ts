// SPDX-License-Identifier: Apache-2.0
// Checks 3–5: the issuer is trusted (and the trust configuration has not expired), its document
// lists the proof's key under assertionMethod with a history that allows it, and the proof
// verifies (VC Data Integrity 1.0 §4.3; the one proof check of @agent-passport/suites).
import {
  CheckFailure,
  type DidDocument,
  failIf,
  failUnless,
  isObject,
  PassportError,
} from '@agent-passport/core';
import { isDidKey, resolveDidKey } from '@agent-passport/did-key';
import { checkControlledKey, verifyControlledProof } from '@agent-passport/suites';
import { hitDates, type PassportCache } from '../cache.js';
import type { Settings } from '../config.js';
import { type CallContext, established } from '../context.js';

/** `issuer-trusted`: a configured DID (trusted issuers are DIDs, checked at creation). */
export function checkIssuerTrusted(ctx: CallContext): void {
  const issuer = established(ctx.credential, 'the passport')['issuer'];
  const id = isObject(issuer) ? issuer['id'] : issuer;
  failUnless(
    typeof id === 'string' && ctx.settings.issuers.has(id),
    'ERR_ISSUER_UNTRUSTED',
    `${String(id)} is not a trusted issuer`,
  );
  const until = ctx.settings.trustValidUntilMs;
  failIf(
    until !== undefined && until <= ctx.nowMs,
    'ERR_BUNDLE_EXPIRED',
    `the trust configuration expired at ${until === undefined ? '' : new Date(until).toISOString()}`,
  );
  ctx.issuer = id;
}

/** The issuer's document when the configuration fixes it: pinned, or a did:key (a function of the DID). */
function staticDocument(settings: Settings, did: string): DidDocument | undefined {
  const pinned = settings.issuers.get(did);
  if (pinned !== undefined) return pinned;
  return isDidKey(did) ? resolveDidKey(did) : undefined;
}

/** The issuer's document from the configured resolver. */
async function resolvedDocument(settings: Settings, did: string): Promise<DidDocument> {
  if (settings.resolveDid === undefined)
    throw new CheckFailure('ERR_DID_NOT_FOUND', `no DID document for ${did}`);
  try {
    return await settings.resolveDid(did);
  } catch (cause) {
    throw new CheckFailure(
      cause instanceof PassportError ? cause.code : 'ERR_DID_NOT_FOUND',
      cause instanceof Error ? cause.message : `cannot resolve ${did}`,
    );
  }
}

/** `issuer-key`: the key the proof names is an assertionMethod of the issuer, valid when used. */
export function checkIssuerKey(ctx: CallContext): Promise<void> | undefined {
  const remembered = ctx.hit?.issuerKey;
  if (remembered === undefined) return resolvedIssuerKey(ctx);
  // The same passport bytes against the same fixed document (this verifier's configuration, which
  // cannot change): the check is a function of the two, so its result is the remembered one.
  ctx.issuerDocument = remembered.document;
  ctx.issuerMethod = remembered.method;
  ctx.issuerStatic = true;
  return undefined;
}

/** Synchronous when the document is fixed by the configuration (a check that returns nothing costs no turn). */
function resolvedIssuerKey(ctx: CallContext): Promise<void> | undefined {
  const id = established(ctx.issuer, 'the issuer');
  const fixed = staticDocument(ctx.settings, id);
  ctx.issuerStatic = fixed !== undefined;
  if (fixed !== undefined) {
    acceptIssuerKey(ctx, id, fixed);
    return undefined;
  }
  return resolvedDocument(ctx.settings, id).then((doc) => acceptIssuerKey(ctx, id, doc));
}

/** The document is the issuer's and lists the proof's key under assertionMethod, valid when used. */
function acceptIssuerKey(ctx: CallContext, id: string, doc: DidDocument): void {
  failIf(doc.id !== id, 'ERR_DID_ID_MISMATCH', 'the issuer DID document is for another DID');
  const key = checkControlledKey(established(ctx.credential, 'the passport'), doc, 'assertionMethod');
  if (!key.verified) throw new CheckFailure(key.code, key.message);
  ctx.issuerDocument = doc;
  ctx.issuerMethod = key.method;
}

/**
 * `issuer-proof`: the proof itself and its creation time; the cache wraps the cryptography. A hit
 * with a remembered issuer key verified this proof against this document before: what is left
 * depends on the call's time only, `created` not after now plus skew (as verifyControlledProof
 * checks it).
 */
export function checkIssuerProof(ctx: CallContext, cache: PassportCache): Promise<void> | undefined {
  const hit = ctx.hit;
  if (hit?.issuerKey === undefined) return verifiedIssuerProof(ctx, cache);
  const created = hitDates(hit).proofCreated;
  failIf(
    created !== undefined && created > ctx.nowMs + ctx.settings.skewMs,
    'ERR_PROOF_CREATED',
    'proof.created is in the future',
  );
  return undefined;
}

async function verifiedIssuerProof(ctx: CallContext, cache: PassportCache): Promise<void> {
  const result = await verifyControlledProof({
    document: established(ctx.credential, 'the passport'),
    controller: established(ctx.issuer, 'the issuer'),
    controllerDocument: established(ctx.issuerDocument, 'the issuer document'),
    purpose: 'assertionMethod',
    at: ctx.now,
    maxSkewSeconds: ctx.settings.maxSkewSeconds,
    cryptosuites: ctx.settings.suites,
    documentLoader: ctx.settings.documentLoader,
    rdfcBudget: ctx.rdfcBudget,
    prepared: ctx.prepared,
    verify: cache.proofCheck(ctx),
  });
  if (!result.verified) throw new CheckFailure(result.code, result.message);
}
