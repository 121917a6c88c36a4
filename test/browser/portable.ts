// SPDX-License-Identifier: Apache-2.0
// The verification surface run in a browser and on Node alike (browser.test.ts bundles this file
// for the browser platform): fixture cases, W3C vectors, a trust bundle with status lists, a signed
// request. It imports verification entries only; every input is JSON, every answer a verdict.
import type { DidDocument, DocumentLoader } from '@agent-passport/core';
import { decodeMultikey } from '@agent-passport/did-key';
import { verifySignatureHeaders } from '@agent-passport/http-signatures';
import { withAgentPassport } from '@agent-passport/middleware/fetch';
import { agentPassport } from '@agent-passport/middleware/hono';
import { decodeList } from '@agent-passport/status';
import { createRdfcBudget, verifyProof } from '@agent-passport/suites';
import { verifyTrustBundle } from '@agent-passport/trust-bundle/bundle';
import { createVerifier, type TrustedIssuer } from '@agent-passport/verifier';

export interface FixtureInput {
  readonly name: string;
  readonly kind: 'credential' | 'presentation';
  readonly input: unknown;
  readonly options?: { challenge?: string; domain?: string; requiredScopes?: string[] };
  readonly verifier?: { acceptedPurposes?: string[]; origin?: string };
}

export interface World {
  /** The fixtures' time. */
  readonly now: string;
  /** When the bundle and the request were made (now, for them). */
  readonly liveNow: string;
  readonly trust: TrustedIssuer;
  readonly cases: readonly FixtureInput[];
  readonly vectors: readonly { name: string; document: unknown; controller: DidDocument }[];
  readonly contexts: readonly (readonly [string, unknown])[];
  readonly bundle: { file: string; author: string; passports: Record<string, unknown> };
  readonly request: { method: string; url: string; headers: [string, string][]; publicKeyMultibase: string };
  readonly encodedLists: Record<string, string>;
}

type Verdict = { verified: boolean; codes: string[]; failed?: string | undefined };

const codeOf = (e: unknown) => (e as { code?: string }).code ?? String(e);

async function fixtureCase(c: FixtureInput, w: World): Promise<Verdict> {
  const verifier = createVerifier({
    trustedIssuers: [w.trust],
    clock: () => new Date(w.now),
    ...(c.verifier ?? {}),
  });
  const r =
    c.kind === 'credential'
      ? await verifier.verifyCredential(c.input as object, c.options)
      : await verifier.verifyPresentation(c.input as object, {
          challenge: c.options?.challenge ?? '',
          ...c.options,
        });
  return {
    verified: r.verified,
    codes: r.errors.map((e) => e.code),
    failed: r.checks.find((k) => !k.ok)?.name,
  };
}

async function vector(v: World['vectors'][number], w: World): Promise<Verdict> {
  const known = new Map(w.contexts);
  const documentLoader: DocumentLoader = async (url) => {
    if (!known.has(url)) throw new Error(`unknown context ${url}`);
    return { contextUrl: null, documentUrl: url, document: known.get(url) };
  };
  const r = await verifyProof(v.document as object, {
    proofPurpose: 'assertionMethod',
    controller: v.controller,
    documentLoader,
    // The RDFC deadline is CPU time on Node but wall time in a browser (no CPU clock there): on a
    // shared test machine the default 200 ms can pass while Chromium waits for a core. Verdicts,
    // not the deadline, are compared here; limits have their own tests in suites.
    rdfcBudget: createRdfcBudget({ cpuMs: 30_000 }),
  });
  return r.verified
    ? { verified: true, codes: [], failed: r.cryptosuite }
    : { verified: false, codes: [r.code] };
}

async function bundled(w: World): Promise<Record<string, Verdict>> {
  const out: Record<string, Verdict> = {};
  const trust = await verifyTrustBundle(w.bundle.file, {
    authors: [w.bundle.author],
    now: new Date(w.liveNow),
  });
  const verifier = createVerifier({
    ...trust.verifierConfig({ statusMaxAgeSeconds: 3600 }),
    clock: () => new Date(w.liveNow),
  });
  for (const [name, passport] of Object.entries(w.bundle.passports)) {
    const r = await verifier.verifyCredential(passport as object);
    out[name] = { verified: r.verified, codes: r.errors.map((e) => e.code) };
  }
  try {
    await verifyTrustBundle(w.bundle.file.replace('"statusLists"', '"statusLists" '), {
      authors: ['did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
      now: new Date(w.liveNow),
    });
    out['other author'] = { verified: true, codes: [] };
  } catch (e) {
    out['other author'] = { verified: false, codes: [codeOf(e)] };
  }
  return out;
}

async function signedRequest(w: World, tamper: boolean): Promise<Verdict> {
  const headers = new Headers(w.request.headers);
  const url = tamper ? w.request.url.replace('/notes', '/admin') : w.request.url;
  const key = decodeMultikey(w.request.publicKeyMultibase);
  const r = await verifySignatureHeaders(new Request(url, { method: w.request.method, headers }), {
    now: new Date(w.liveNow),
    resolveKey: async () => key,
  });
  return r.ok ? { verified: true, codes: [] } : { verified: false, codes: [r.code] };
}

function lists(w: World): Record<string, Verdict> {
  const out: Record<string, Verdict> = {};
  for (const [name, encoded] of Object.entries(w.encodedLists)) {
    try {
      const bits = decodeList(encoded);
      out[name] = { verified: true, codes: [], failed: `${bits.length}:${bits.reduce((n, b) => n + b, 0)}` };
    } catch (e) {
      out[name] = { verified: false, codes: [codeOf(e)] };
    }
  }
  return out;
}

/** Every verdict, keyed by what was verified. */
export async function runAll(w: World): Promise<Record<string, Verdict>> {
  const out: Record<string, Verdict> = {};
  for (const c of w.cases) out[`case ${c.name}`] = await fixtureCase(c, w);
  for (const v of w.vectors) out[`vector ${v.name}`] = await vector(v, w);
  for (const [k, v] of Object.entries(await bundled(w))) out[`bundle ${k}`] = v;
  out['request signed'] = await signedRequest(w, false);
  out['request retargeted'] = await signedRequest(w, true);
  for (const [k, v] of Object.entries(lists(w))) out[`status list ${k}`] = v;
  out['middleware entries'] = {
    verified: typeof withAgentPassport === 'function' && typeof agentPassport === 'function',
    codes: [],
  };
  return out;
}

/** Verifications of the valid fixture passport per second, over `ms` milliseconds. */
export async function throughput(w: World, ms: number): Promise<number> {
  const verifier = createVerifier({ trustedIssuers: [w.trust], clock: () => new Date(w.now), cacheSize: 0 });
  const valid = w.cases.find((c) => c.name === 'valid-passport')?.input as object;
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ms) {
    const r = await verifier.verifyCredential(valid);
    if (!r.verified) throw new Error('the valid passport did not verify');
    n++;
  }
  return (n * 1000) / (performance.now() - start);
}
