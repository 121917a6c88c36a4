// SPDX-License-Identifier: Apache-2.0
// Re-verifying one evidence entry offline, as of the time it was recorded, in named steps over a
// typed context (checker-context.ts): parse the line, check its own hash, find the passport it
// holds or names, then re-verify the request (reverify-request.ts) or the presentation
// (reverify-presentation.ts) with the entry's time as `now`, and compare the unsigned fields with
// what re-verification established. Runs in worker threads; never throws on a bad entry.
import { type ErrorCode, isErrorCode, isObject } from '@agent-passport/core';
import type { TrustBundle } from '@agent-passport/trust-bundle';
import { disagreement } from './attribution.js';
import { checkDocument, type DocumentCheck } from './check-document.js';
import { broken, type CheckerContext, createCheckerContext, type Reverified } from './checker-context.js';
import type { CheckerInit } from './checker-trust.js';
import { EVIDENCE_EVENTS, type EvidenceEntry } from './entry.js';
import { checkedEntryHash } from './entry-canonical.js';
import { parseEntry } from './parse-entry.js';
import { reverifyPresentation } from './reverify-presentation.js';
import { reverifyRequest } from './reverify-request.js';

export type { CheckerInit } from './checker-trust.js';

/** One line to check, with the passports (digest: base64url bytes) it names that earlier lines hold. */
export interface LineItem {
  readonly line: string;
  readonly file: string;
  readonly lineNo: number;
  readonly passports?: Readonly<Record<string, string>>;
}

/** What the audit learns from one line. */
export interface LineResult {
  readonly file: string;
  readonly lineNo: number;
  /** Not an entry at all (garbage, cut short, not strict JSON). */
  readonly garbage?: { readonly message: string };
  readonly seq?: number;
  readonly time?: string;
  readonly kind?: string;
  readonly prev?: string;
  readonly hash?: string;
  readonly hashOk?: boolean;
  readonly loggedVerified?: boolean;
  /** A call logged refused: the code the service logged (a known code only; not re-verified). */
  readonly loggedCode?: ErrorCode;
  /** Who made the call, as re-verification establishes it (never the entry's unsigned fields). */
  readonly agent?: string;
  readonly agentName?: string;
  readonly issuer?: string;
  readonly passportId?: string;
  /** A delegated call: organisation → agent → … → `agent`, as re-verifying the chain establishes. */
  readonly principals?: readonly string[];
  readonly requiredScopes?: readonly string[];
  readonly method?: string;
  readonly url?: string;
  readonly bodyDigest?: string;
  /** A stored agent, name, issuer or passport id that disagrees with the above (ERR_EVIDENCE_FIELD). */
  readonly fieldProblem?: string;
  /** Re-verification: ok, or the code it fails with. */
  readonly reverified?: boolean;
  readonly code?: ErrorCode;
  readonly message?: string;
  readonly keyId?: string;
  readonly nonce?: string;
  readonly maxCalls?: number;
  /** An event entry: what happened, as the service noted it (nothing in it is re-verified). */
  readonly event?: {
    readonly name: string;
    readonly agent?: string;
    readonly code?: string;
    readonly ref?: string;
  };
}

type Base = LineResult & { readonly requiredScopes: readonly string[] };
/** A line's result while it is being made (one object per line, filled in place). */
type Draft = { -readonly [K in keyof Base]: Base[K] };

/** What the line says about itself, before anything is re-verified. */
function baseOf(item: LineItem, entry: EvidenceEntry, reference: boolean): Draft {
  const request = isObject(entry.request) ? entry.request : undefined;
  const base: Draft = {
    file: item.file,
    lineNo: item.lineNo,
    seq: entry.seq,
    time: entry.time,
    kind: entry.kind,
    prev: entry.prev,
    hash: entry.hash,
    hashOk: checkedEntryHash(entry, reference) === entry.hash,
    loggedVerified: entry.verdict?.verified === true,
    requiredScopes: Array.isArray(entry.requiredScopes) ? entry.requiredScopes : [],
  };
  const codes: unknown = base.loggedVerified ? undefined : entry.verdict?.codes;
  if (Array.isArray(codes) && isErrorCode(codes[0])) base.loggedCode = codes[0];
  if (request !== undefined) {
    base.method = request.method;
    base.url = request.url;
    if (typeof request.bodyDigest === 'string') base.bodyDigest = request.bodyDigest;
  }
  return base;
}

/** The passport the entry holds, or the one it names that an earlier line holds (base64url). */
function passportOf(
  entry: EvidenceEntry,
  item: LineItem,
): { stored?: string; missing: boolean } | Reverified {
  const digest = entry.passport?.digest;
  const stored: unknown =
    entry.passport?.bytes ?? (digest === undefined ? undefined : item.passports?.[digest]);
  if (typeof stored === 'string') return { stored, missing: false };
  if (stored !== undefined) return broken('ERR_EVIDENCE_LINE', 'the passport is not base64url text');
  return { missing: digest !== undefined };
}

/** Re-verify with the passports this line may name on the context's shelf, and only for its time. */
function reverify(
  ctx: CheckerContext,
  entry: EvidenceEntry,
  item: LineItem,
  base: Base,
  now: Date,
  stored?: string,
): Reverified | Promise<Reverified> {
  const digest = entry.passport?.digest;
  if (item.passports !== undefined)
    for (const d in item.passports) ctx.shelf.set(d, item.passports[d] as string);
  if (digest !== undefined && stored !== undefined) ctx.shelf.set(digest, stored);
  let r: Reverified | Promise<Reverified>;
  try {
    r =
      entry.kind === 'request'
        ? reverifyRequest(ctx, entry, stored, now)
        : entry.kind === 'presentation'
          ? reverifyPresentation(ctx, entry, base.requiredScopes, now)
          : broken('ERR_EVIDENCE_LINE', `unknown entry kind ${String(entry.kind)}`);
  } catch (e) {
    ctx.shelf.clear();
    throw e;
  }
  if (!(r instanceof Promise)) {
    ctx.shelf.clear();
    return r;
  }
  return r.finally(() => ctx.shelf.clear());
}

/** The line's result: what re-verification established, filled into its draft. */
function judged(base: Draft, entry: EvidenceEntry, r: Reverified): LineResult {
  const { who } = r;
  const fieldProblem = disagreement(entry as unknown as Record<string, unknown>, who);
  if (who.agent !== undefined) base.agent = who.agent;
  if (who.agentName !== undefined) base.agentName = who.agentName;
  if (who.issuer !== undefined) base.issuer = who.issuer;
  if (who.passportId !== undefined) base.passportId = who.passportId;
  if (who.principals !== undefined) base.principals = who.principals;
  if (fieldProblem !== undefined) base.fieldProblem = fieldProblem;
  if (r.code !== undefined) {
    base.reverified = false;
    base.code = r.code;
    base.message = r.message ?? '';
    return base;
  }
  base.reverified = true;
  if (r.keyId !== undefined) {
    base.keyId = r.keyId;
    base.nonce = r.nonce as string;
  }
  if (r.maxCalls !== undefined) base.maxCalls = r.maxCalls;
  return base;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** An event entry: intact evidence when its hash and links hold; there is no call to re-verify. */
function eventOf(base: Base, entry: EvidenceEntry): LineResult {
  const name = str(entry.event);
  if (name === undefined || !(EVIDENCE_EVENTS as readonly string[]).includes(name))
    return {
      ...base,
      reverified: false,
      code: 'ERR_EVIDENCE_LINE',
      message: `unknown event ${String(entry.event)}`,
    };
  const [agent, code, ref] = [str(entry.agent), str(entry.code), str(entry.ref)];
  return {
    ...base,
    reverified: true,
    event: {
      name,
      ...(agent === undefined ? {} : { agent }),
      ...(code === undefined ? {} : { code }),
      ...(ref === undefined ? {} : { ref }),
    },
  };
}

/** One line's result: synchronous unless a verification of this line must wait (a promise then). */
export function checkLine(ctx: CheckerContext, item: LineItem): LineResult | Promise<LineResult> {
  const entry = parseEntry(item.line, ctx.reference);
  if ('garbage' in entry)
    return { file: item.file, lineNo: item.lineNo, garbage: { message: entry.garbage } };
  const base = baseOf(item, entry, ctx.reference);
  const time = Date.parse(entry.time);
  if (Number.isNaN(time))
    return { ...base, reverified: false, code: 'ERR_DATE_INVALID', message: 'no valid time' };
  if (entry.kind === 'event') return eventOf(base, entry);
  const passport = passportOf(entry, item);
  if ('who' in passport) return judged(base, entry, passport);
  if (passport.missing)
    return {
      ...base,
      reverified: false,
      code: 'ERR_EVIDENCE_PASSPORT_MISSING',
      message: 'the entry names a passport that no earlier line of the log holds',
    };
  // One immutable time per entry: the one it was recorded at.
  const now = new Date(time);
  const r = reverify(ctx, entry, item, base, now, passport.stored);
  return r instanceof Promise ? r.then((done) => judged(base, entry, done)) : judged(base, entry, r);
}

export interface EntryChecker {
  check(item: LineItem): Promise<LineResult>;
  /**
   * The same check without queueing: synchronous when the line allows it. The caller waits for a
   * returned promise before its next call (the shelf holds one line's passports).
   */
  checkNow(item: LineItem): LineResult | Promise<LineResult>;
  checkDocument(doc: unknown): Promise<DocumentCheck>;
}

/**
 * Build the checker once per worker from the bundles. Its calls run one at a time, in call order:
 * the context's passport shelf holds the passports of one line only (two lines checked at once
 * would clear each other's, and a refused call would lose the passport that names its agent).
 * `verified`: the bundles of `init`, verified already (trustFromBundles).
 */
export async function createEntryChecker(
  init: CheckerInit,
  verified?: readonly TrustBundle[],
): Promise<EntryChecker> {
  const ctx = await createCheckerContext(init, verified);
  let last: Promise<unknown> = Promise.resolve();
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = last.then(run, run);
    last = next.catch(() => undefined);
    return next;
  };
  return {
    check: (item) => serial(async () => checkLine(ctx, item)),
    checkNow: (item) => checkLine(ctx, item),
    checkDocument: (doc) => serial(() => checkDocument(ctx, doc)),
  };
}
