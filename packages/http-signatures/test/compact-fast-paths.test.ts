// SPDX-License-Identifier: Apache-2.0
// The request path's fast paths against their reference paths, on the wire-format vectors, the
// headers signRequest sends, hostile headers, generated headers and random mutations of them:
// - the compact Signature-Input/Signature reader (sf-compact.ts) answers only where the general
//   reader (and the `structured-headers` library) gives exactly the same fields;
// - the compact Content-Digest check gives the general check's verdict;
// - a Request's `url` is its own serialisation, so @target-uri needs no new URL.
import { sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateKeyObject, randomSecretKey } from '@agent-passport/did-key';
import fc from 'fast-check';
import {
  type InnerList,
  parseDictionary as referenceParse,
  serializeInnerList as referenceSerializeInnerList,
  serializeDictionary,
  Token,
} from 'structured-headers';
import { describe, expect, it } from 'vitest';
import { checkContentDigest, checkDigestDictionary, contentDigest } from '../src/digest.js';
import { signRequest } from '../src/index.js';
import { compactSignatureFields } from '../src/internal/sf-compact.js';
import { generalSignatureFields } from '../src/internal/signature-fields.js';
import { SIGNATURE_LIMITS } from '../src/verify.js';

interface Step {
  request: { headers: Record<string, string> };
}
const vectors = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../fixtures/vectors/agent-passport/requests.json'), 'utf8'),
) as { vectors: { steps: Step[] }[] };
const vectorHeaders = vectors.vectors.flatMap((v) => v.steps.map((s) => s.request.headers));

const privateKey = privateKeyObject('Ed25519', randomSecretKey('Ed25519'));
const signer = (data: Uint8Array) => new Uint8Array(sign(null, data, privateKey));
const REF = 'sha-256=:Q+ueJPDp4YdW/u0RQIIIaQRd+22PZfYfPtjqDF2fqjY=:';

/** Where the compact reader answers, the general reader gives the same fields; and the library agrees. */
function agree(input: string, signature: string, label?: string): boolean {
  const compact = compactSignatureFields(input, signature, label, SIGNATURE_LIMITS);
  if (compact === undefined) return false;
  const general = generalSignatureFields(input, signature, label, SIGNATURE_LIMITS);
  expect(general, JSON.stringify([input, signature])).toStrictEqual(compact);
  const member = referenceParse(input).get(compact.label) as InnerList;
  expect(compact.paramsValue).toBe(referenceSerializeInnerList(member));
  expect(compact.components).toStrictEqual(member[0].map(([c]) => c));
  expect(compact.params).toStrictEqual(member[1]);
  const bytes = referenceParse(signature).get(compact.label)?.[0] as ArrayBuffer;
  expect(compact.signature).toStrictEqual(new Uint8Array(bytes));
  return true;
}

async function sent(): Promise<[string, string][]> {
  const body = JSON.stringify({ query: 'agent identity', limit: 10 });
  const requests = [
    await signRequest(new Request('https://api.example/papers/search', { method: 'POST', body }), {
      keyId: REF,
      signer,
    }),
    await signRequest(new Request('https://api.example/papers/42?x=1'), {
      keyId: 'did:key:z6MkAgent#z6MkAgent',
      signer,
      extraHeaders: { 'agent-passport': 'eyJ9' },
      includeAlg: true,
      label: 'a*b.c-d_e',
    }),
  ];
  return requests.map((r) => [r.headers.get('signature-input') ?? '', r.headers.get('signature') ?? '']);
}

const SIG = 'sig1=:VhzORpCp4bMcgvGyWGctLFttqSwe1pIbgofMp1LsoxK9LIQt0lxFnsWdHwVsFxBb6wBvLFe6URAUZgM8kaCaBQ==:';
const INPUT = `sig1=("@method" "@target-uri" "content-digest");created=1796184842;expires=1796184902;nonce="m-Ular6BrzlL3AQ26d-5LQ";keyid="${REF}";tag="agent-passport"`;

describe('compact Signature-Input/Signature reader against the general reader', () => {
  it('answers on every signature signRequest sends and every vector of the wire format', async () => {
    for (const [input, signature] of await sent()) expect(agree(input, signature)).toBe(true);
    let answered = 0;
    for (const h of vectorHeaders) {
      const input = h['signature-input'];
      const signature = h['signature'];
      if (input !== undefined && signature !== undefined && agree(input, signature)) answered++;
    }
    expect(answered).toBeGreaterThan(vectorHeaders.length / 2);
  });

  it('leaves every other shape to the general reader (hostile and unusual headers)', () => {
    const declined: [string, string, string?][] = [
      [INPUT, SIG, 'sig2'], // another label configured
      [` ${INPUT}`, SIG],
      [`${INPUT} `, SIG],
      [`${INPUT}, sig2=("@method");created=1`, SIG],
      [INPUT.replace('" "', '"  "'), SIG],
      [INPUT.replace('("', '( "'), SIG],
      [INPUT.replace('"@method"', '"@method";x'), SIG],
      [INPUT.replace('"@method"', '"@target-uri"'), SIG], // covered twice
      [INPUT.replace('"@method"', '"a\\"b"'), SIG],
      [INPUT.replace('created=1796184842', 'created=01796184842'), SIG],
      [INPUT.replace('created=1796184842', 'created=-1'), SIG],
      [INPUT.replace('created=1796184842', 'created=1796184842.5'), SIG],
      [INPUT.replace('created=1796184842', 'created=1234567890123456'), SIG],
      [INPUT.replace('tag="agent-passport"', 'tag=agent-passport'), SIG],
      [INPUT.replace('tag="agent-passport"', 'tag'), SIG],
      [INPUT.replace('tag="agent-passport"', 'tag=?1'), SIG],
      [INPUT.replace('tag="agent-passport"', 'created=1'), SIG], // a parameter twice
      [INPUT.replace('tag="agent-passport"', 'tag="agent-passport";'), SIG],
      [INPUT.replace('tag="agent-passport"', 'tag="\x7f"'), SIG],
      [INPUT.replace('tag="agent-passport"', 'tag="é"'), SIG],
      [INPUT.replace(';tag', '; tag'), SIG],
      [INPUT.replace('sig1', 'Sig1'), SIG],
      [`sig1=(${Array.from({ length: 33 }, (_, i) => `"h${i}"`).join(' ')});created=1`, SIG],
      [`sig1=("@method")${Array.from({ length: 17 }, (_, i) => `;p${i}=1`).join('')}`, SIG],
      [INPUT, SIG.replace('sig1', 'sig2')],
      [INPUT, `${SIG}, sig2=:YQ==:`],
      [INPUT, SIG.replace('==:', ':')],
      [INPUT, SIG.replace('==:', '=:')],
      [INPUT, SIG.replace('Vhz', 'V-z')],
      [INPUT, SIG.replace('Vhz', 'V_z')],
      [INPUT, SIG.replace('Vhz', 'V=z')],
      [INPUT, SIG.replace('sig1=:', 'sig1=')],
      [INPUT, SIG.slice(0, -1)],
      [INPUT, `${SIG};p`],
      [INPUT, 'sig1'],
      [INPUT, ''],
      ['', SIG],
    ];
    for (const [input, signature, label] of declined)
      expect(compactSignatureFields(input, signature, label, SIGNATURE_LIMITS), input).toBeUndefined();
    // What it does take: the configured label, no components, a `0`, an empty string, empty bytes,
    // and base64 whose unused bits are set (decoded as atob does).
    expect(agree(INPUT, SIG, 'sig1')).toBe(true);
    expect(agree('sig1=();created=0;nonce=""', 'sig1=::')).toBe(true);
    expect(agree(INPUT, 'sig1=:YR==:')).toBe(true);
  });

  const key = fc.stringMatching(/^[a-z*][a-z0-9_.*-]{0,6}$/);
  const plain = fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: 12,
  });
  const value = fc.oneof(
    fc.integer({ min: 0, max: 999_999_999_999_999 }),
    fc.integer({ min: -999, max: 999 }),
    plain,
    fc.stringMatching(/^[A-Za-z*][A-Za-z0-9:/!#$%&'*+.^_`|~-]{0,8}$/).map((t) => new Token(t)),
    fc.boolean(),
    fc.integer({ min: -9999, max: 9999 }).map((n) => n / 100),
  );
  const params = fc.array(fc.tuple(key, value), { maxLength: 8 }).map((kv) => new Map(kv));
  const items = fc.array(fc.tuple(plain, fc.constant(new Map())), { maxLength: 6 });

  it('gives the general fields on generated signatures, wherever it answers (property)', {
    timeout: 0,
  }, () => {
    let answered = 0;
    fc.assert(
      fc.property(key, items, params, fc.uint8Array({ maxLength: 70 }), (label, list, ps, bytes) => {
        const input = serializeDictionary(new Map([[label, [list, ps]]]));
        const signature = serializeDictionary(new Map([[label, [bytes.buffer as ArrayBuffer, new Map()]]]));
        if (agree(input, signature)) answered++;
      }),
      { numRuns: 2000 },
    );
    expect(answered).toBeGreaterThan(200);
  });

  it('gives the general fields on random mutations of real headers, wherever it answers (property)', {
    timeout: 0,
  }, async () => {
    const pairs = [[INPUT, SIG] as [string, string], ...(await sent())];
    const alphabet = [
      ...new Set([
        ...pairs.flat().join(''),
        ' ',
        '\t',
        '(',
        ')',
        ';',
        ',',
        '=',
        '"',
        '\\',
        ':',
        '?',
        '\x7f',
        'é',
      ]),
    ];
    const edits = fc.array(
      fc.tuple(fc.nat(), fc.constantFrom(...alphabet), fc.constantFrom('insert', 'replace', 'delete')),
      { minLength: 1, maxLength: 3 },
    );
    const mutate = (s: string, list: [number, string, string][]) => {
      let out = s;
      for (const [at, ch, op] of list) {
        const i = at % (out.length + 1);
        const tail = op === 'insert' ? out.slice(i) : out.slice(i + 1);
        out = out.slice(0, i) + (op === 'delete' ? '' : ch) + tail;
      }
      return out;
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...pairs),
        edits,
        edits,
        fc.boolean(),
        ([input, signature], e1, e2, both) => {
          agree(mutate(input, e1), both ? mutate(signature, e2) : signature);
        },
      ),
      { numRuns: 4000 },
    );
  });
});

describe('compact Content-Digest check against the general check', () => {
  const verdict = (header: string, body: Uint8Array) => {
    const fast = checkContentDigest(header, body);
    expect(fast, header).toStrictEqual(checkDigestDictionary(header, body, undefined));
    return fast.ok;
  };
  const body = new TextEncoder().encode('{"query":"agent identity","limit":10}');
  const digest = contentDigest(body);

  it('agrees on the digest contentDigest sends, vectors, and hostile headers', () => {
    expect(verdict(digest, body)).toBe(true);
    expect(verdict(digest, body.subarray(1))).toBe(false);
    // The same digest with non-zero unused bits in its last character: the general path decides.
    const last = digest.at(-3) ?? 'A';
    const sibling = `${digest.slice(0, -3)}${String.fromCharCode(last.charCodeAt(0) + 1)}=:`;
    verdict(sibling, body);
    for (const h of [
      `${digest}, sha-512=:YQ==:`,
      ` ${digest}`,
      digest.replace('=:', ':'),
      'sha-256=:YQ==:',
      'x',
    ])
      verdict(h, body);
    for (const h of vectorHeaders) {
      const header = h['content-digest'];
      if (header !== undefined) verdict(header, new TextEncoder().encode('{"note":"hello"}'));
    }
  });

  it('agrees on random bodies and mutated digests (property)', { timeout: 0 }, () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.nat(),
        fc.integer({ min: 0x20, max: 0x7e }),
        (b, at, ch) => {
          const h = contentDigest(b);
          expect(verdict(h, b)).toBe(true);
          const i = at % h.length;
          verdict(h.slice(0, i) + String.fromCharCode(ch) + h.slice(i + 1), b);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('@target-uri from a Request: its url is its own serialisation', () => {
  it('new URL(request.url).href === request.url (property, odd hosts, paths and queries)', {
    timeout: 0,
  }, () => {
    const part = fc.string({
      unit: fc.constantFrom(...'aZ09-._~%/?#[]@!$&\'()*+,;= é\u00a0\\|^`{}<>"'),
      maxLength: 16,
    });
    const host = fc.constantFrom(
      'api.example',
      'API.Example',
      '127.0.0.1',
      '[::1]',
      'xn--bcher-kva.example',
      'bücher.example',
      '0x7f.1',
    );
    fc.assert(
      fc.property(
        fc.constantFrom('http', 'https', 'HTTPS'),
        host,
        fc.constantFrom('', ':443', ':8080', ':80'),
        part,
        (s, h, port, rest) => {
          let request: Request;
          try {
            request = new Request(`${s}://${h}${port}/${rest}`);
          } catch {
            return;
          }
          expect(new URL(request.url).href).toBe(request.url);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
