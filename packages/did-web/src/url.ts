// SPDX-License-Identifier: Apache-2.0
// did:web ⇄ URL (W3C CCG did:web Method Specification §3.2): the host, an optional port encoded as
// %3A, then ':'-separated path segments; no path means /.well-known/did.json. Percent-decoding may
// never change the host (did:web Method Specification §3.2; docs/security.md).
import { type DidWeb, PassportError } from '@agent-passport/core';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SEGMENT_RAW = /^(?:[A-Za-z0-9._~!'()*-]|%[0-9A-Fa-f]{2})+$/;

function invalid(message: string): never {
  throw new PassportError('ERR_DID_WEB_INVALID', message);
}

export interface ParsedDidWeb {
  readonly did: DidWeb;
  /** Lower-case host name (never percent-encoded). */
  readonly host: string;
  readonly port: number | undefined;
  /** Decoded path segments. */
  readonly path: readonly string[];
}

/** Parse a did:web strictly. */
export function parseDidWeb(did: string): ParsedDidWeb {
  if (typeof did !== 'string') throw new TypeError('did must be a string');
  if (!did.startsWith('did:web:')) invalid('not a did:web');
  if (did.length > 2048) invalid('the DID is too long');
  if (/[?#/]/.test(did)) invalid('a did:web has no query, fragment or slash');
  const [hostPart = '', ...rawSegments] = did.slice('did:web:'.length).split(':');
  const portMatch = /^([^%]+)%3[Aa]([0-9]{1,5})$/.exec(hostPart);
  const hostRaw = portMatch === null ? hostPart : (portMatch[1] as string);
  if (hostRaw.includes('%')) invalid('the host may not be percent-encoded (only the port separator %3A is)');
  const host = hostRaw.toLowerCase().replace(/\.$/, '');
  if (host.length === 0 || host.length > 253) invalid('the host is empty or too long');
  if (!host.split('.').every((l) => LABEL.test(l)))
    invalid(`the host ${JSON.stringify(hostRaw)} is not a DNS name`);
  let port: number | undefined;
  if (portMatch !== null) {
    port = Number(portMatch[2]);
    if (!Number.isInteger(port) || port < 1 || port > 65535 || portMatch[2]!.startsWith('0'))
      invalid('the port is out of range');
  }
  const path = rawSegments.map((raw) => {
    if (!SEGMENT_RAW.test(raw))
      invalid('a path segment is empty or has characters that must be percent-encoded');
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      invalid('a path segment has a bad percent-encoding');
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    if (seg === '.' || seg === '..' || /[/\\?#\u0000-\u001f\u007f]/.test(seg))
      invalid('a path segment decodes to a path trick');
    return seg;
  });
  return { did: did as DidWeb, host, port, path };
}

/** The URL of the DID document (did:web §3.2.2 Read). */
export function didWebToUrl(did: string): URL {
  const { host, port, path } = parseDidWeb(did);
  const authority = port === undefined ? host : `${host}:${port}`;
  const pathname =
    path.length === 0 ? '/.well-known/did.json' : `/${path.map(encodeURIComponent).join('/')}/did.json`;
  let url: URL;
  try {
    url = new URL(`https://${authority}${pathname}`);
  } catch {
    // e.g. a label that is not valid punycode (xn--…)
    invalid(`the host ${host} is not a valid URL host`);
  }
  // The URL parser must not have changed the host (e.g. numeric labels read as IPv4).
  if (url.hostname !== host) invalid(`the host ${host} is read as ${url.hostname}`);
  return url;
}

/** The did:web for a document URL (the inverse of didWebToUrl) or an origin. */
export function urlToDidWeb(input: string | URL): DidWeb {
  const url = typeof input === 'string' ? new URL(input) : input;
  if (url.protocol !== 'https:') invalid('did:web documents are served over https');
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')
    invalid('no userinfo, query or fragment');
  let pathname = url.pathname;
  if (pathname === '/.well-known/did.json' || pathname === '/') pathname = '';
  else if (pathname.endsWith('/did.json')) pathname = pathname.slice(0, -'/did.json'.length);
  const segments = pathname.split('/').filter((s, i) => i > 0 || s !== '');
  const host = url.hostname;
  const encoded = segments.map((s) => encodeURIComponent(decodeURIComponent(s)));
  const did = `did:web:${host}${url.port === '' ? '' : `%3A${url.port}`}${encoded.map((s) => `:${s}`).join('')}`;
  parseDidWeb(did);
  return did as DidWeb;
}
