// SPDX-License-Identifier: Apache-2.0
// Re-verifying one evidence entry offline, as of the time it was recorded: its own hash, then the
// request signature and the passport (key history and the status lists issued by then, from the
// trust bundles), or the presentation. Runs in worker threads; never throws on a bad entry.
import type { DidDocument, ErrorCode } from '@agent-passport/core';
import { PASSPORT_HEADER } from '@agent-passport/http-signatures';
import { createRequestVerifier } from '@agent-passport/middleware';
import { createStatusChecker } from '@agent-passport/status';
import { parseJson } from '@agent-passport/strict-json';
import { verifyTrustBundle } from '@agent-passport/trust-bundle';
import { createVerifier } from '@agent-passport/verifier';
import { type EvidenceEntry, entryHash, PASSPORT_MARKER, sha256 } from './entry.js';

export interface CheckerInit {
  /** Trust bundles (JSON text), possibly several from different times. */
  readonly bundles: readonly string[];
  readonly authors: readonly string[];
  readonly statusMaxAgeSeconds: number;
}

/** One line to check, with the passport it refers to when an earlier line holds it. */
export interface LineItem {
  readonly line: string;
  readonly file: string;
  readonly lineNo: number;
  readonly passport?: string;
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
  readonly agent?: string;
  readonly agentName?: string;
  readonly issuer?: string;
  readonly passportId?: string;
  readonly requiredScopes?: readonly string[];
  readonly method?: string;
  readonly url?: string;
  /** Re-verification: ok, or the code it fails with. */
  readonly reverified?: boolean;
  readonly code?: ErrorCode;
  readonly message?: string;
  readonly keyId?: string;
  readonly nonce?: string;
  readonly maxCalls?: number;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
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
  const verifier = createVerifier({
    trustedIssuers: [...documents].map(([id, didDocument]) => ({ id, didDocument })),
    checkStatus: createStatusChecker({
      lists: [...lists.values()],
      maxAgeSeconds: init.statusMaxAgeSeconds,
      laterListsProveClear: true,
    }),
    clock: () => current,
  });
  // Replay and usage are judged across the whole log by the audit, not per entry here.
  const requests = createRequestVerifier({
    verifier,
    clock: () => current,
    store: { checkAndSet: async () => true, increment: async () => ({ ok: true, count: 1 }) },
    resolvePassportRef: (ref) => passports.get(ref),
    // A logged body is at most a line's size (the line limit below); the service had its own limit.
    maxBodyBytes: 4 * 1024 * 1024,
  });

  async function reverifyRequest(entry: EvidenceEntry, bytes: Uint8Array | undefined) {
    const r = entry.request;
    if (!isObject(r) || typeof r.method !== 'string' || typeof r.url !== 'string' || !isObject(r.headers))
      return { code: 'ERR_EVIDENCE_LINE' as const, message: 'the request record is incomplete' };
    const headers = new Headers();
    for (const [name, value] of Object.entries(r.headers)) {
      if (typeof value !== 'string')
        return { code: 'ERR_EVIDENCE_LINE' as const, message: 'a header is not text' };
      if (name === PASSPORT_HEADER && value === PASSPORT_MARKER) {
        if (bytes === undefined)
          return {
            code: 'ERR_EVIDENCE_PASSPORT_MISSING' as const,
            message: 'the passport is not in the log',
          };
        headers.set(name, Buffer.from(bytes).toString('base64url'));
      } else headers.set(name, value);
    }
    let body: Uint8Array | undefined;
    if (r.bodyLength > 0) {
      const signedDigest = headers.get('content-digest') ?? '';
      if (r.bodyDigest === undefined || !signedDigest.includes(r.bodyDigest))
        return {
          code: 'ERR_EVIDENCE_BODY' as const,
          message: 'the body digest is not the one the agent signed',
        };
      if (!/(^|[\s(])"content-digest"/.test(headers.get('signature-input') ?? ''))
        return {
          code: 'ERR_SIG_COMPONENT_MISSING' as const,
          message: 'the body is not covered by the signature',
        };
      if (r.body !== undefined) {
        body = new Uint8Array(Buffer.from(r.body, 'base64url'));
        const digest = `sha-256=:${Buffer.from(sha256(body), 'base64url').toString('base64')}:`;
        if (body.length !== r.bodyLength || digest !== r.bodyDigest)
          return { code: 'ERR_EVIDENCE_BODY' as const, message: 'the kept body is not the one recorded' };
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
      return { code: 'ERR_EVIDENCE_LINE' as const, message: 'the request record does not make a request' };
    }
    const v = await requests.verifyRequest(request, {
      requiredScopes: entry.requiredScopes ?? [],
      // A log that kept the digest and not the body: the digest was compared above.
      ...(r.bodyLength > 0 && body === undefined ? { bodyWithheld: true } : {}),
    });
    if (!v.verified)
      return { code: v.errors[0]?.code ?? 'ERR_VERIFIER_INTERNAL', message: v.errors[0]?.message ?? '' };
    return {
      keyId: v.keyId,
      nonce: v.nonce,
      maxCalls: v.passport?.credentialSubject.maxCalls,
    };
  }

  async function check(item: LineItem): Promise<LineResult> {
    const at = { file: item.file, lineNo: item.lineNo };
    let entry: EvidenceEntry;
    try {
      const parsed = parseJson(item.line, { maxBytes: 4 * 1024 * 1024, maxDepth: 64 });
      if (
        !isObject(parsed) ||
        parsed['v'] !== 1 ||
        !Number.isInteger(parsed['seq']) ||
        typeof parsed['hash'] !== 'string'
      )
        return { ...at, garbage: { message: 'not an evidence entry' } };
      entry = parsed as unknown as EvidenceEntry;
    } catch (e) {
      return { ...at, garbage: { message: e instanceof Error ? e.message : 'not JSON' } };
    }
    const base = {
      ...at,
      seq: entry.seq,
      time: entry.time,
      kind: entry.kind,
      prev: entry.prev,
      hash: entry.hash,
      hashOk: entryHash(entry) === entry.hash,
      loggedVerified: entry.verdict?.verified === true,
      ...(entry.agent === undefined ? {} : { agent: entry.agent }),
      ...(entry.agentName === undefined ? {} : { agentName: entry.agentName }),
      ...(entry.issuer === undefined ? {} : { issuer: entry.issuer }),
      ...(entry.passportId === undefined ? {} : { passportId: entry.passportId }),
      requiredScopes: Array.isArray(entry.requiredScopes) ? entry.requiredScopes : [],
      ...(entry.request === undefined ? {} : { method: entry.request.method, url: entry.request.url }),
    };
    const time = Date.parse(entry.time);
    if (Number.isNaN(time))
      return { ...base, reverified: false, code: 'ERR_DATE_INVALID', message: 'no valid time' };
    current = new Date(time);
    const digest = entry.passport?.digest;
    const stored = entry.passport?.bytes ?? item.passport;
    const bytes = stored === undefined ? undefined : new Uint8Array(Buffer.from(stored, 'base64url'));
    if (digest !== undefined && bytes === undefined)
      return {
        ...base,
        reverified: false,
        code: 'ERR_EVIDENCE_PASSPORT_MISSING',
        message: 'the entry names a passport that no earlier line of the log holds',
      };
    if (digest !== undefined && bytes !== undefined) passports.set(digest, bytes);
    try {
      if (entry.kind === 'request') {
        const r = await reverifyRequest(entry, bytes);
        if ('code' in r)
          return { ...base, reverified: false, code: r.code as ErrorCode, message: String(r.message) };
        return {
          ...base,
          reverified: true,
          keyId: r.keyId as string,
          nonce: r.nonce as string,
          ...(r.maxCalls === undefined ? {} : { maxCalls: r.maxCalls }),
        };
      }
      if (entry.kind === 'presentation' && typeof entry.challenge === 'string') {
        const v = await verifier.verifyPresentation(entry.presentation, {
          challenge: entry.challenge,
          ...(entry.domain === undefined ? {} : { domain: entry.domain }),
          requiredScopes: base.requiredScopes,
        });
        return v.verified
          ? { ...base, reverified: true }
          : {
              ...base,
              reverified: false,
              code: v.errors[0]?.code ?? 'ERR_VERIFIER_INTERNAL',
              message: v.errors[0]?.message ?? '',
            };
      }
      return {
        ...base,
        reverified: false,
        code: 'ERR_EVIDENCE_LINE',
        message: `unknown entry kind ${String(entry.kind)}`,
      };
    } finally {
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
