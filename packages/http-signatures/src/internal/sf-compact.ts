// SPDX-License-Identifier: Apache-2.0
// Signature-Input and Signature in the exact shape signRequest sends, read without the general
// Structured Field parser: one member each, under the same label; a canonical inner list of plain,
// distinct strings; parameters with distinct keys whose values are plain strings or canonical
// non-negative integers; one byte sequence in strict padded base64. Such an inner list is its own
// canonical serialisation, so @signature-params is the header's text after `label=`.
// Anything else (white space, escapes, tokens, decimals, booleans, a second member, duplicates,
// more than the limits) gives undefined and the caller takes the general parser, which stays the
// reference: a differential test requires identical fields wherever this parser answers.
import type { BareItem, Parameters } from 'structured-headers';
import { isDigit, isKeyChar, isLcalpha } from './sf.js';

/** What a verifier reads of one signature: its label, components, parameters and bytes. */
export interface SignatureFields {
  readonly label: string;
  /** The covered components, in order: plain strings, each once. */
  readonly components: string[];
  readonly params: Parameters;
  /** The canonical serialisation of the label's inner list (RFC 9421 §2.3 @signature-params). */
  readonly paramsValue: string;
  readonly signature: Uint8Array;
}

/** The limits the general path enforces (SIGNATURE_LIMITS): past them, the general path answers. */
export interface CompactLimits {
  readonly components: number;
  readonly parameters: number;
}

const SP = 0x20;
const QUOTE = 0x22;
/** Printable ASCII but `"` and `\`: a string serialised exactly as it reads. */
const isPlain = (c: number) => c >= SP && c <= 0x7e && c !== QUOTE && c !== 0x5c;

/** The end of a key starting at `at` (RFC 8941 key), or -1. */
function keyEnd(s: string, at: number): number {
  const first = s.charCodeAt(at);
  if (!(isLcalpha(first) || first === 0x2a)) return -1;
  let i = at + 1;
  while (isKeyChar(s.charCodeAt(i))) i++;
  return i;
}

/** The closing quote of a plain string opened at `at` - 1, or -1. */
function plainEnd(s: string, at: number): number {
  for (let i = at; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) return i;
    if (!isPlain(c)) return -1;
  }
  return -1;
}

/** The end of a canonical integer (0, or no leading zero; at most 15 digits), or -1. */
function integerEnd(s: string, at: number): number {
  let i = at;
  while (isDigit(s.charCodeAt(i))) i++;
  const digits = i - at;
  if (digits === 0 || digits > 15 || (digits > 1 && s.charCodeAt(at) === 0x30)) return -1;
  return i;
}

/** `("a" "b" …)` from `at`: the components and the position after `)`, or undefined. */
function components(s: string, at: number, max: number): { list: string[]; end: number } | undefined {
  const list: string[] = [];
  let i = at;
  if (s.charCodeAt(i) === 0x29) return { list, end: i + 1 };
  for (;;) {
    if (s.charCodeAt(i) !== QUOTE) return undefined;
    const end = plainEnd(s, i + 1);
    if (end < 0) return undefined;
    const id = s.slice(i + 1, end);
    if (list.length === max || list.includes(id)) return undefined;
    list.push(id);
    i = end + 1;
    const next = s.charCodeAt(i);
    if (next === 0x29) return { list, end: i + 1 };
    if (next !== SP) return undefined;
    i++;
  }
}

/** `;key=value…` from `at` to the end of the header, or undefined. */
function parameters(s: string, at: number, max: number): Parameters | undefined {
  const params: Parameters = new Map();
  let i = at;
  while (i < s.length) {
    if (s.charCodeAt(i) !== 0x3b || params.size === max) return undefined;
    const end = keyEnd(s, i + 1);
    if (end < 0 || s.charCodeAt(end) !== 0x3d) return undefined;
    const key = s.slice(i + 1, end);
    if (params.has(key)) return undefined;
    let value: BareItem;
    if (s.charCodeAt(end + 1) === QUOTE) {
      const close = plainEnd(s, end + 2);
      if (close < 0) return undefined;
      value = s.slice(end + 2, close);
      i = close + 1;
    } else {
      const close = integerEnd(s, end + 1);
      if (close < 0) return undefined;
      value = Number.parseInt(s.slice(end + 1, close), 10);
      i = close;
    }
    params.set(key, value);
  }
  return params;
}

/** `label=:base64:` in strict padded base64, decoded as the general parser does (atob), or undefined. */
function signatureBytes(s: string, label: string): Uint8Array | undefined {
  const start = label.length + 2;
  if (!s.startsWith(label) || s.charCodeAt(label.length) !== 0x3d || s.charCodeAt(start - 1) !== 0x3a)
    return undefined;
  const end = s.length - 1;
  if (end < start || s.charCodeAt(end) !== 0x3a || (end - start) % 4 !== 0) return undefined;
  let data = end;
  if (s.charCodeAt(data - 1) === 0x3d) data--;
  if (data > start && s.charCodeAt(data - 1) === 0x3d) data--;
  for (let i = start; i < data; i++) {
    const c = s.charCodeAt(i);
    const ok = isDigit(c) || isLcalpha(c) || (c >= 0x41 && c <= 0x5a) || c === 0x2b || c === 0x2f;
    if (!ok) return undefined;
  }
  const binary = atob(s.slice(start, end));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The fields of a signature in the compact shape, or undefined (then the general parser decides).
 * `wanted`: the configured label, when there is one.
 */
export function compactSignatureFields(
  input: string,
  signature: string,
  wanted: string | undefined,
  limits: CompactLimits,
): SignatureFields | undefined {
  const eq = keyEnd(input, 0);
  if (eq < 0 || input.charCodeAt(eq) !== 0x3d || input.charCodeAt(eq + 1) !== 0x28) return undefined;
  const label = input.slice(0, eq);
  if (wanted !== undefined && wanted !== label) return undefined;
  const list = components(input, eq + 2, limits.components);
  if (list === undefined) return undefined;
  const params = parameters(input, list.end, limits.parameters);
  if (params === undefined) return undefined;
  const bytes = signatureBytes(signature, label);
  if (bytes === undefined) return undefined;
  return { label, components: list.list, params, paramsValue: input.slice(eq + 1), signature: bytes };
}
