// SPDX-License-Identifier: Apache-2.0
// A presentation's undefined-terms walk takes each embedded credential's own walk instead of
// walking it again (JudgedNodes). Its reference is the full walk it replaces: for every fixture
// presentation and generated ones (defined and undefined terms in either document, unknown and
// inline contexts, VCDM 1.1, one credential or a list), the outcome (judged, or the refusal's code,
// path and message) is the same with and without the credentials' outcomes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Invalid, isObject, type Json } from '../src/internal/invalid.js';
import { type ContextLookup, checkDefinedTerms } from '../src/terms.js';

const V2 = 'https://www.w3.org/ns/credentials/v2';
const V1 = 'https://www.w3.org/2018/credentials/v1';
const AP = 'https://w3id.org/agent-passport/v1';
const KNOWN = 'https://example.org/contexts/known';
const UNKNOWN = 'https://example.org/contexts/unknown';
const lookup: ContextLookup = (url) =>
  url === KNOWN ? { '@context': { degree: 'https://example.org/vocab#degree' } } : undefined;

type Outcome = { judged: boolean } | { code: string; path: string; message: string };
const outcome = (f: () => boolean): Outcome => {
  try {
    return { judged: f() };
  } catch (e) {
    if (e instanceof Invalid) return { code: e.code, path: e.path, message: e.message };
    throw e;
  }
};

/** Both walks of a presentation; undefined when a credential's own walk refuses it first. */
function bothWalks(vp: Json): { reference: Outcome; reused: Outcome } | undefined {
  const vcs = vp['verifiableCredential'];
  const judged = new Map<object, boolean>();
  const list = Array.isArray(vcs) ? vcs : vcs === undefined ? [] : [vcs];
  for (const [i, vc] of list.entries()) {
    if (!isObject(vc)) continue;
    const own = outcome(() => checkDefinedTerms(vc, `/verifiableCredential/${i}`, lookup));
    if (!('judged' in own)) return undefined;
    judged.set(vc, own.judged);
  }
  return {
    reference: outcome(() => checkDefinedTerms(vp, '', lookup)),
    reused: outcome(() => checkDefinedTerms(vp, '', lookup, judged)),
  };
}

const fixtures = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const fixturePresentations = (): Json[] => {
  const cases = readdirSync(join(fixtures, 'cases')).map(
    (f) => JSON.parse(readFileSync(join(fixtures, 'cases', f), 'utf8')) as { input: unknown },
  );
  const all = [
    JSON.parse(readFileSync(join(fixtures, 'presentation.valid.json'), 'utf8')),
    ...cases.map((c) => c.input),
  ];
  return all.filter((v): v is Json => isObject(v) && v['verifiableCredential'] !== undefined);
};

const context = fc.constantFrom<unknown[]>(
  [V2],
  [V2, AP],
  [V2, KNOWN],
  [V2, UNKNOWN],
  [V2, { degree: 'https://example.org/vocab#degree' }],
  [V2, { '@vocab': 'https://example.org/vocab#' }],
  [V1],
);
const claim = fc.constantFrom('degree', 'name', 'statusEntry', 'https://example.org/x', 'agentName');
const credential = fc
  .record({ ctx: context, claims: fc.uniqueArray(claim, { maxLength: 2 }), types: fc.boolean() })
  .map(({ ctx, claims, types }) => ({
    '@context': ctx,
    type: types ? ['VerifiableCredential', 'AgentPassport'] : ['VerifiableCredential'],
    issuer: 'did:example:issuer',
    credentialSubject: Object.fromEntries([['id', 'did:example:s'], ...claims.map((c) => [c, 'v'])]),
    ...Object.fromEntries(claims.map((c) => [c, 'top'])),
  }));
const presentation = fc
  .record({
    ctx: context,
    vcs: fc.array(credential, { minLength: 1, maxLength: 2 }),
    single: fc.boolean(),
    before: fc.uniqueArray(claim, { maxLength: 1 }),
    after: fc.uniqueArray(claim, { maxLength: 1 }),
  })
  .map(({ ctx, vcs, single, before, after }) => ({
    // Keys before and after verifiableCredential: a refusal or an unknown context on either side.
    ...Object.fromEntries(before.map((c) => [c, 'v'])),
    '@context': ctx,
    type: ['VerifiablePresentation'],
    verifiableCredential: single ? vcs[0] : vcs,
    ...Object.fromEntries(after.map((c) => [`${c}`, 'w'])),
  }));

describe('the presentation walk reuses each credential walk (JudgedNodes)', () => {
  it('has the full walk outcome on every fixture presentation', () => {
    const found = fixturePresentations();
    expect(found.length).toBeGreaterThan(5);
    for (const vp of found) {
      const r = bothWalks(vp);
      if (r !== undefined) expect(r.reused).toEqual(r.reference);
    }
  });

  it('has the full walk outcome on generated presentations (property)', { timeout: 0 }, () => {
    const seen = { judged: 0, unjudged: 0, refused: 0 };
    fc.assert(
      fc.property(presentation, (vp) => {
        const r = bothWalks(vp);
        if (r === undefined) return;
        expect(r.reused).toEqual(r.reference);
        if ('code' in r.reference) seen.refused++;
        else if (r.reference.judged) seen.judged++;
        else seen.unjudged++;
      }),
      { numRuns: 600 },
    );
    // Every kind of outcome was compared.
    expect(seen.judged).toBeGreaterThan(10);
    expect(seen.unjudged).toBeGreaterThan(10);
    expect(seen.refused).toBeGreaterThan(10);
  });

  it('an unjudgeable credential still stops the presentation walk where the full walk stopped', () => {
    const vp = {
      '@context': [V2],
      type: ['VerifiablePresentation'],
      verifiableCredential: [{ '@context': [V2, UNKNOWN], type: ['VerifiableCredential'], issuer: 'x' }],
      zzz: 'undefined after the credential',
    };
    expect(bothWalks(vp)).toEqual({ reference: { judged: false }, reused: { judged: false } });
    const earlier = { aaa: 'undefined before the credential', ...vp };
    expect(bothWalks(earlier)?.reused).toMatchObject({ code: 'ERR_VCDM_UNDEFINED_TERM', path: '/aaa' });
  });
});
