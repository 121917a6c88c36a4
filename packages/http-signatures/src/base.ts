// SPDX-License-Identifier: Apache-2.0
// RFC 9421 §2: component values and the signature base.
import { type InnerList, type Item, type Parameters, serializeInnerList } from 'structured-headers';
import type { FieldReader } from './field-reader.js';

export type { FieldReader };

export interface MessageParts {
  readonly method: string;
  readonly url: URL;
  /** A Headers object, or anything that answers a field's value as Headers.get does. */
  readonly headers: FieldReader;
  /** The serialised target URI when the caller holds it (a Request's `url`): `url.href` otherwise. */
  readonly targetUri?: string;
}

/**
 * A request's parts. Its `url` is already the serialisation of a parsed URL, and serialising is
 * idempotent: @target-uri is that string, and the URL is parsed only when another component needs
 * it (a test holds `url` to `new URL(url).href`).
 */
export function requestParts(request: Request): MessageParts {
  return new RequestParts(request.method, request.url, request.headers);
}

class RequestParts implements MessageParts {
  #url: URL | undefined;
  constructor(
    readonly method: string,
    readonly targetUri: string,
    readonly headers: Headers,
  ) {}
  get url(): URL {
    this.#url ??= new URL(this.targetUri);
    return this.#url;
  }
}

/** The value of one covered component (§2.1 fields, §2.2 derived components), or undefined. */
export function componentValue(msg: MessageParts, id: string): string | undefined {
  switch (id) {
    case '@method':
      return msg.method.toUpperCase();
    case '@target-uri':
      return msg.targetUri ?? msg.url.href;
    case '@authority':
      return msg.url.host.toLowerCase();
    case '@scheme':
      return msg.url.protocol.slice(0, -1).toLowerCase();
    case '@path':
      return msg.url.pathname === '' ? '/' : msg.url.pathname;
    case '@query':
      return msg.url.search === '' ? '?' : msg.url.search;
    case '@request-target':
      return `${msg.url.pathname}${msg.url.search}`;
    default: {
      if (id.startsWith('@') || id !== id.toLowerCase()) return undefined;
      const v = msg.headers.get(id);
      // §2.1: leading and trailing white space is removed; Headers joins repeated fields with ", ".
      return v === null ? undefined : v.trim();
    }
  }
}

export interface SignatureParams {
  readonly created?: number;
  readonly expires?: number;
  readonly nonce?: string;
  readonly keyid?: string;
  readonly alg?: string;
  readonly tag?: string;
}

/** `@signature-params` (§2.3): the inner list of components with the parameters, in this order. */
export function serializeSignatureParams(components: readonly string[], params: SignatureParams): string {
  const map: Parameters = new Map();
  for (const key of ['created', 'expires', 'nonce', 'keyid', 'alg', 'tag'] as const) {
    const v = params[key];
    if (v !== undefined) map.set(key, v);
  }
  const list: InnerList = [components.map((c): Item => [c, new Map()]), map];
  return serializeInnerList(list);
}

/** The signature base (§2.5), or the first component the message lacks. */
export function signatureBase(
  msg: MessageParts,
  components: readonly string[],
  paramsValue: string,
): { base: string } | { missing: string } {
  // Built as one string, each line followed by `\n`, the last (@signature-params) by nothing.
  let base = '';
  for (const id of components) {
    const value = componentValue(msg, id);
    if (value === undefined) return { missing: id };
    base += `"${id}": ${value}\n`;
  }
  return { base: `${base}"@signature-params": ${paramsValue}` };
}
