// SPDX-License-Identifier: Apache-2.0
// Verification of one credential for the VC API, secured with Data Integrity or enveloped
// (VC-JOSE-COSE): the data model rules, the issuer's proof, the validity window, status and, for
// an AgentPassport, its schema. Checks run in order and stop at the first failure: claims are read
// only from a document whose proof verified. Nothing here throws for bad input.
import {
  type CheckStep,
  type DidDocument,
  isObject,
  type JsonObject,
  PassportError,
  parseDateTime,
} from '@agent-passport/core';
import { assertPassportValid, checkVcdm, checkVcdm2, dateTime11Ms, VC_V1 } from '@agent-passport/schema';
import type { StatusResult } from '@agent-passport/status';
import { isEnveloped, openEnvelope } from '../envelope.js';
import { checkProof } from './proof.js';
import {
  type ApiProblem,
  runSteps,
  type VerificationResult,
  type VerifyContext,
  withStatus,
} from './result.js';

export const idOf = (v: unknown): unknown => (isObject(v) ? v['id'] : v);

/** The validity window at `ctx.now`; the dataModel step has refused malformed dates and reversed windows. */
function checkValidity(credential: JsonObject, ctx: VerifyContext): void {
  // VCDM 1.1 names the window issuanceDate and expirationDate.
  const v11 = Array.isArray(credential['@context']) && credential['@context'][0] === VC_V1;
  const [fromKey, untilKey, read] = v11
    ? ['issuanceDate', 'expirationDate', dateTime11Ms]
    : ['validFrom', 'validUntil', parseDateTime];
  const now = ctx.now.getTime();
  const from = read(credential[fromKey]);
  const until = read(credential[untilKey]);
  if (from !== undefined && from > now + ctx.skewMs)
    throw new PassportError(
      'ERR_NOT_YET_VALID',
      `the credential is valid from ${String(credential[fromKey])}`,
    );
  if (until !== undefined && until < now - ctx.skewMs)
    throw new PassportError('ERR_EXPIRED', `the credential expired at ${String(credential[untilKey])}`);
}

function checkTrusted(issuer: string, ctx: VerifyContext): void {
  if (ctx.trustedIssuers !== undefined && !ctx.trustedIssuers.has(issuer))
    throw new PassportError('ERR_ISSUER_UNTRUSTED', `${issuer} is not a trusted issuer here`);
}

/**
 * An enveloped credential (application/vc+jwt): the envelope's signature by the issuer first, then
 * the data model (2.0), validity and status of the credential it carries.
 */
function verifyEnvelopedCredential(envelope: unknown, ctx: VerifyContext): Promise<VerificationResult> {
  let opened: { credential: JsonObject; issuerDocument: DidDocument } | undefined;
  let status: readonly StatusResult[] | undefined;
  const credential = () => (opened as { credential: JsonObject }).credential;
  const steps: CheckStep<string>[] = [
    [
      'envelope',
      async () => {
        opened = await openEnvelope(envelope, ctx.resolve);
        checkTrusted(idOf(credential()['issuer']) as string, ctx);
      },
    ],
    [
      'dataModel',
      () => {
        const r = checkVcdm2(credential(), { contexts: ctx.contexts ?? {} });
        if (!r.ok) throw new PassportError(r.code, `${r.path}: ${r.message}`);
        // A passport is bound to its holder through Data Integrity only (never enveloped).
        const types = credential()['type'];
        if (Array.isArray(types) && types.includes('AgentPassport'))
          throw new PassportError('ERR_ENVELOPE_INVALID', 'an AgentPassport is never enveloped');
      },
    ],
    ['validity', () => checkValidity(credential(), ctx)],
  ];
  if (ctx.statusAsked)
    steps.push([
      'credentialStatus',
      async () => {
        if (credential()['credentialStatus'] !== undefined)
          status = await ctx.checkStatus(
            credential(),
            (opened as { issuerDocument: DidDocument }).issuerDocument,
          );
      },
    ]);
  return runSteps(steps).then((r) => withStatus(r, status));
}

/** Verify one credential: data model, issuer proof, key history, validity, status, passport schema. */
export function verifyCredential(credential: unknown, ctx: VerifyContext): Promise<VerificationResult> {
  if (isEnveloped(credential)) return verifyEnvelopedCredential(credential, ctx);
  let issuerDocument: DidDocument | undefined;
  let status: readonly StatusResult[] | undefined;
  const doc = credential as JsonObject;
  const steps: CheckStep<string>[] = [
    [
      'dataModel',
      () => {
        const r = checkVcdm(credential, { contexts: ctx.contexts ?? {} });
        if (!r.ok) throw new PassportError(r.code, `${r.path}: ${r.message}`);
      },
    ],
    [
      'proof',
      async () => {
        const issuer = idOf(doc['issuer']) as string;
        checkTrusted(issuer, ctx);
        issuerDocument = await checkProof(doc, issuer, 'assertionMethod', ctx);
      },
    ],
    ['validity', () => checkValidity(doc, ctx)],
  ];
  const warnings: ApiProblem[] = [];
  if (ctx.statusAsked)
    steps.push([
      'credentialStatus',
      async () => {
        if (doc['credentialStatus'] !== undefined)
          status = await ctx.checkStatus(doc, issuerDocument as DidDocument);
      },
    ]);
  else if (isObject(doc) && doc['credentialStatus'] !== undefined)
    warnings.push({
      code: 'ERR_STATUS_UNAVAILABLE',
      message: 'credentialStatus was not checked: options.checks did not ask for it',
      check: 'credentialStatus',
    });
  const types = doc?.['type'];
  if (Array.isArray(types) && types.includes('AgentPassport'))
    // The dataModel step applied the VCDM rules already.
    steps.push(['schema', () => assertPassportValid(credential, { vcdmChecked: true })]);
  return runSteps(steps, warnings).then((r) => withStatus(r, status));
}
