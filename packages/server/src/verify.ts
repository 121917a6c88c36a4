// SPDX-License-Identifier: Apache-2.0
// Verification of any VCDM 2.0 credential or presentation secured with Data Integrity, for the VC
// API: the data model rules, the proof (issuer's key, purpose, cryptosuite allowlist), key history,
// the validity window and status. Checks run in order and stop at the first failure: claims are
// read only from a document whose proof verified. Nothing here throws for bad input.
import {
  assertKeyValidAt,
  type CheckStep,
  type DidDocument,
  type DocumentLoader,
  type ErrorCode,
  isObject,
  type JsonObject as Json,
  PassportError,
  parseDateTime,
  runChecks,
} from '@agent-passport/core';
import {
  assertPassportValid,
  checkVcdm,
  checkVcdm2,
  checkVcdmPresentation,
  dateTime11Ms,
  VC_V1,
} from '@agent-passport/schema';
import type { StatusResult } from '@agent-passport/status';
import {
  type CryptosuiteName,
  type ProofPurpose,
  type RdfcBudget,
  verifyControlledProof,
  verifyProofSet,
} from '@agent-passport/suites';
import { isEnveloped, openEnvelope } from './envelope.js';

/** One reason a document was refused, in the VC API's `errors` list. */
export interface ApiProblem {
  readonly code: ErrorCode;
  readonly message: string;
  /** The check that failed (one of `checks`). */
  readonly check: string;
}

/** The VC API verification result: `checks` lists what ran, in order. */
export interface VerificationResult {
  readonly verified: boolean;
  readonly checks: readonly string[];
  readonly warnings: readonly ApiProblem[];
  readonly errors: readonly ApiProblem[];
  /** What each status entry says when status was checked: purpose, value and (message lists) message. */
  readonly statusResults?: readonly StatusResult[];
}

export interface VerifyContext {
  readonly now: Date;
  readonly skewMs: number;
  readonly documentLoader: DocumentLoader;
  /** The contexts the loader knows beyond the bundled ones (the data model checks terms against them). */
  readonly contexts?: Readonly<Record<string, unknown>>;
  readonly cryptosuites: readonly CryptosuiteName[];
  /** The request's RDFC-1.0 budget, shared by every eddsa-rdfc-2022 proof it verifies. */
  readonly rdfcBudget: RdfcBudget;
  /** The controller document of a DID (issuer or holder); throws a PassportError when unknown. */
  readonly resolve: (did: string) => Promise<DidDocument>;
  /** When set, only credentials from these issuers verify (ERR_ISSUER_UNTRUSTED otherwise). */
  readonly trustedIssuers?: ReadonlySet<string>;
  /** Check `credentialStatus` (the caller may leave it out through VC API `options.checks`). */
  readonly statusAsked: boolean;
  /**
   * Status of a credential with `credentialStatus`: what each entry says (a `message` value among
   * them); throws a PassportError when it is not good.
   */
  readonly checkStatus: (credential: Json, issuerDocument: DidDocument) => Promise<readonly StatusResult[]>;
}

const idOf = (v: unknown): unknown => (isObject(v) ? v['id'] : v);

/** The result, with what the status entries said when they were read. */
const withStatus = (result: VerificationResult, status: readonly StatusResult[] | undefined) =>
  status === undefined ? result : { ...result, statusResults: status };

/**
 * The verifier's ordered-checks runner, reported the VC API way: `checks` names the checks that
 * ran (up to the first failure), `errors` that failure with its check.
 */
async function runSteps(
  steps: readonly CheckStep<string>[],
  warnings: readonly ApiProblem[] = [],
): Promise<VerificationResult> {
  const { checks } = await runChecks(steps);
  const ran = checks.filter((c) => c.skipped !== true);
  const failed = ran.find((c) => !c.ok);
  return {
    verified: failed === undefined,
    checks: ran.map((c) => c.name),
    warnings,
    errors:
      failed === undefined
        ? []
        : [
            {
              code: failed.code ?? 'ERR_VERIFIER_INTERNAL',
              message: failed.message ?? '',
              check: failed.name,
            },
          ],
  };
}

/** The proof on `document`, made by a key of `controllerDid` under `purpose`, checked at `ctx.now`. */
async function checkProof(
  document: Json,
  controllerDid: string,
  purpose: ProofPurpose,
  ctx: VerifyContext,
  binding: { challenge?: string; domain?: string } = {},
): Promise<DidDocument> {
  const proof = document['proof'];
  if (Array.isArray(proof)) return checkProofSet(document, proof, controllerDid, purpose, ctx, binding);
  // One proof: the toolkit's one proof check (key of the controller, purpose, key history, created).
  const result = await verifyControlledProof({
    document,
    controller: controllerDid,
    controllerDocument: ctx.resolve,
    purpose,
    at: ctx.now,
    maxSkewSeconds: ctx.skewMs / 1000,
    cryptosuites: ctx.cryptosuites,
    documentLoader: ctx.documentLoader,
    rdfcBudget: ctx.rdfcBudget,
    ...binding,
  });
  if (!result.verified) throw new PassportError(result.code, result.message);
  return result.controllerDocument;
}

/** The date properties of the validity window: VCDM 1.1 names them issuanceDate and expirationDate. */
function windowOf(credential: Json): {
  from: string;
  until: string;
  read: (v: unknown) => number | undefined;
} {
  const v11 = Array.isArray(credential['@context']) && credential['@context'][0] === VC_V1;
  return v11
    ? { from: 'issuanceDate', until: 'expirationDate', read: dateTime11Ms }
    : { from: 'validFrom', until: 'validUntil', read: parseDateTime };
}

/**
 * A proof set or chain (Data Integrity 1.0 §4.5): every proof verifies, each against the
 * controller of its own key and under `purpose`, and one at least is by `controllerDid` (the
 * issuer, or the holder): other proofs add to it, never stand in for it.
 */
async function checkProofSet(
  document: Json,
  proofs: readonly unknown[],
  controllerDid: string,
  purpose: ProofPurpose,
  ctx: VerifyContext,
  binding: { challenge?: string; domain?: string },
): Promise<DidDocument> {
  const signerOf = (p: unknown) => {
    const vm = isObject(p) ? p['verificationMethod'] : undefined;
    if (typeof vm !== 'string')
      throw new PassportError('ERR_PROOF_MALFORMED', 'proof.verificationMethod must be a string');
    return vm;
  };
  for (const p of proofs) {
    const at = parseDateTime(isObject(p) ? p['created'] : undefined);
    if (
      isObject(p) &&
      p['created'] !== undefined &&
      (at === undefined || at > ctx.now.getTime() + ctx.skewMs)
    )
      throw new PassportError('ERR_PROOF_CREATED', 'a proof.created is malformed or in the future');
  }
  if (!proofs.some((p) => signerOf(p).split('#')[0] === controllerDid))
    throw new PassportError('ERR_PROOF_SIGNER_ABSENT', `no proof of the set is by ${controllerDid}`);
  const result = await verifyProofSet(document, {
    proofPurpose: purpose,
    documentLoader: ctx.documentLoader,
    allowedCryptosuites: ctx.cryptosuites,
    rdfcBudget: ctx.rdfcBudget,
    ...binding,
    controllerOf: (p) => ctx.resolve(signerOf(p).split('#')[0] as string),
  });
  if (!result.verified) throw new PassportError(result.code, result.message);
  for (const p of proofs as Json[]) {
    const controller = await ctx.resolve(signerOf(p).split('#')[0] as string);
    const method = (controller.verificationMethod ?? []).find((m) => m.id === p['verificationMethod']);
    if (method !== undefined) assertKeyValidAt(method, p['created']);
  }
  return ctx.resolve(controllerDid);
}

/** The validity window at `ctx.now`; the dataModel step has refused malformed dates and reversed windows. */
function checkValidity(credential: Json, ctx: VerifyContext): void {
  const now = ctx.now.getTime();
  const w = windowOf(credential);
  const from = w.read(credential[w.from]);
  const until = w.read(credential[w.until]);
  if (from !== undefined && from > now + ctx.skewMs)
    throw new PassportError(
      'ERR_NOT_YET_VALID',
      `the credential is valid from ${String(credential[w.from])}`,
    );
  if (until !== undefined && until < now - ctx.skewMs)
    throw new PassportError('ERR_EXPIRED', `the credential expired at ${String(credential[w.until])}`);
}

/**
 * Verify an enveloped credential (VC-JOSE-COSE, application/vc+jwt): the envelope's signature by
 * the issuer first, then the data model (2.0), validity and status of the credential it carries.
 */
function verifyEnvelopedCredential(envelope: unknown, ctx: VerifyContext): Promise<VerificationResult> {
  let opened: { credential: Json; issuerDocument: DidDocument } | undefined;
  let status: readonly StatusResult[] | undefined;
  const credential = () => (opened as { credential: Json }).credential;
  const steps: [string, () => Promise<void> | void][] = [
    [
      'envelope',
      async () => {
        opened = await openEnvelope(envelope, ctx.resolve);
        const issuer = idOf(credential()['issuer']) as string;
        if (ctx.trustedIssuers !== undefined && !ctx.trustedIssuers.has(issuer))
          throw new PassportError('ERR_ISSUER_UNTRUSTED', `${issuer} is not a trusted issuer here`);
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
  const doc = credential as Json;
  const steps: [string, () => Promise<void> | void][] = [
    [
      'dataModel',
      () => {
        const r = checkVcdm(credential, { contexts: ctx.contexts ?? {} });
        if (!r.ok) throw new PassportError(r.code, `${r.path}: ${r.message}`);
        if (Array.isArray(doc['type']) && doc['type'].includes('EnvelopedVerifiableCredential'))
          throw new PassportError('ERR_VCDM_INVALID', 'enveloped credentials are not verified here');
      },
    ],
    [
      'proof',
      async () => {
        const issuer = idOf(doc['issuer']) as string;
        if (ctx.trustedIssuers !== undefined && !ctx.trustedIssuers.has(issuer))
          throw new PassportError('ERR_ISSUER_UNTRUSTED', `${issuer} is not a trusted issuer here`);
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

/** How many credentials one presentation may carry here. */
export const MAX_PRESENTED_CREDENTIALS = 64;

/** An AgentPassport is presented only by its own agent: the proof's signer is its subject. */
function holderBinding(vc: unknown, presenter: string | undefined): ApiProblem | undefined {
  const types = isObject(vc) ? vc['type'] : undefined;
  if (!Array.isArray(types) || !types.includes('AgentPassport')) return undefined;
  const subject = idOf((vc as Json)['credentialSubject']);
  if (presenter !== undefined && presenter === subject) return undefined;
  return {
    code: 'ERR_HOLDER_MISMATCH',
    message: `a passport is presented by its agent ${String(subject)}, not ${presenter ?? 'an unsigned presentation'}`,
    check: 'credentials',
  };
}

/**
 * Verify a presentation: the data model, the holder's `authentication` proof bound to the challenge
 * and domain asked for (an unsigned presentation is accepted only when no challenge is asked for),
 * then every credential it carries.
 */
export function verifyPresentation(
  presentation: unknown,
  ctx: VerifyContext,
  binding: { challenge?: string; domain?: string },
): Promise<VerificationResult> {
  const doc = presentation as Json;
  let presenter: string | undefined;
  return runSteps([
    [
      'dataModel',
      () => {
        const r = checkVcdmPresentation(presentation, { contexts: ctx.contexts ?? {} });
        if (!r.ok) throw new PassportError(r.code, `${r.path}: ${r.message}`);
      },
    ],
    [
      'proof',
      async () => {
        if (doc['proof'] === undefined) {
          if (binding.challenge !== undefined || binding.domain !== undefined)
            throw new PassportError(
              'ERR_PROOF_MISSING',
              'a challenge or domain was asked for and the presentation is not signed',
            );
          return;
        }
        const proof = doc['proof'];
        const vm = isObject(proof) ? proof['verificationMethod'] : undefined;
        const signer = typeof vm === 'string' ? vm.split('#')[0] : undefined;
        const holder = idOf(doc['holder']);
        if (holder !== undefined && signer !== undefined && holder !== signer)
          throw new PassportError(
            'ERR_HOLDER_MISMATCH',
            `the proof is by ${signer}, the holder is ${String(holder)}`,
          );
        await checkProof(doc, String(signer ?? holder), 'authentication', ctx, binding);
        presenter = signer;
      },
    ],
    [
      'credentials',
      async () => {
        const vcs = doc['verifiableCredential'];
        const list = vcs === undefined ? [] : Array.isArray(vcs) ? vcs : [vcs];
        // Each credential costs a signature check: a bounded number per request.
        if (list.length > MAX_PRESENTED_CREDENTIALS)
          throw new PassportError(
            'ERR_VCDM_INVALID',
            `at most ${MAX_PRESENTED_CREDENTIALS} credentials are verified in one presentation`,
          );
        for (const vc of list) {
          const r = await verifyCredential(vc, ctx);
          const first = r.errors[0] ?? holderBinding(vc, presenter);
          if (first !== undefined)
            throw new PassportError(
              first.code,
              `credential ${String(idOf(vc) ?? '')}: ${first.message}`.trim(),
            );
        }
      },
    ],
  ]);
}
