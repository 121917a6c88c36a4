// SPDX-License-Identifier: Apache-2.0
// `name` and `description` on a credential and on its issuer (VCDM 2.0 §4.6): the cases of the W3C
// VC Data Model 2.0 test suite's names-and-descriptions inputs, with this project's own data.
import { describe, expect, it } from 'vitest';
import { checkVcdm2 } from '../src/index.js';

const V2 = 'https://www.w3.org/ns/credentials/v2';
const base = () => ({
  '@context': [V2],
  type: ['VerifiableCredential'],
  issuer: { id: 'did:example:issuer' } as Record<string, unknown>,
  credentialSubject: { id: 'did:example:subject' },
});

type Where = 'credential' | 'issuer';
function withValue(where: Where, key: 'name' | 'description', value: unknown) {
  const vc: Record<string, unknown> = base();
  if (where === 'credential') vc[key] = value;
  else vc['issuer'] = { id: 'did:example:issuer', [key]: value };
  return vc;
}

const accepted: [string, unknown][] = [
  ['ok (a plain string)', 'Agent operations badge'],
  ['language-en-ok', { '@value': 'Agent operations badge', '@language': 'en' }],
  [
    'language-direction-en-ok',
    { '@value': 'Agent operations badge', '@language': 'en', '@direction': 'ltr' },
  ],
  [
    'multi-language-ok',
    [
      { '@value': 'Agent operations badge', '@language': 'en' },
      { '@value': 'شارة عمليات الوكيل', '@language': 'ar', '@direction': 'rtl' },
    ],
  ],
];

const refused: [string, unknown, string][] = [
  ['extra-prop-en-fail', { '@value': 'Agent operations badge', '@language': 'en', extra: 'x' }, '/extra'],
  ['@value not a string', { '@value': 42, '@language': 'en' }, '/@value'],
  ['@language not a language tag', { '@value': 'badge', '@language': 'en us' }, '/@language'],
  ['@direction neither ltr nor rtl', { '@value': 'badge', '@direction': 'up' }, '/@direction'],
  ['a number', 7, ''],
  ['an empty list', [], ''],
];

describe.each(['credential', 'issuer'] as const)('%s name and description', (where) => {
  const prefix = where === 'issuer' ? '/issuer' : '';
  for (const key of ['name', 'description'] as const) {
    for (const [label, value] of accepted)
      it(`${where}-${key}-${label} is accepted`, () => {
        expect(checkVcdm2(withValue(where, key, value))).toEqual({ ok: true });
      });
    for (const [label, value, at] of refused)
      it(`${where}-${key}: ${label} is refused with ERR_VCDM_LANGUAGE_VALUE`, () => {
        expect(checkVcdm2(withValue(where, key, value))).toMatchObject({
          ok: false,
          code: 'ERR_VCDM_LANGUAGE_VALUE',
          path: `${prefix}/${key}${at}`,
        });
      });
  }

  it(`${where}: a bad value in a multi-language list is pointed at by its index`, () => {
    const value = [
      { '@value': 'badge', '@language': 'en' },
      { '@value': 'insigne', '@language': 'fr', x: 1 },
    ];
    expect(checkVcdm2(withValue(where, 'name', value))).toMatchObject({
      code: 'ERR_VCDM_LANGUAGE_VALUE',
      path: `${prefix}/name/1/x`,
    });
  });
});
