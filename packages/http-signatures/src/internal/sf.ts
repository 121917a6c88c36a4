// SPDX-License-Identifier: Apache-2.0
// Structured Field dictionaries (RFC 8941 §4.2.2, as RFC 9651 keeps them) on the request hot path.
// The `structured-headers` parser builds strings a character at a time and tests a regular
// expression per character: parsing Signature-Input, Signature and Content-Digest cost about a
// tenth of a signed request's verification. This parser follows that library's algorithm step for
// step (same acceptances, same results) with character codes; dates (`@`) and display strings
// (`%`) go to the library. The library stays the reference: a property test requires identical
// results, and identical refusals, on generated and mutated headers.
import {
  type BareItem,
  type Dictionary,
  type InnerList,
  type Item,
  parseDictionary as libraryParseDictionary,
  type Parameters,
  serializeBareItem,
  Token,
} from 'structured-headers';

/** Thrown when the header needs the library (a date or display string). */
class UseLibrary extends Error {}
const malformed = (at: number) => new SyntaxError(`malformed structured field at offset ${at}`);

const SP = 0x20;
const HTAB = 0x09;
export const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
export const isLcalpha = (c: number) => c >= 0x61 && c <= 0x7a;
const isAlpha = (c: number) => isLcalpha(c) || (c >= 0x41 && c <= 0x5a);
/** key = ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" ) */
export const isKeyChar = (c: number) =>
  isLcalpha(c) || isDigit(c) || c === 0x5f || c === 0x2d || c === 0x2e || c === 0x2a;
/** tchar / ":" / "/" (RFC 9110 §5.6.2 tchar). */
const TOKEN_CHAR = new Uint8Array(128);
for (const ch of ":/!#$%&'*+-.^_`|~") TOKEN_CHAR[ch.charCodeAt(0)] = 1;
for (let c = 0; c < 128; c++) if (isAlpha(c) || isDigit(c)) TOKEN_CHAR[c] = 1;
const BASE64 = /^[A-Za-z0-9+/=]*$/;

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  private code(): number {
    return this.s.charCodeAt(this.pos); // NaN at the end
  }

  dictionary(): Dictionary {
    const s = this.s;
    while (this.code() === SP) this.pos++;
    const dictionary: Dictionary = new Map();
    while (this.pos < s.length) {
      const key = this.key();
      let member: Item | InnerList;
      if (this.code() === 0x3d /* = */) {
        this.pos++;
        member = this.code() === 0x28 /* ( */ ? this.innerList() : [this.bareItem(), this.parameters()];
      } else {
        member = [true, this.parameters()];
      }
      dictionary.set(key, member);
      this.ows();
      if (this.pos >= s.length) return dictionary;
      if (this.code() !== 0x2c /* , */) throw malformed(this.pos);
      this.pos++;
      this.ows();
      if (this.pos >= s.length) throw malformed(this.pos);
    }
    return dictionary;
  }

  private ows(): void {
    for (let c = this.code(); c === SP || c === HTAB; c = this.code()) this.pos++;
  }

  private innerList(): InnerList {
    this.pos++; // (
    const items: Item[] = [];
    while (this.pos < this.s.length) {
      while (this.code() === SP) this.pos++;
      if (this.code() === 0x29 /* ) */) {
        this.pos++;
        return [items, this.parameters()];
      }
      items.push([this.bareItem(), this.parameters()]);
      const next = this.code();
      if (next !== SP && next !== 0x29) throw malformed(this.pos);
    }
    throw malformed(this.pos);
  }

  private parameters(): Parameters {
    const parameters: Parameters = new Map();
    while (this.code() === 0x3b /* ; */) {
      this.pos++;
      while (this.code() === SP) this.pos++;
      const key = this.key();
      let value: BareItem = true;
      if (this.code() === 0x3d) {
        this.pos++;
        value = this.bareItem();
      }
      parameters.set(key, value);
    }
    return parameters;
  }

  private key(): string {
    const start = this.pos;
    const first = this.code();
    if (!(isLcalpha(first) || first === 0x2a)) throw malformed(start);
    this.pos++;
    while (isKeyChar(this.code())) this.pos++;
    return this.s.slice(start, this.pos);
  }

  private bareItem(): BareItem {
    const c = this.code();
    if (c === 0x2d || isDigit(c)) return this.number();
    if (c === 0x22 /* " */) return this.string();
    if (isAlpha(c) || c === 0x2a) return this.token();
    if (c === 0x3a /* : */) return this.byteSequence();
    if (c === 0x3f /* ? */) {
      const v = this.s.charCodeAt(this.pos + 1);
      this.pos += 2;
      if (v === 0x31) return true;
      if (v === 0x30) return false;
      throw malformed(this.pos);
    }
    if (c === 0x40 /* @ */ || c === 0x25 /* % */) throw new UseLibrary();
    throw malformed(this.pos);
  }

  /** RFC 8941 §4.2.4, with the library's limits: 15 integer digits; 12 + 3 for decimals. */
  private number(): number {
    let sign = 1;
    if (this.code() === 0x2d) {
      sign = -1;
      this.pos++;
    }
    if (!isDigit(this.code())) throw malformed(this.pos);
    const start = this.pos;
    let dot = -1;
    while (this.pos < this.s.length) {
      const c = this.code();
      this.pos++;
      if (isDigit(c)) {
        // digits only
      } else if (dot === -1 && c === 0x2e) {
        if (this.pos - 1 - start > 12) throw malformed(this.pos);
        dot = this.pos - 1;
      } else {
        this.pos--;
        break;
      }
      const length = this.pos - start;
      if (dot === -1 && length > 15) throw malformed(this.pos);
      if (dot !== -1 && length > 16) throw malformed(this.pos);
    }
    const text = this.s.slice(start, this.pos);
    if (dot === -1) return Number.parseInt(text, 10) * sign;
    if (dot === this.pos - 1) throw malformed(this.pos);
    if (this.pos - dot - 1 > 3) throw malformed(this.pos);
    return Number.parseFloat(text) * sign;
  }

  /** RFC 8941 §4.2.5: printable ASCII, `\"` and `\\` the only escapes. */
  private string(): string {
    const s = this.s;
    this.pos++;
    let out = '';
    let run = this.pos;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x5c /* \ */) {
        out += s.slice(run, this.pos);
        const next = s.charCodeAt(this.pos + 1);
        if (next !== 0x5c && next !== 0x22) throw malformed(this.pos);
        out += s[this.pos + 1];
        this.pos += 2;
        run = this.pos;
      } else if (c === 0x22) {
        out += s.slice(run, this.pos);
        this.pos++;
        return out;
      } else if (c < 0x20 || c > 0x7e) {
        throw malformed(this.pos);
      } else {
        this.pos++;
      }
    }
    throw malformed(this.pos);
  }

  private token(): Token {
    const start = this.pos;
    this.pos++;
    for (let c = this.code(); c < 128 && TOKEN_CHAR[c] === 1; c = this.code()) this.pos++;
    return new Token(this.s.slice(start, this.pos));
  }

  /** RFC 8941 §4.2.7, decoded as the library does (the forgiving base64 of `atob`). */
  private byteSequence(): ArrayBuffer {
    this.pos++;
    const end = this.s.indexOf(':', this.pos);
    if (end === -1) throw malformed(this.pos);
    const b64 = this.s.slice(this.pos, end);
    this.pos = end + 1;
    if (!BASE64.test(b64)) throw malformed(this.pos);
    const binary = atob(b64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }
}

/** Parse a dictionary field value; throws on malformed input (like `structured-headers`). */
export function parseDictionary(value: string): Dictionary {
  try {
    return new Parser(value).dictionary();
  } catch (e) {
    if (e instanceof UseLibrary) return libraryParseDictionary(value);
    throw e;
  }
}

/** Printable ASCII without a double quote or backslash: a string the library would serialise as is. */
const PLAIN_STRING = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

function bareItem(value: BareItem): string {
  if (typeof value === 'string' && PLAIN_STRING.test(value)) return `"${value}"`;
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 999_999_999_999_999)
    return String(value);
  if (value instanceof Token) return value.toString();
  return serializeBareItem(value);
}

function parameters(params: Parameters): string {
  let out = '';
  for (const [key, value] of params) out += value === true ? `;${key}` : `;${key}=${bareItem(value)}`;
  return out;
}

/**
 * The canonical serialisation of a parsed inner list (RFC 8941 §4.1.1.1), as the library's
 * serializeInnerList gives it; keys come from parsing and are valid.
 */
export function serializeInnerList(list: InnerList): string {
  let out = '(';
  list[0].forEach(([value, params], i) => {
    if (i > 0) out += ' ';
    out += bareItem(value) + parameters(params);
  });
  return `${out})${parameters(list[1])}`;
}
