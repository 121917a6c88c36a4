// SPDX-License-Identifier: Apache-2.0
// The failure every data-model rule throws: a code, the JSON Pointer of the offending value, and why.

/** The codes the data-model rules report. */
export type Vcdm2Code =
  | 'ERR_VCDM_INVALID'
  | 'ERR_VCDM_RELATED_RESOURCE'
  | 'ERR_VCDM_DIGEST_MISMATCH'
  | 'ERR_VCDM_LANGUAGE_VALUE'
  | 'ERR_VCDM_UNDEFINED_TERM';

export class Invalid extends Error {
  constructor(
    readonly path: string,
    message: string,
    readonly code: Vcdm2Code = 'ERR_VCDM_INVALID',
  ) {
    super(message);
  }
}

// The toolkit's one JSON-object guard (core), under the names this package's rules use.
export { isObject, type JsonObject as Json } from '@agent-passport/core';
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** RFC 3986 absolute URI (scheme ":" …) with no white space or controls. */
export function isUrl(v: unknown): v is string {
  return (
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    typeof v === 'string' && v.length <= 4096 && /^[A-Za-z][A-Za-z0-9+.-]*:[^\s\u0000-\u001f\u007f]*$/.test(v)
  );
}
