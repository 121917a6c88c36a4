// SPDX-License-Identifier: Apache-2.0
// The page's state in the URL fragment (`#s=` + base64url of UTF-8 JSON): the fragment never goes
// to a server, but whoever holds the link reads everything in it (the page warns).
import type { Kind, OptionsInput, TrustInput } from './types.js';

export interface PageState {
  readonly doc: string;
  readonly kind: Kind | 'auto';
  readonly trust: TrustInput;
  readonly options: OptionsInput;
}

const PREFIX = '#s=';

function toBase64url(text: string): string {
  let binary = '';
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): string {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export function encodeState(state: PageState): string {
  return `${PREFIX}${toBase64url(JSON.stringify(state))}`;
}

/** The state in a fragment; undefined when there is none or it is not one the page wrote. */
export function decodeState(hash: string): Partial<PageState> | undefined {
  if (!hash.startsWith(PREFIX)) return undefined;
  try {
    const value = JSON.parse(fromBase64url(hash.slice(PREFIX.length))) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Partial<PageState>)
      : undefined;
  } catch {
    return undefined;
  }
}
