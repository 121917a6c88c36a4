// SPDX-License-Identifier: Apache-2.0
// The undefined-terms check builds the term definitions of bundled context documents once per
// process (terms.ts, BUNDLED_DEFINITIONS). Differential test: every W3C input and example, every
// fixture, and hostile context shapes (deep nesting at the depth bound, inline contexts that
// redefine or wrap bundled ones) get the same verdict from a module that has checked everything
// before (shared definitions warm, in two orders) as from a freshly loaded module (nothing shared),
// and as from a module whose bounded tables are full.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTEXTS } from '@agent-passport/contexts';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

type Json = Record<string, unknown>;
type Checks = typeof import('../src/index.js');
type Terms = typeof import('../src/terms.js');

const root = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const read = (...path: string[]) => JSON.parse(readFileSync(join(root, ...path), 'utf8'));

const V2 = 'https://www.w3.org/ns/credentials/v2';
const AP = 'https://w3id.org/agent-passport/v1';
const EX = 'https://www.w3.org/ns/credentials/examples/v2';

function nested(context: unknown, levels: number): unknown {
  let c = context;
  for (let i = 0; i < levels; i++) c = [c];
  return c;
}

function wrapped(context: unknown, levels: number): unknown {
  let c = context;
  for (let i = 0; i < levels; i++) c = { '@context': c };
  return c;
}

/** Hostile and edge context shapes around the shared definitions. */
function crafted(passport: Json): Json[] {
  const subject = passport['credentialSubject'] as Json;
  const out: Json[] = [];
  // With and without a term no context defines: past the depth bound the check is skipped.
  const undefinedTerm = { ...passport, credentialSubject: { ...subject, statusPurpose: 'revocation' } };
  for (const doc of [passport, undefinedTerm])
    for (let levels = 10; levels <= 18; levels++) {
      // The VCDM rules take only URLs and objects at the top: nesting goes inside an object.
      out.push({ ...doc, '@context': [V2, { '@context': nested(AP, levels) }] });
      out.push({ ...doc, '@context': [V2, { '@context': nested({ '@context': AP }, levels) }] });
      out.push({ ...doc, '@context': [V2, wrapped(AP, levels)] });
    }
  const scoped = (ctx: unknown) => ({
    ...passport,
    '@context': [V2, AP, { claim: { '@id': 'https://example.org/claim', '@context': ctx } }],
    credentialSubject: { ...subject, claim: { agentName: 'x', statusPurpose: 'y', undefinedHere: 1 } },
  });
  for (const ctx of [AP, V2, [V2, AP], nested(AP, 15), { '@context': V2 }, null, { agentName: null }])
    out.push(scoped(ctx));
  out.push({ ...passport, '@context': [V2, AP, { agentName: null }] });
  out.push({ ...passport, '@context': [V2, { '@vocab': 'https://example.org/v#' }, AP] });
  out.push({ ...passport, '@context': [V2, AP, 'https://example.org/unknown'] });
  out.push({ ...passport, credentialSubject: { ...subject, statusPurpose: 'revocation' } });
  return out;
}

function corpus(): Json[] {
  const docs: Json[] = [];
  const suite = read('vectors', 'w3c', 'vcdm2-test-suite-inputs.json') as { files: Record<string, Json> };
  docs.push(...Object.values(suite.files));
  const examples = read('vectors', 'w3c', 'vcdm2-examples.json') as {
    examples: { parsed?: { json: unknown }[] }[];
  };
  for (const e of examples.examples)
    for (const p of e.parsed ?? [])
      if (typeof p.json === 'object' && p.json !== null) docs.push(p.json as Json);
  const passport = read('passport.valid.json') as Json;
  docs.push(passport, read('presentation.valid.json') as Json);
  for (const f of readdirSync(join(root, 'cases'))) {
    const input = read('cases', f).input;
    if (typeof input === 'object' && input !== null) docs.push(input as Json);
  }
  docs.push(...crafted(passport));
  // Random contexts over the bundled URLs and inline definitions (fixed seed).
  const context = fc.letrec((tie) => ({
    ctx: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(V2, AP, EX, 'https://example.org/unknown'),
      fc.constant(null),
      fc.record({ agentName: fc.constantFrom(null, 'https://example.org/a', '@id') }),
      fc.record({ '@context': tie('ctx') }),
      fc.array(tie('ctx'), { maxLength: 3 }),
    ),
  })).ctx;
  for (const ctx of fc.sample(context, { numRuns: 150, seed: 22 }))
    docs.push({ ...passport, '@context': [V2, ctx] });
  return docs;
}

const verdict = (checks: Checks, doc: Json) => {
  const types = doc['type'];
  const vp = Array.isArray(types)
    ? types.includes('VerifiablePresentation')
    : types === 'VerifiablePresentation';
  return vp ? checks.checkVcdm2Presentation(doc) : checks.checkVcdm2(doc);
};

async function fresh(): Promise<Checks> {
  vi.resetModules();
  return import('../src/index.js');
}

describe('shared bundled term definitions (differential)', () => {
  it('give every document the verdict a freshly loaded module gives it', { timeout: 120_000 }, async () => {
    const docs = corpus();
    expect(docs.length).toBeGreaterThan(300);
    const warm = await fresh();
    // Warm: everything checked, forwards then backwards, before the verdicts are read.
    for (const d of docs) verdict(warm, d);
    for (const d of [...docs].reverse()) verdict(warm, d);
    const warmVerdicts = docs.map((d) => verdict(warm, d));
    let refused = 0;
    for (const [i, d] of docs.entries()) {
      const expected = verdict(await fresh(), d);
      expect(warmVerdicts[i], JSON.stringify(d).slice(0, 200)).toEqual(expected);
      if (!expected.ok && expected.code === 'ERR_VCDM_UNDEFINED_TERM') refused++;
    }
    // The corpus exercises the check, not only documents it accepts.
    expect(refused).toBeGreaterThan(10);
  });
});

/** Contexts lists a client could send: the base context, then bundled URLs in any order. */
function sequences(count: number): unknown[][] {
  const urls = [...CONTEXTS.keys()];
  const list = fc.array(fc.constantFrom(...urls), { minLength: 1, maxLength: 7 });
  return fc.sample(list, { numRuns: count, seed: 7 }).map((rest) => [V2, ...rest]);
}

describe('the shared tables are bounded', () => {
  it('hold at most MAX_SHARED_ENTRIES whatever contexts clients send', { timeout: 120_000 }, async () => {
    vi.resetModules();
    const checks: Checks = await import('../src/index.js');
    const terms: Terms = await import('../src/terms.js');
    // Every new sequence of contexts made a new shared active context (a copy of its terms).
    for (const context of sequences(3000))
      checks.checkVcdm2Presentation({ '@context': context, type: ['VerifiablePresentation'] });
    expect(terms.sharedEntryCount()).toBe(terms.MAX_SHARED_ENTRIES);
  });

  it('give every document its fresh verdict once the tables are full', { timeout: 120_000 }, async () => {
    const docs = corpus();
    vi.resetModules();
    const full: Checks = await import('../src/index.js');
    for (const context of sequences(3000))
      full.checkVcdm2Presentation({ '@context': context, type: ['VerifiablePresentation'] });
    for (const d of docs)
      expect(verdict(full, d), JSON.stringify(d).slice(0, 200)).toEqual(verdict(await fresh(), d));
  });

  it('share a bundled URL only because its document holds its definitions in one object', () => {
    // The premise of BUNDLED_URLS: applying a bundled URL goes one level deeper and asks no lookup.
    for (const [url, doc] of CONTEXTS) {
      const context = (doc as Json)['@context'];
      expect(typeof context === 'object' && context !== null && !Array.isArray(context), url).toBe(true);
      expect(Object.hasOwn(context as Json, '@context'), url).toBe(false);
    }
  });
});

describe('a shared application is a function of the bundled URL and the active context', () => {
  const KNOWN = 'https://example.org/contexts/known';
  const claimed = (context: unknown[]): Json => ({
    '@context': context,
    type: ['VerifiablePresentation'],
    claim: 'x',
  });
  const defining = { [KNOWN]: { '@context': { claim: 'https://example.org/vocab#claim' } } };
  const silent = { [KNOWN]: { '@context': { other: 'https://example.org/vocab#other' } } };

  it('never answers a URL a lookup resolves with another lookup’s definitions', async () => {
    const checks = await fresh();
    // The same URL after the same bundled context, with two different lookups, in both orders.
    expect(checks.checkVcdm2Presentation(claimed([V2, KNOWN]), { contexts: defining }).ok).toBe(true);
    expect(checks.checkVcdm2Presentation(claimed([V2, KNOWN]), { contexts: silent })).toMatchObject({
      ok: false,
      code: 'ERR_VCDM_UNDEFINED_TERM',
    });
    expect(checks.checkVcdm2Presentation(claimed([V2, KNOWN]), { contexts: defining }).ok).toBe(true);
  });

  it('never answers a URL a lookup resolves to a bundled context with another lookup’s', async () => {
    const checks = await fresh();
    const named = { '@context': [V2, KNOWN], type: ['VerifiablePresentation'], agentName: 'x' };
    // The application ends in bundled definitions, but the URL is the lookup's: never shared.
    const asPassport = { [KNOWN]: { '@context': AP } };
    const asMultikey = { [KNOWN]: { '@context': 'https://w3id.org/security/multikey/v1' } };
    for (let round = 0; round < 2; round++) {
      expect(checks.checkVcdm2Presentation(named, { contexts: asPassport }).ok).toBe(true);
      expect(checks.checkVcdm2Presentation(named, { contexts: asMultikey })).toMatchObject({
        ok: false,
        code: 'ERR_VCDM_UNDEFINED_TERM',
      });
    }
  });

  it('answers each bundled URL and each active context with their own definitions', async () => {
    const checks = await fresh();
    const MULTIKEY = 'https://w3id.org/security/multikey/v1';
    const DID = 'https://www.w3.org/ns/did/v1';
    const withAgentName = (context: unknown[]): Json => ({
      '@context': context,
      type: ['VerifiablePresentation'],
      agentName: 'x',
    });
    // agentName is defined by the passport context only: the same active context with another
    // URL, and the same URL on another active context, each get their own answer (twice: shared).
    for (let round = 0; round < 2; round++) {
      expect(checks.checkVcdm2Presentation(withAgentName([V2, AP])).ok).toBe(true);
      expect(checks.checkVcdm2Presentation(withAgentName([V2, MULTIKEY])).ok).toBe(false);
      expect(checks.checkVcdm2Presentation(withAgentName([V2, MULTIKEY, AP])).ok).toBe(true);
      expect(checks.checkVcdm2Presentation(withAgentName([V2, AP, MULTIKEY])).ok).toBe(true);
      expect(checks.checkVcdm2Presentation(withAgentName([V2, DID, MULTIKEY])).ok).toBe(false);
    }
  });
});
