// SPDX-License-Identifier: Apache-2.0
// The hot-path Structured Field dictionary parser and inner-list serialiser against their reference,
// the `structured-headers` library: identical results and identical refusals, on serialised
// dictionaries, on the headers this package sends, and on random mutations of them.
import fc from 'fast-check';
import {
  type BareItem,
  type Dictionary,
  type InnerList,
  parseDictionary as referenceParse,
  serializeInnerList as referenceSerializeInnerList,
  serializeDictionary,
  Token,
} from 'structured-headers';
import { describe, expect, it } from 'vitest';
import { parseDictionary, serializeInnerList } from '../src/internal/sf.js';

type Outcome = { ok: true; value: Dictionary } | { ok: false };
const run = (parse: (s: string) => Dictionary, s: string): Outcome => {
  try {
    return { ok: true, value: parse(s) };
  } catch {
    return { ok: false };
  }
};
/** Same verdict and, when parsed, the same dictionary and the same canonical inner lists. */
function agree(s: string): void {
  const fast = run(parseDictionary, s);
  const reference = run(referenceParse, s);
  expect(fast.ok, JSON.stringify(s)).toBe(reference.ok);
  if (!fast.ok || !reference.ok) return;
  expect(fast.value, JSON.stringify(s)).toStrictEqual(reference.value);
  for (const member of fast.value.values()) {
    if (!Array.isArray(member[0])) continue;
    let expected: string | undefined;
    try {
      expected = referenceSerializeInnerList(member as InnerList);
    } catch {
      expected = undefined;
    }
    if (expected !== undefined) expect(serializeInnerList(member as InnerList)).toBe(expected);
  }
}

const key = fc.stringMatching(/^[a-z*][a-z0-9_.*-]{0,6}$/);
const bare: fc.Arbitrary<BareItem> = fc.oneof(
  fc.integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 }),
  fc.integer({ min: -999_999, max: 999_999 }).map((n) => n / 1000),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 12 }),
  fc.stringMatching(/^[A-Za-z*][A-Za-z0-9:/!#$%&'*+.^_`|~-]{0,8}$/).map((t) => new Token(t)),
  fc.uint8Array({ maxLength: 20 }).map((b) => b.buffer as ArrayBuffer),
  fc.boolean(),
  fc.integer({ min: 0, max: 2_000_000_000 }).map((n) => new Date(n * 1000)),
);
const params = fc.array(fc.tuple(key, bare), { maxLength: 3 }).map((kv) => new Map(kv));
const item = fc.tuple(bare, params);
const member = fc.oneof(item, fc.tuple(fc.array(item, { maxLength: 4 }), params));
const dictionary = fc.array(fc.tuple(key, member), { minLength: 1, maxLength: 4 }).map((kv) => new Map(kv));

const SENT = [
  'sig1=("@method" "@target-uri" "content-digest" "agent-passport-ref");created=1795426676;expires=1795426736;nonce="_2jl7jhj4JWBJNo1YuRJtg";keyid="did:key:z6Mkshuf2A8QDMeMxpRDUYcVbJvKcQqGy1KSuQCHNFCEzFdW";tag="agent-passport"',
  'sig1=:VhzORpCp4bMcgvGyWGctLFttqSwe1pIbgofMp1LsoxK9LIQt0lxFnsWdHwVsFxBb6wBvLFe6URAUZgM8kaCaBQ==:',
  'sha-256=:3S42yrfksP7pwdXWU9duO/kIhcxHF9ErUQm3RRamuFY=:, sha-512=:YQ==:',
  'a=?0, b, c;foo=bar, d=(1 2.5 "x\\"y\\\\z" tok/en :AA==:);p=?1',
  '  a=1 ,\tb=2',
  'a=@1659578233, b=%"f%c3%bc"',
];

describe('Structured Field dictionaries: hot-path parser against structured-headers', () => {
  it('parses what the library serialises, to the same values (property)', { timeout: 0 }, () => {
    fc.assert(
      fc.property(dictionary, (d) => {
        let text: string;
        try {
          text = serializeDictionary(d);
        } catch {
          return; // not serialisable (e.g. a decimal the library refuses): nothing to compare
        }
        agree(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees on the headers this package sends and on hand-picked edge cases', () => {
    const edges = [
      '',
      ' ',
      'a=',
      'a=1,',
      'a=1, ',
      'A=1',
      'a=(1 2',
      'a=(1  2)',
      'a=( 1 2 )',
      'a=(1 2 )',
      'a=(1)(2)',
      'a="unterminated',
      'a="bad\\escape"',
      'a="tab\there"',
      'a="é"',
      'a="\x7f"',
      'a="\x1f"',
      'a=tok\x7f',
      'a=:YQ==\x7f:',
      'a=1234567890123456',
      'a=123456789012345',
      'a=1234567890123.5',
      'a=123456789012.5',
      'a=1.1234',
      'a=1.',
      'a=-',
      'a=--1',
      'a=-0',
      'a=?2',
      'a=?',
      'a=:abc:',
      'a=:ab=c:',
      'a=:YQ:',
      'a=:YR==:',
      'a=:Y Q==:',
      'a=:YQ==',
      'a=tok,en',
      'a=*',
      'a;b;c=1',
      'a=1;b=2;b=3, a=4',
      'a=1;  b=2',
      'a=1 ;b=2',
      'a=@12',
      'a=@12;b',
      'a=%"x"',
      'a=%"%zz"',
      'a=1\t',
      'a=1 , , b',
      '\ta=1',
    ];
    for (const s of [...SENT, ...edges]) agree(s);
  });

  it('agrees on random mutations of real headers (property)', { timeout: 0 }, () => {
    const alphabet = [
      ...new Set([
        ...SENT.join(''),
        ' ',
        '\t',
        '(',
        ')',
        ';',
        ',',
        '=',
        '"',
        '\\',
        '?',
        '@',
        '%',
        '\x7f',
        'é',
      ]),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...SENT),
        fc.array(
          fc.tuple(fc.nat(), fc.constantFrom(...alphabet), fc.constantFrom('insert', 'replace', 'delete')),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (header, edits) => {
          let s = header;
          for (const [at, ch, op] of edits) {
            const i = at % (s.length + 1);
            s =
              op === 'insert'
                ? s.slice(0, i) + ch + s.slice(i)
                : op === 'replace'
                  ? s.slice(0, i) + ch + s.slice(i + 1)
                  : s.slice(0, i) + s.slice(i + 1);
          }
          agree(s);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
