// SPDX-License-Identifier: Apache-2.0
// The bundled contexts: byte-identical to their published npm copies, embedded in sync, and served
// by a loader that never fetches.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassportError } from '@agent-passport/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AGENT_PASSPORT_V1_CONTEXT,
  CONTEXT_DIGESTS,
  CONTEXTS,
  createDocumentLoader,
  VC_V1_CONTEXT,
  VC_V2_CONTEXT,
} from '../src/index.js';

const root = join(import.meta.dirname, '..', '..', '..');
const index = JSON.parse(readFileSync(join(root, 'contexts', 'index.json'), 'utf8')) as Record<
  string,
  string
>;

describe('contexts/', () => {
  const upstream: Record<string, string> = {
    'credentials-v2.jsonld': '@digitalbazaar/credentials-context/contexts/v2.jsonld',
    'credentials-v1.jsonld': '@digitalbazaar/credentials-context/contexts/v1.jsonld',
    'did-v1.jsonld': 'did-context/contexts/did-v1.jsonld',
    'multikey-v1.jsonld': '@digitalbazaar/multikey-context/contexts/multikey-v1.jsonld',
    'data-integrity-v2.jsonld': '@digitalbazaar/data-integrity-context/contexts/data-integrity-v2.jsonld',
  };
  for (const [file, source] of Object.entries(upstream)) {
    it(`${file} is byte-identical to ${source}`, () => {
      expect(readFileSync(join(root, 'contexts', file))).toEqual(
        readFileSync(join(root, 'node_modules', source)),
      );
    });
  }

  it('src/generated.ts is in sync with contexts/ (node scripts/generate.mjs)', () => {
    const before = readFileSync(join(import.meta.dirname, '..', 'src', 'generated.ts'), 'utf8');
    execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'generate.mjs')]);
    expect(readFileSync(join(import.meta.dirname, '..', 'src', 'generated.ts'), 'utf8')).toBe(before);
  });

  it('every URL in index.json is served, equal to its file', () => {
    for (const [url, file] of Object.entries(index)) {
      expect(CONTEXTS.get(url), url).toEqual(JSON.parse(readFileSync(join(root, 'contexts', file), 'utf8')));
    }
  });

  it('every context has the SHA-2 digests of its published bytes (relatedResource digests)', () => {
    for (const [url, file] of Object.entries(index)) {
      const bytes = readFileSync(join(root, 'contexts', file));
      for (const alg of ['sha256', 'sha384', 'sha512'] as const)
        expect(CONTEXT_DIGESTS.get(url)?.[alg], `${url} ${alg}`).toBe(
          createHash(alg).update(bytes).digest('base64'),
        );
    }
    // The published bytes, not a re-serialisation: the parsed JSON hashes differently.
    const v2 = CONTEXT_DIGESTS.get(VC_V2_CONTEXT)?.sha384;
    expect(v2).not.toBe(
      createHash('sha384')
        .update(JSON.stringify(CONTEXTS.get(VC_V2_CONTEXT)))
        .digest('base64'),
    );
  });

  it('bundles the VCDM 1.1 context next to 2.0', () => {
    expect(CONTEXTS.has(VC_V1_CONTEXT)).toBe(true);
    expect(index[VC_V1_CONTEXT]).toBe('credentials-v1.jsonld');
  });

  it('the AgentPassport context is protected and defines every passport claim', () => {
    const ctx = (CONTEXTS.get(AGENT_PASSPORT_V1_CONTEXT) as { '@context': Record<string, unknown> })[
      '@context'
    ];
    expect(ctx['@protected']).toBe(true);
    for (const term of [
      'AgentPassport',
      'agentName',
      'purpose',
      'scopes',
      'maxCalls',
      'audience',
      'delegation',
      'constraints',
    ]) {
      expect(ctx[term], term).toBeDefined();
    }
  });
});

describe('createDocumentLoader (closed world)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('answers bundled contexts without touching the network', async () => {
    const fetchSpy = vi.fn(() => {
      throw new Error('network used');
    });
    vi.stubGlobal('fetch', fetchSpy);
    const loader = createDocumentLoader();
    for (const url of Object.keys(index)) {
      const r = await loader(url);
      expect(r).toMatchObject({ contextUrl: null, documentUrl: url });
      expect(Object.isFrozen(r.document)).toBe(true);
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('refuses unknown URLs with ERR_DOCUMENT_NOT_FOUND, and never fetches them', async () => {
    const fetchSpy = vi.fn();
    vi.stubGlobal('fetch', fetchSpy);
    const loader = createDocumentLoader();
    for (const url of [
      'https://www.w3.org/2018/credentials/v2',
      'https://evil.example/ctx',
      'did:key:z6Mk',
      `${VC_V2_CONTEXT}/`,
    ]) {
      await expect(loader(url)).rejects.toMatchObject({ code: 'ERR_DOCUMENT_NOT_FOUND' });
    }
    await expect(loader(42 as never)).rejects.toBeInstanceOf(PassportError);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('asks the given resolver for DIDs, and serves extra documents', async () => {
    const loader = createDocumentLoader({
      resolveDid: (u) => (u === 'did:example:1' ? { id: u } : undefined),
      extra: { 'https://example.org/ctx': { '@context': {} } },
    });
    expect((await loader('did:example:1')).document).toEqual({ id: 'did:example:1' });
    await expect(loader('did:example:2')).rejects.toMatchObject({ code: 'ERR_DOCUMENT_NOT_FOUND' });
    expect((await loader('https://example.org/ctx')).document).toEqual({ '@context': {} });
  });
});
