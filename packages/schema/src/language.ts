// SPDX-License-Identifier: Apache-2.0
// `name` and `description` (VCDM 2.0 §4.6, §11.1): a string, a language value object
// ({@value, @language?, @direction?} and nothing else), or a list of them. JSON-LD refuses any
// other key in a value object; the JCS path refuses it here.
import { asList, Invalid, isObject, type Json } from './internal/invalid.js';

const VALUE_KEYS = new Set(['@value', '@language', '@direction']);
/** BCP 47 language tag, syntactically (RFC 5646 §2.1, the well-formed shape). */
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;

function checkValue(value: unknown, at: string): void {
  if (typeof value === 'string') return;
  if (!isObject(value))
    throw new Invalid(
      at,
      'a name or description is a string or a language value object',
      'ERR_VCDM_LANGUAGE_VALUE',
    );
  for (const key of Object.keys(value))
    if (!VALUE_KEYS.has(key))
      throw new Invalid(
        `${at}/${key}`,
        `a language value object holds only @value, @language and @direction, not ${key}`,
        'ERR_VCDM_LANGUAGE_VALUE',
      );
  if (typeof value['@value'] !== 'string')
    throw new Invalid(`${at}/@value`, '@value must be a string', 'ERR_VCDM_LANGUAGE_VALUE');
  const language = value['@language'];
  if (language !== undefined && !(typeof language === 'string' && LANGUAGE_TAG.test(language)))
    throw new Invalid(
      `${at}/@language`,
      '@language must be a BCP 47 language tag',
      'ERR_VCDM_LANGUAGE_VALUE',
    );
  const direction = value['@direction'];
  if (direction !== undefined && direction !== 'ltr' && direction !== 'rtl')
    throw new Invalid(`${at}/@direction`, '@direction must be "ltr" or "rtl"', 'ERR_VCDM_LANGUAGE_VALUE');
}

/** The `name` and `description` of `obj` (a credential, an issuer), at `path`. */
export function checkNamesAndDescriptions(obj: Json, path: string): void {
  for (const key of ['name', 'description'] as const) {
    if (!(key in obj)) continue;
    const value = obj[key];
    if (Array.isArray(value) && value.length === 0)
      throw new Invalid(`${path}/${key}`, `${key} must not be an empty list`, 'ERR_VCDM_LANGUAGE_VALUE');
    for (const [i, v] of asList(value).entries())
      checkValue(v, `${path}/${key}${Array.isArray(value) ? `/${i}` : ''}`);
  }
}
