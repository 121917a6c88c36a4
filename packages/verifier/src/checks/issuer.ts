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
import type { PassportCache } from '../cache.js';
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

/** The issuer's document: pinned, a did:key, or from the configured resolver. */
async function issuerDocument(settings: Settings, did: string): Promise<DidDocument> {
  const pinned = settings.issuers.get(did);
  if (pinned !== undefined) return pinned;
  if (isDidKey(did)) return resolveDidKey(did);
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
export async function checkIssuerKey(ctx: CallContext): Promise<void> {
  const id = established(ctx.issuer, 'the issuer');
  const doc = await issuerDocument(ctx.settings, id);
  failIf(doc.id !== id, 'ERR_DID_ID_MISMATCH', 'the issuer DID document is for another DID');
  const key = checkControlledKey(established(ctx.credential, 'the passport'), doc, 'assertionMethod');
  if (!key.verified) throw new CheckFailure(key.code, key.message);
  ctx.issuerDocument = doc;
  ctx.issuerMethod = key.method;
}

/** `issuer-proof`: the proof itself and its creation time; the cache wraps the cryptography. */
export async function checkIssuerProof(ctx: CallContext, cache: PassportCache): Promise<void> {
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
    ...(ctx.prepared === undefined ? {} : { prepared: ctx.prepared }),
    verify: cache.proofCheck(ctx),
  });
  if (!result.verified) throw new CheckFailure(result.code, result.message);
}
