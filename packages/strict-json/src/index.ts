// SPDX-License-Identifier: Apache-2.0
export { assertJcsSafe, canonicalBytes, canonicalize } from './jcs.js';
export type { ParseOptions } from './parse.js';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, hasLoneSurrogate, parseJson } from './parse.js';
