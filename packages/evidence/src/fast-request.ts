// SPDX-License-Identifier: Apache-2.0
// The live request verifier's checks over a plain record (plain-record.ts), synchronously, in its
// order and with its refusals (middleware's verifyRequest: signature, passport, holder, body; replay
// and usage are judged across the log by the audit): the signature over the recorded parts, the
// passport the record carries or names (its verification reused when certain:
// passport-results.ts), holder binding, the body. 'rebuild' hands the entry to the live verifier
// over a rebuilt Request: a compact keyid naming a passport not verified yet, or anything this path
// does not read exactly like the reference. Differential tests hold the two to identical reports.
import type { AgentPassport, ErrorCode } from '@agent-passport/core';
import { didKeyMethodKey } from '@agent-passport/did-key';
import {
  bodyTooLarge,
  checkContentDigest,
  credentialComponents,
  isPassportRef,
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  passportRef,
  readPassportHeader,
  type SignatureVerification,
  verifyRecordedSignature,
} from '@agent-passport/http-signatures';
import type { PassportVerification } from '@agent-passport/verifier';
import {
  AUDIT_MAX_AGE_SECONDS,
  AUDIT_MAX_BODY_BYTES,
  AUDIT_SKEW_SECONDS,
  type CheckerContext,
} from './checker-context.js';
import type { KnownPassport, SubjectKey } from './known-passports.js';
import type { PlainRecord } from './plain-record.js';

interface Refusal {
  readonly ok: false;
  readonly code: ErrorCode;
  readonly message: string;
  /** Once the signature verified: who signed, and with which key. */
  readonly signer?: string;
  readonly keyId?: string;
}

export type Checked =
  | { readonly ok: true; readonly passport: AgentPassport; readonly keyId: string; readonly nonce: string }
  | Refusal
  | 'rebuild';

export interface PlainCall {
  readonly ctx: CheckerContext;
  readonly plain: PlainRecord;
  readonly now: Date;
  /** The body the rebuilt Request would carry. */
  readonly body: Uint8Array | undefined;
  /** The log kept the digest, not the body. */
  readonly withheld: boolean;
}

type Verified = Extract<SignatureVerification, { ok: true }>;

interface Signed {
  readonly sig: Verified;
  readonly signer: string;
  /** Compact form: the known passport the keyid names. */
  readonly byKeyId: KnownPassport | undefined;
}

const refuse = (code: ErrorCode, message: string, signed?: Signed): Refusal => ({
  ok: false,
  code,
  message,
  ...(signed === undefined ? {} : { signer: signed.signer, keyId: signed.sig.keyId }),
});

/** Only a refusal ends a check early (a found passport that carried `ok: true` once passed as one). */
const isRefusal = (x: object): x is Refusal => (x as { ok?: unknown }).ok === false;

/** A did:key verification method's key, decoded once per keyid (undefined: not one). */
const didKeys = new Map<string, SubjectKey | null>();
function didKeyKey(keyId: string): SubjectKey | undefined {
  let key = didKeys.get(keyId);
  if (key === undefined) {
    key = didKeyMethodKey(keyId) ?? null;
    if (didKeys.size >= 4096) didKeys.delete(didKeys.keys().next().value as string);
    didKeys.set(keyId, key);
  }
  return key ?? undefined;
}

/** Check 1, signature: over @method, @target-uri and the passport header in use. */
function signature(call: PlainCall): Signed | Refusal | 'rebuild' {
  const { ctx, plain } = call;
  const inline = plain.header(PASSPORT_HEADER);
  const refHeader = plain.header(PASSPORT_REF_HEADER);
  const compact = inline === null && refHeader === null;
  let byKeyId: KnownPassport | undefined;
  let rebuild = false;
  const r = verifyRecordedSignature(plain, {
    now: call.now,
    maxAgeSeconds: AUDIT_MAX_AGE_SECONDS,
    maxSkewSeconds: AUDIT_SKEW_SECONDS,
    requiredComponents: credentialComponents({ passport: inline, passportRef: refHeader }),
    resolveKey: (keyId) => {
      if (!(compact && isPassportRef(keyId))) return didKeyKey(keyId);
      const hit = ctx.known.get(keyId);
      const key = hit === undefined ? undefined : ctx.known.keyOf(hit);
      if (key === undefined) rebuild = true;
      else byKeyId = hit;
      return key;
    },
  });
  if (rebuild || r instanceof Promise) return 'rebuild';
  if (!r.ok) return refuse(r.code, r.message);
  const signer = byKeyId?.subject ?? r.keyId.slice(0, r.keyId.indexOf('#'));
  return { sig: r, signer, byKeyId };
}

/** Check 2's bytes: inline, by the reference header (known, else the line's shelf), or by keyid. */
function passportFound(call: PlainCall, signed: Signed): { bytes: Uint8Array; ref: string } | Refusal {
  const { ctx, plain } = call;
  const inline = plain.header(PASSPORT_HEADER);
  const refHeader = plain.header(PASSPORT_REF_HEADER);
  if (inline !== null) {
    const read = readPassportHeader(inline, refHeader);
    return read.ok ? { bytes: read.bytes, ref: read.ref } : refuse(read.code, read.message, signed);
  }
  if (refHeader !== null) {
    const known = ctx.known.get(refHeader)?.bytes;
    if (known !== undefined) return { bytes: known, ref: refHeader };
    const bytes = ctx.shelf.get(refHeader);
    if (bytes === undefined)
      return refuse('ERR_PASSPORT_UNKNOWN', 'unknown passport reference: send the passport', signed);
    if (passportRef(bytes) !== refHeader)
      return refuse('ERR_PASSPORT_REF_MISMATCH', 'the resolved passport is not the one referenced', signed);
    return { bytes, ref: refHeader };
  }
  if (signed.byKeyId !== undefined) return { bytes: signed.byKeyId.bytes, ref: signed.sig.keyId };
  return refuse('ERR_PASSPORT_MISSING', `send the ${PASSPORT_HEADER} header`, signed);
}

const EMPTY = new Uint8Array();

/** Check 4, body: the bytes the rebuilt Request would carry, held to the signature. */
function bodyRefusal(call: PlainCall, components: readonly string[]) {
  if (call.withheld)
    return components.includes('content-digest')
      ? undefined
      : {
          code: 'ERR_SIG_COMPONENT_MISSING' as const,
          message: 'the withheld body is not covered by the signature',
        };
  const declared = Number(call.plain.header('content-length') ?? '0');
  const bytes = call.body ?? EMPTY;
  if (!(declared <= AUDIT_MAX_BODY_BYTES) || bytes.length > AUDIT_MAX_BODY_BYTES)
    return bodyTooLarge(AUDIT_MAX_BODY_BYTES);
  if (components.includes('content-digest')) {
    const checked = checkContentDigest(call.plain.header('content-digest'), bytes);
    return checked.ok ? undefined : checked;
  }
  return bytes.length > 0
    ? {
        code: 'ERR_SIG_COMPONENT_MISSING' as const,
        message: 'the request has a body and the signature does not cover content-digest',
      }
    : undefined;
}

/** Checks 2 (its verdict), 3 and 4, once the passport verification is known. */
function afterPassport(
  call: PlainCall,
  signed: Signed,
  found: { bytes: Uint8Array; ref: string },
  v: PassportVerification,
): Checked {
  if (!v.verified || v.passport === undefined) {
    const first = v.errors[0];
    return refuse(
      first?.code ?? 'ERR_VERIFIER_INTERNAL',
      first?.message ?? 'the passport was refused',
      signed,
    );
  }
  const subject = v.passport.credentialSubject.id;
  call.ctx.known.remember(found.ref, found.bytes, subject);
  if (subject !== signed.signer)
    return refuse('ERR_HOLDER_MISMATCH', 'the request is not signed by the passport subject', signed);
  const body = bodyRefusal(call, signed.sig.components);
  if (body !== undefined) return refuse(body.code, body.message, signed);
  return { ok: true, passport: v.passport, keyId: signed.sig.keyId, nonce: signed.sig.nonce };
}

/** The request checks of one plain record; a promise only when its passport must be verified. */
export function checkPlainRequest(call: PlainCall): Checked | Promise<Checked> {
  const signed = signature(call);
  if (signed === 'rebuild' || !('sig' in signed)) return signed;
  const found = passportFound(call, signed);
  if (isRefusal(found)) return found;
  const v = call.ctx.passports.verify(found.ref, found.bytes, call.plain.scopes, call.now);
  return v instanceof Promise
    ? v.then((done) => afterPassport(call, signed, found, done))
    : afterPassport(call, signed, found, v);
}
