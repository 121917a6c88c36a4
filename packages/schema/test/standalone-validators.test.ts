// SPDX-License-Identifier: Apache-2.0
// The generated (standalone) validators against their reference, Ajv compiling the same schema at
// run time with the same options: the generator guards every code-point length check with the
// string's length (scripts/generate.mjs), and nothing else may differ. Valid passports and
// delegations, every fixture credential, strings at each length limit in BMP, astral and
// lone-surrogate characters, and random replacements of any field (property): the same verdict
// and the same first error (path, keyword, message).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAjv } from '../scripts/ajv.mjs';
import { AGENT_DELEGATION_SCHEMA_JSON } from '../src/delegation-generated.js';
import { AGENT_PASSPORT_SCHEMA_JSON } from '../src/generated.js';
import { validate as generatedDelegation } from '../src/validate-delegation-generated.js';
import { validate as generatedPassport } from '../src/validate-generated.js';

type Json = Record<string, unknown>;
type Validate = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; keyword: string; message?: string }[] | null;
};
const ajv = createAjv();
const pairs: [string, Validate, Validate][] = [
  ['passport', generatedPassport as unknown as Validate, ajv.compile(AGENT_PASSPORT_SCHEMA_JSON) as Validate],
  [
    'delegation',
    generatedDelegation as unknown as Validate,
    ajv.compile(AGENT_DELEGATION_SCHEMA_JSON) as Validate,
  ],
];

const verdict = (v: Validate, data: unknown) =>
  v(data)
    ? { ok: true }
    : { ok: false, errors: (v.errors ?? []).map((e) => [e.instancePath, e.keyword, e.message]) };

const fixtures = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const passport = JSON.parse(readFileSync(join(fixtures, 'passport.valid.json'), 'utf8')) as Json;
const fixtureDocuments = (): unknown[] =>
  readdirSync(join(fixtures, 'cases')).flatMap((f) => {
    const input = (JSON.parse(readFileSync(join(fixtures, 'cases', f), 'utf8')) as { input: unknown }).input;
    const vcs =
      typeof input === 'object' && input !== null ? (input as Json)['verifiableCredential'] : undefined;
    return [input, ...(Array.isArray(vcs) ? vcs : [])];
  });

/** Every array of a document, by path: a string appended to it reaches its items' checks. */
function arrayPaths(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof v !== 'object' || v === null) return [];
  const inner = Object.entries(v).flatMap(([k, x]) =>
    arrayPaths(x, [...path, Array.isArray(v) ? Number(k) : k]),
  );
  return Array.isArray(v) ? [path, ...inner] : inner;
}
const appended = (doc: Json, path: (string | number)[], value: string): Json => {
  const copy = structuredClone(doc);
  let node = copy as Record<string | number, unknown>;
  for (const p of path) node = node[p] as Record<string | number, unknown>;
  (node as unknown as unknown[]).push(value);
  return copy;
};

/** Every string leaf of a document, by path. */
function stringPaths(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof v === 'string') return [path];
  if (typeof v !== 'object' || v === null) return [];
  return Object.entries(v).flatMap(([k, x]) => stringPaths(x, [...path, Array.isArray(v) ? Number(k) : k]));
}
function replaced(doc: Json, path: (string | number)[], value: unknown): Json {
  const copy = structuredClone(doc);
  let parent = copy as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
  parent[path[path.length - 1] as string | number] = value;
  return copy;
}

const LIMITS = [0, 1, 2, 63, 64, 65, 127, 128, 129, 199, 200, 201, 255, 256, 257, 511, 512, 513, 1024, 1025];
const fill = (unit: string, n: number) => unit.repeat(n);

describe('generated validators and Ajv compiled at run time agree', () => {
  it.each(pairs)('%s: on every fixture document', (_name, generated, reference) => {
    const docs = [passport, ...fixtureDocuments()];
    expect(docs.length).toBeGreaterThan(40);
    for (const doc of docs) expect(verdict(generated, doc)).toEqual(verdict(reference, doc));
  });

  it.each(pairs)(
    '%s: on every string at every length limit, BMP, astral and lone surrogates',
    (_name, generated, reference) => {
      let refused = 0;
      for (const path of stringPaths(passport)) {
        for (const n of LIMITS) {
          for (const unit of ['a', '\u00e9', '\ud83d\ude00', '\ud800', 'a\ud83d\ude00']) {
            const doc = replaced(passport, path, fill(unit, n));
            const r = verdict(reference, doc);
            expect(verdict(generated, doc)).toEqual(r);
            if (!r.ok) refused++;
          }
          for (const array of arrayPaths(passport)) {
            const doc = appended(passport, array, `${fill('\ud83d\ude00', n)}`);
            expect(verdict(generated, doc)).toEqual(verdict(reference, doc));
            const plain = appended(passport, array, `x:${fill('a', n)}`);
            expect(verdict(generated, plain)).toEqual(verdict(reference, plain));
          }
          // A string whose code-point length sits at the limit while its UTF-16 length is past it.
          const astral = replaced(
            passport,
            path,
            `${fill('\ud83d\ude00', Math.floor(n / 2))}${fill('b', n % 2)}`,
          );
          expect(verdict(generated, astral)).toEqual(verdict(reference, astral));
        }
      }
      expect(refused).toBeGreaterThan(100);
    },
  );

  it('both schemas: on random replacements of any field (property)', { timeout: 0 }, () => {
    const paths = stringPaths(passport);
    for (const [, generated, reference] of pairs)
      fc.assert(
        fc.property(
          fc.nat(),
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 600 }),
            fc.string({ unit: 'grapheme', maxLength: 300 }),
            fc.jsonValue({ maxDepth: 2 }),
          ),
          (pick, value) => {
            const doc = replaced(passport, paths[pick % paths.length] as (string | number)[], value);
            expect(verdict(generated, doc)).toEqual(verdict(reference, doc));
          },
        ),
        { numRuns: 500 },
      );
  });
});
