// SPDX-License-Identifier: Apache-2.0
// Re-verifying one evidence entry offline, as of the time it was recorded: its own hash, then the
// request signature and the passport (key history and the status lists issued by then, from the
// trust bundles), or the presentation. Runs in worker threads; never throws on a bad entry.
import { type DidDocument, type ErrorCode, isObject, type JsonObject as Json } from '@agent-passport/core';
import { createDelegationVerifier } from '@agent-passport/delegation';
import { isPassportRef, PASSPORT_HEADER, PASSPORT_REF_HEADER } from '@agent-passport/http-signatures';
import { createRequestVerifier, type RequestVerifier } from '@agent-passport/middleware';
import { createStatusChecker } from '@agent-passport/status';
import { parseJson } from '@agent-passport/strict-json';
import { verifyTrustBundle } from '@agent-passport/trust-bundle';
import { createVerifier } from '@agent-passport/verifier';
import { disagreement, type Who, whoOf } from './attribution.js';
import { type EvidenceEntry, entryHash, PASSPORT_MARKER, sha256 } from './entry.js';

export interface CheckerInit {
  /** Trust bundles (JSON text), possibly several from different times. */
  readonly bundles: readonly string[];
  readonly authors: readonly string[];
  readonly statusMaxAgeSeconds: number;
}

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
}

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Build the checker once per worker from the bundles. */
export async function createEntryChecker(init: CheckerInit) {
  const bundles = await Promise.all(
    init.bundles.map((b) => verifyTrustBundle(b, { authors: init.authors, allowExpired: true })),
  );
  if (bundles.length === 0) throw new TypeError('an audit needs at least one trust bundle');
  // Key history is cumulative: the newest bundle's documents know every retirement and compromise.
  const newest = [...bundles].sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime()).at(-1);
  const documents = new Map<string, DidDocument>();
  for (const b of bundles) for (const i of b.issuers) documents.set(i.id, i.didDocument);
  for (const i of newest?.issuers ?? []) documents.set(i.id, i.didDocument);
  // Every version of every list: each entry uses the newest version issued by its time.
  const lists = new Map<string, object>();
  for (const b of bundles)
    for (const i of b.issuers)
      for (const l of i.statusLists as Json[]) lists.set(`${String(l['id'])} ${String(l['validFrom'])}`, l);

  let current = new Date(0);
  const passports = new Map<string, Uint8Array>();
  const config = {
    trustedIssuers: [...documents].map(([id, didDocument]) => ({ id, didDocument })),
    checkStatus: createStatusChecker({
      lists: [...lists.values()],
      maxAgeSeconds: init.statusMaxAgeSeconds,
      laterListsProveClear: true,
    }),
    clock: () => current,
  };
  const verifier = createVerifier(config);
  // Replay and usage are judged across the whole log by the audit, not per entry here.
  const requestOptions = {
    verifier,
    clock: () => current,
    store: { checkAndSet: async () => true, increment: async () => ({ ok: true, count: 1 }) },
    resolvePassportRef: (ref: string) => passports.get(ref),
    // A logged body is at most a line's size (the line limit below); the service had its own limit.
    maxBodyBytes: 4 * 1024 * 1024,
  };
  const requests = createRequestVerifier(requestOptions);
  // Delegated calls: the chain is checked for the audience of the origin the call was made to, with
  // the chain the entry holds.
  let chain: Uint8Array | undefined;
  const delegatedByOrigin = new Map<string, RequestVerifier>();
  const delegatedRequests = (url: string): RequestVerifier => {
    const origin = new URL(url).origin;
    let found = delegatedByOrigin.get(origin);
    if (found === undefined) {
      found = createRequestVerifier({
        ...requestOptions,
        delegation: createDelegationVerifier({ ...config, origin }),
        resolveDelegationRef: () => chain,
      });
      delegatedByOrigin.set(origin, found);
    }
    return found;
  };

  type Reverified = {
    readonly who: Who;
    readonly code?: ErrorCode;
    readonly message?: string;
    readonly keyId?: string;
    readonly nonce?: string;
    readonly maxCalls?: number;
  };
  const broken = (code: ErrorCode, message: string): Reverified => ({ who: {}, code, message });

  /**
   * A refused call names its signer once the signature verified; the passport it carried (inline,
   * or by reference to one the log holds) names the agent, when it verifies for that signer.
   */
  async function identify(headers: Headers, signer: string, keyId: string | undefined): Promise<Who> {
    const inline = headers.get(PASSPORT_HEADER);
    const ref =
      headers.get(PASSPORT_REF_HEADER) ?? (keyId !== undefined && isPassportRef(keyId) ? keyId : null);
    const bytes =
      inline !== null && /^[A-Za-z0-9_-]{1,100000}$/.test(inline)
        ? new Uint8Array(Buffer.from(inline, 'base64url'))
        : ref === null
          ? undefined
          : passports.get(ref);
    if (bytes === undefined) return { agent: signer };
    const v = await verifier.verifyCredential(bytes, { requiredScopes: [] });
    return v.verified && v.passport?.credentialSubject.id === signer ? whoOf(v.passport) : { agent: signer };
  }

  /** Rebuild the request from its record and verify it as of the entry's time. */
  async function reverifyRequest(entry: EvidenceEntry, bytes: Uint8Array | undefined): Promise<Reverified> {
    const r = entry.request;
    if (!isObject(r) || typeof r.method !== 'string' || typeof r.url !== 'string' || !isObject(r.headers))
      return broken('ERR_EVIDENCE_LINE', 'the request record is incomplete');
    const headers = new Headers();
    for (const [name, value] of Object.entries(r.headers)) {
      if (typeof value !== 'string') return broken('ERR_EVIDENCE_LINE', 'a header is not text');
      if (name === PASSPORT_HEADER && value === PASSPORT_MARKER) {
        if (bytes === undefined)
          return broken('ERR_EVIDENCE_PASSPORT_MISSING', 'the passport is not in the log');
        headers.set(name, Buffer.from(bytes).toString('base64url'));
      } else headers.set(name, value);
    }
    let body: Uint8Array | undefined;
    if (r.bodyLength > 0) {
      const signedDigest = headers.get('content-digest') ?? '';
      if (r.bodyDigest === undefined || !signedDigest.includes(r.bodyDigest))
        return broken('ERR_EVIDENCE_BODY', 'the body digest is not the one the agent signed');
      if (!/(^|[\s(])"content-digest"/.test(headers.get('signature-input') ?? ''))
        return broken('ERR_SIG_COMPONENT_MISSING', 'the body is not covered by the signature');
      if (r.body !== undefined) {
        body = new Uint8Array(Buffer.from(r.body, 'base64url'));
        const digest = `sha-256=:${Buffer.from(sha256(body), 'base64url').toString('base64')}:`;
        if (body.length !== r.bodyLength || digest !== r.bodyDigest)
          return broken('ERR_EVIDENCE_BODY', 'the kept body is not the one recorded');
      }
    }
    let request: Request;
    try {
      request = new Request(r.url, {
        method: r.method,
        headers,
        ...(body !== undefined && METHODS_WITH_BODY.has(r.method.toUpperCase()) ? { body } : {}),
      });
    } catch {
      return broken('ERR_EVIDENCE_LINE', 'the request record does not make a request');
    }
    chain =
      entry.delegation === undefined
        ? undefined
        : new Uint8Array(Buffer.from(entry.delegation.bytes, 'base64url'));
    const v = await (chain === undefined ? requests : delegatedRequests(r.url)).verifyRequest(request, {
      requiredScopes: entry.requiredScopes ?? [],
      // A log that kept the digest and not the body: the digest was compared above.
      ...(r.bodyLength > 0 && body === undefined ? { bodyWithheld: true } : {}),
    });
    if (!v.verified)
      return {
        who: v.agent === undefined ? {} : await identify(headers, v.agent, v.keyId),
        code: v.errors[0]?.code ?? 'ERR_VERIFIER_INTERNAL',
        message: v.errors[0]?.message ?? '',
      };
    return {
      who:
        v.passport === undefined
          ? { agent: v.agent as string }
          : v.delegation === undefined
            ? whoOf(v.passport)
            : { ...whoOf(v.passport), agent: v.agent as string, principals: v.delegation.principals },
      keyId: v.keyId as string,
      nonce: v.nonce as string,
      ...(v.passport?.credentialSubject.maxCalls === undefined
        ? {}
        : { maxCalls: v.passport.credentialSubject.maxCalls }),
    };
  }

  async function reverifyPresentation(entry: EvidenceEntry, requiredScopes: readonly string[]) {
    if (typeof entry.challenge !== 'string')
      return broken('ERR_EVIDENCE_LINE', 'a presentation entry without its challenge');
    const v = await verifier.verifyPresentation(entry.presentation, {
      challenge: entry.challenge,
      ...(entry.domain === undefined ? {} : { domain: entry.domain }),
      requiredScopes,
    });
    if (v.verified && v.passport !== undefined) return { who: whoOf(v.passport) };
    return {
      who: {},
      code: v.errors[0]?.code ?? 'ERR_VERIFIER_INTERNAL',
      message: v.errors[0]?.message ?? '',
    } as Reverified;
  }

  /** Parse a line into an entry, or say why it is not one. */
  function parseEntry(line: string): EvidenceEntry | { garbage: string } {
    try {
      const parsed = parseJson(line, { maxBytes: 4 * 1024 * 1024, maxDepth: 64 });
      if (
        !isObject(parsed) ||
        parsed['v'] !== 1 ||
        !Number.isInteger(parsed['seq']) ||
        typeof parsed['hash'] !== 'string'
      )
        return { garbage: 'not an evidence entry' };
      return parsed as unknown as EvidenceEntry;
    } catch (e) {
      return { garbage: e instanceof Error ? e.message : 'not JSON' };
    }
  }

  async function check(item: LineItem): Promise<LineResult> {
    const at = { file: item.file, lineNo: item.lineNo };
    const entry = parseEntry(item.line);
    if ('garbage' in entry) return { ...at, garbage: { message: entry.garbage } };
    const request = isObject(entry.request) ? entry.request : undefined;
    const base = {
      ...at,
      seq: entry.seq,
      time: entry.time,
      kind: entry.kind,
      prev: entry.prev,
      hash: entry.hash,
      hashOk: entryHash(entry) === entry.hash,
      loggedVerified: entry.verdict?.verified === true,
      requiredScopes: Array.isArray(entry.requiredScopes) ? entry.requiredScopes : [],
      ...(request === undefined ? {} : { method: request.method, url: request.url }),
      ...(typeof request?.bodyDigest === 'string' ? { bodyDigest: request.bodyDigest } : {}),
    };
    const time = Date.parse(entry.time);
    if (Number.isNaN(time))
      return { ...base, reverified: false, code: 'ERR_DATE_INVALID', message: 'no valid time' };
    current = new Date(time);
    const digest = entry.passport?.digest;
    const stored = entry.passport?.bytes ?? (digest === undefined ? undefined : item.passports?.[digest]);
    const bytes = stored === undefined ? undefined : new Uint8Array(Buffer.from(stored, 'base64url'));
    if (digest !== undefined && bytes === undefined)
      return {
        ...base,
        reverified: false,
        code: 'ERR_EVIDENCE_PASSPORT_MISSING',
        message: 'the entry names a passport that no earlier line of the log holds',
      };
    const named = Object.entries(item.passports ?? {}).map(
      ([d, b]) => [d, new Uint8Array(Buffer.from(b, 'base64url'))] as const,
    );
    for (const [d, b] of named) passports.set(d, b);
    if (digest !== undefined && bytes !== undefined) passports.set(digest, bytes);
    try {
      const r: Reverified =
        entry.kind === 'request'
          ? await reverifyRequest(entry, bytes)
          : entry.kind === 'presentation'
            ? await reverifyPresentation(entry, base.requiredScopes)
            : broken('ERR_EVIDENCE_LINE', `unknown entry kind ${String(entry.kind)}`);
      const fieldProblem = disagreement(entry as unknown as Record<string, unknown>, r.who);
      return {
        ...base,
        ...r.who,
        ...(fieldProblem === undefined ? {} : { fieldProblem }),
        ...(r.code === undefined
          ? {
              reverified: true,
              ...(r.keyId === undefined ? {} : { keyId: r.keyId, nonce: r.nonce as string }),
              ...(r.maxCalls === undefined ? {} : { maxCalls: r.maxCalls }),
            }
          : { reverified: false, code: r.code, message: r.message ?? '' }),
      };
    } finally {
      for (const [d] of named) passports.delete(d);
      if (digest !== undefined) passports.delete(digest);
    }
  }

  /**
   * A standalone credential or presentation (what an agent handed over), verified as of the time its
   * own proof says it was made; a presentation is checked against its own challenge and domain.
   */
  async function checkDocument(doc: unknown): Promise<{
    verified: boolean;
    code?: ErrorCode;
    message?: string;
    kind: string;
    agent?: string;
    agentName?: string;
    issuer?: string;
    time?: string;
  }> {
    if (!isObject(doc))
      return { verified: false, kind: 'unknown', code: 'ERR_PARSE_TYPE', message: 'not a JSON object' };
    const types = Array.isArray(doc['type']) ? doc['type'] : [doc['type']];
    const isVp = types.includes('VerifiablePresentation');
    const proof = doc['proof'];
    const created =
      isObject(proof) && typeof proof['created'] === 'string' ? Date.parse(proof['created']) : Number.NaN;
    if (Number.isNaN(created))
      return {
        verified: false,
        kind: isVp ? 'presentation' : 'credential',
        code: 'ERR_PROOF_CREATED',
        message: 'no proof creation time to verify it as of',
      };
    current = new Date(created);
    const challenge = (proof as Json)['challenge'];
    if (isVp && (typeof challenge !== 'string' || challenge.length === 0))
      return {
        verified: false,
        kind: 'presentation',
        code: 'ERR_CHALLENGE_MISMATCH',
        message: 'the presentation proof has no challenge',
      };
    const v = isVp
      ? await verifier.verifyPresentation(doc, {
          challenge: challenge as string,
          ...(typeof (proof as Json)['domain'] === 'string'
            ? { domain: (proof as Json)['domain'] as string }
            : {}),
        })
      : await verifier.verifyCredential(doc);
    const p = v.passport;
    return {
      verified: v.verified,
      kind: isVp ? 'presentation' : 'credential',
      time: new Date(created).toISOString(),
      ...(v.verified
        ? {}
        : { code: v.errors[0]?.code ?? 'ERR_VERIFIER_INTERNAL', message: v.errors[0]?.message ?? '' }),
      ...(p === undefined
        ? {}
        : {
            agent: p.credentialSubject.id,
            agentName: p.credentialSubject.agentName,
            issuer: String(p.issuer),
          }),
    };
  }

  return { check, checkDocument };
}
