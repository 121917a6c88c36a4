// SPDX-License-Identifier: Apache-2.0
// One target for the signature, the router, the scope function and the evidence log. A framework
// routes the raw request target while a URL parser normalises it (dot segments, `%2e`, backslashes),
// so a target that any of them would read differently is refused, never rewritten: what is
// verified is the raw target itself, after this service's configured origin (never the Host
// header, which the caller chooses).

/** The configured origins (scheme://host[:port]), canonical; a TypeError when missing or not origins. */
export function parseOrigins(origin: unknown): readonly string[] {
  const list = typeof origin === 'string' ? [origin] : origin;
  if (!Array.isArray(list) || list.length === 0)
    throw new TypeError('origin is required: this service public origin(s), scheme://host[:port]');
  return list.map((o) => {
    if (typeof o !== 'string' || !/^https?:\/\/[^/\s?#]+$/.test(o))
      throw new TypeError(`origin ${String(o)} is not scheme://host[:port]`);
    return new URL(o).origin;
  });
}

/** RFC 3986 §2.3 unreserved characters, `/` and `\`: never percent-encoded in a normal path. */
const MUST_NOT_BE_ENCODED = /^(?:[A-Za-z0-9\-._~/\\])$/;

/** Why `target` (the raw request target) is not in normal origin-form, or undefined when it is. */
export function targetProblem(target: string, origin: string): string | undefined {
  // RFC 9112 §3.2: origin-form only; absolute-form, authority-form and asterisk-form are refused.
  if (!target.startsWith('/') || target.startsWith('//')) return 'the target is not in origin-form';
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  if (path.includes('\\')) return 'the path has a backslash';
  const segments = path.split('/').slice(1);
  if (segments.some((s, i) => (s === '' && i < segments.length - 1) || s === '.' || s === '..'))
    return 'the path has an empty or dot segment';
  for (const m of path.matchAll(/%(.{0,2})/g)) {
    const hex = m[1] ?? '';
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return 'the path has a malformed percent-encoding';
    if (MUST_NOT_BE_ENCODED.test(String.fromCharCode(Number.parseInt(hex, 16))))
      return `the path encodes a character that must be literal (%${hex})`;
  }
  // The signed @target-uri is the WHATWG serialisation: it must be the raw target as sent.
  let href: string;
  try {
    href = new URL(target, origin).href;
  } catch {
    return 'the target is not a URL';
  }
  return href === origin + target ? undefined : 'a URL parser would rewrite the target';
}

export type TargetResult =
  | { readonly ok: true; readonly url: string }
  | { readonly ok: false; readonly code: 'ERR_REQUEST_TARGET'; readonly message: string };

/**
 * The URL the signature is checked against, routed and logged: a configured origin + the raw
 * target. With several origins the Host header picks among them (it can name no other).
 */
export function requestUrl(origins: readonly string[], target: string, host: unknown): TargetResult {
  const wanted = typeof host === 'string' ? host.toLowerCase() : undefined;
  const origin =
    (origins.length > 1 ? origins.find((o) => new URL(o).host === wanted) : undefined) ??
    (origins[0] as string);
  const problem = targetProblem(target, origin);
  return problem === undefined
    ? { ok: true, url: origin + target }
    : { ok: false, code: 'ERR_REQUEST_TARGET', message: problem };
}
