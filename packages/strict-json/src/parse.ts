// SPDX-License-Identifier: Apache-2.0
// A strict JSON parser for untrusted input (RFC 8259), refusing what a verifier must not accept
// (RFC 8259 §4, RFC 8785; docs/security.md): duplicate keys (the bytes that were signed must be the
// object the application reads), prototype keys, numbers and strings that cannot round-trip
// through JCS (RFC 8785 §3.2.2), nesting and size beyond limits.
import { PassportError, utf8Length } from '@agent-passport/core';

export interface ParseOptions {
  /** Maximum size in UTF-8 bytes, checked before parsing (default 256 KiB). */
  readonly maxBytes?: number;
  /** Maximum nesting depth of arrays and objects (default 32). */
  readonly maxDepth?: number;
}

export const DEFAULT_MAX_BYTES = 256 * 1024;
export const DEFAULT_MAX_DEPTH = 32;
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function limits(options: ParseOptions | undefined): { maxBytes: number; maxDepth: number } {
  const maxBytes = options?.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(maxBytes) || maxBytes < 1)
    throw new RangeError('maxBytes must be a positive integer');
  if (!Number.isInteger(maxDepth) || maxDepth < 1)
    throw new RangeError('maxDepth must be a positive integer');
  return { maxBytes, maxDepth };
}

/** Does `s` hold a lone (unpaired) UTF-16 surrogate? */
export function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00) return true;
    const next = s.charCodeAt(i + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
    i++;
  }
  return false;
}

const fail = (
  code:
    | 'ERR_PARSE_JSON'
    | 'ERR_PARSE_DEPTH'
    | 'ERR_PARSE_DUPLICATE_KEY'
    | 'ERR_PARSE_FORBIDDEN_KEY'
    | 'ERR_PARSE_NUMBER'
    | 'ERR_PARSE_STRING',
  message: string,
): never => {
  throw new PassportError(code, message);
};

/**
 * Parse untrusted JSON text or UTF-8 bytes. Objects are built with a null prototype replaced by
 * plain objects only after every key was checked, so no key can ever reach a prototype.
 */
export function parseJson(input: string | Uint8Array, options?: ParseOptions): unknown {
  const { maxBytes, maxDepth } = limits(options);
  let text: string;
  if (input instanceof Uint8Array) {
    if (input.length > maxBytes)
      fail2('ERR_PARSE_SIZE', `the input is ${input.length} bytes, more than ${maxBytes}`);
    try {
      text = decoder.decode(input);
    } catch (cause) {
      throw new PassportError('ERR_PARSE_JSON', 'the input is not valid UTF-8', { cause });
    }
  } else if (typeof input === 'string') {
    // UTF-8 length is at most 3 bytes per UTF-16 unit: count exactly only when it could matter.
    if (input.length * 3 > maxBytes && utf8Length(input) > maxBytes) {
      fail2('ERR_PARSE_SIZE', `the input is more than ${maxBytes} bytes`);
    }
    text = input;
  } else {
    throw new TypeError('parseJson takes a string or a Uint8Array');
  }
  return new Parser(text, maxDepth).parseDocument();
}

function fail2(code: 'ERR_PARSE_SIZE', message: string): never {
  throw new PassportError(code, message);
}

const WS = new Uint8Array(128);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;

class Parser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly maxDepth: number,
  ) {}

  parseDocument(): unknown {
    if (this.s.charCodeAt(0) === 0xfeff) fail('ERR_PARSE_JSON', 'a byte order mark is not JSON');
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.i !== this.s.length) fail('ERR_PARSE_JSON', `unexpected data at offset ${this.i}`);
    return v;
  }

  private ws(): void {
    const s = this.s;
    let i = this.i;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c >= 128 || WS[c] !== 1) break;
      i++;
    }
    this.i = i;
  }

  private value(depth: number): unknown {
    const c = this.s.charCodeAt(this.i);
    switch (c) {
      case 0x7b: // {
        return this.object(depth + 1);
      case 0x5b: // [
        return this.array(depth + 1);
      case 0x22: // "
        return this.string();
      case 0x74: // t
        return this.literal('true', true);
      case 0x66: // f
        return this.literal('false', false);
      case 0x6e: // n
        return this.literal('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        return fail(
          'ERR_PARSE_JSON',
          Number.isNaN(c) ? 'unexpected end of input' : `unexpected character at offset ${this.i}`,
        );
    }
  }

  private literal<T>(word: string, v: T): T {
    if (!this.s.startsWith(word, this.i)) fail('ERR_PARSE_JSON', `unexpected token at offset ${this.i}`);
    this.i += word.length;
    return v;
  }

  private object(depth: number): Record<string, unknown> {
    if (depth > this.maxDepth) fail('ERR_PARSE_DEPTH', `nesting deeper than ${this.maxDepth}`);
    this.i++;
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return out;
    }
    for (;;) {
      if (this.s.charCodeAt(this.i) !== 0x22) fail('ERR_PARSE_JSON', `expected a key at offset ${this.i}`);
      const key = this.string();
      if (seen.has(key)) fail('ERR_PARSE_DUPLICATE_KEY', `the key ${JSON.stringify(key)} appears twice`);
      if (FORBIDDEN_KEYS.has(key))
        fail('ERR_PARSE_FORBIDDEN_KEY', `the key ${JSON.stringify(key)} is not accepted`);
      seen.add(key);
      this.ws();
      if (this.s.charCodeAt(this.i) !== 0x3a) fail('ERR_PARSE_JSON', `expected ':' at offset ${this.i}`);
      this.i++;
      this.ws();
      out[key] = this.value(depth);
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        this.ws();
        continue;
      }
      if (c === 0x7d) {
        this.i++;
        return out;
      }
      fail('ERR_PARSE_JSON', `expected ',' or '}' at offset ${this.i}`);
    }
  }

  private array(depth: number): unknown[] {
    if (depth > this.maxDepth) fail('ERR_PARSE_DEPTH', `nesting deeper than ${this.maxDepth}`);
    this.i++;
    const out: unknown[] = [];
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        this.ws();
        continue;
      }
      if (c === 0x5d) {
        this.i++;
        return out;
      }
      fail('ERR_PARSE_JSON', `expected ',' or ']' at offset ${this.i}`);
    }
  }

  private string(): string {
    const s = this.s;
    const start = ++this.i;
    let i = start;
    // Fast path: no escapes.
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        const out = s.slice(start, i);
        this.i = i + 1;
        if (hasLoneSurrogate(out)) fail('ERR_PARSE_STRING', 'a string holds a lone surrogate');
        return out;
      }
      if (c === 0x5c) break;
      if (c < 0x20 || Number.isNaN(c))
        fail('ERR_PARSE_JSON', Number.isNaN(c) ? 'unterminated string' : 'a control character in a string');
      i++;
    }
    let out = s.slice(start, i);
    for (;;) {
      const c = s.charCodeAt(i);
      if (Number.isNaN(c)) fail('ERR_PARSE_JSON', 'unterminated string');
      if (c === 0x22) break;
      if (c < 0x20) fail('ERR_PARSE_JSON', 'a control character in a string');
      if (c !== 0x5c) {
        out += s[i];
        i++;
        continue;
      }
      const e = s[i + 1];
      i += 2;
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = s.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('ERR_PARSE_JSON', 'a bad \\u escape');
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          fail('ERR_PARSE_JSON', 'a bad escape in a string');
      }
    }
    this.i = i + 1;
    if (hasLoneSurrogate(out)) fail('ERR_PARSE_STRING', 'a string holds a lone surrogate');
    return out;
  }

  private number(): number {
    const s = this.s;
    const start = this.i;
    let i = start;
    if (s.charCodeAt(i) === 0x2d) i++;
    const first = s.charCodeAt(i);
    if (first === 0x30) {
      i++;
    } else if (first >= 0x31 && first <= 0x39) {
      while (isDigit(s.charCodeAt(i))) i++;
    } else {
      fail('ERR_PARSE_JSON', `a bad number at offset ${start}`);
    }
    let integer = true;
    if (s.charCodeAt(i) === 0x2e) {
      integer = false;
      i++;
      if (!isDigit(s.charCodeAt(i))) fail('ERR_PARSE_JSON', `a bad number at offset ${start}`);
      while (isDigit(s.charCodeAt(i))) i++;
    }
    const e = s.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      integer = false;
      i++;
      const sign = s.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      if (!isDigit(s.charCodeAt(i))) fail('ERR_PARSE_JSON', `a bad number at offset ${start}`);
      while (isDigit(s.charCodeAt(i))) i++;
    }
    this.i = i;
    const n = Number(s.slice(start, i));
    if (!Number.isFinite(n)) fail('ERR_PARSE_NUMBER', 'a number beyond the range of IEEE 754 doubles');
    // An integer literal beyond 2^53 - 1 does not survive the trip through a double: the text that
    // was signed would not be the number that is read (RFC 8785 §3.2.2.3, I-JSON RFC 7493 §2.2).
    if (integer && !Number.isSafeInteger(n)) fail('ERR_PARSE_NUMBER', 'an integer beyond 2^53 - 1');
    if (integer && Object.is(n, -0)) return 0;
    return n;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
