// SPDX-License-Identifier: Apache-2.0
// A logged request record that a rebuilt Request would hold exactly as written, read in place: a
// standard upper-case method, a URL that is its own serialisation (no credentials, no fragment),
// lower-case header names of letters, digits and dashes, values of printable ASCII without
// surrounding white space (nothing a Headers object would change or refuse), no delegation header,
// text scopes. Only such records take the audit's synchronous path; any other record is rebuilt
// into a Request and checked by the live request verifier.
import { createBoundedCache, isObject } from '@agent-passport/core';
import type { RecordedRequest } from '@agent-passport/http-signatures';
import { DELEGATION_HEADER, DELEGATION_REF_HEADER, PASSPORT_HEADER } from '@agent-passport/http-signatures';
import { type EvidenceEntry, PASSPORT_MARKER, type RequestRecord } from './entry.js';

/** Methods a Request keeps as written (upper-case). */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']);
const NAME = /^[a-z0-9-]+$/;
const VALUE = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/;

export interface PlainRecord extends RecordedRequest {
  readonly record: RequestRecord;
  readonly scopes: readonly string[];
}

/** URLs already found to be their own serialisation (a log repeats a service's few URLs). */
const plainUrls = createBoundedCache<string, true>(1000);

function plainUrl(url: string): boolean {
  if (plainUrls.get(url) === true) return true;
  if (url.includes('#')) return false;
  try {
    const u = new URL(url);
    if (u.href !== url || u.username !== '' || u.password !== '') return false;
  } catch {
    return false;
  }
  plainUrls.set(url, true);
  return true;
}

function plainHeaders(headers: Record<string, unknown>): boolean {
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (typeof value !== 'string' || !NAME.test(name) || !VALUE.test(value)) return false;
  }
  return !Object.hasOwn(headers, DELEGATION_HEADER) && !Object.hasOwn(headers, DELEGATION_REF_HEADER);
}

const textScopes = (s: unknown): s is readonly string[] | undefined =>
  s === undefined || (Array.isArray(s) && s.every((x) => typeof x === 'string'));

/** `passport`: the logged passport (base64url) the marker stands for. Undefined: not plain. */
export function plainRecord(entry: EvidenceEntry, passport: string | undefined): PlainRecord | undefined {
  const r: unknown = entry.request;
  if (!isObject(r) || typeof r['method'] !== 'string' || typeof r['url'] !== 'string') return undefined;
  const headers = r['headers'];
  if (!isObject(headers) || !METHODS.has(r['method']) || !textScopes(entry.requiredScopes)) return undefined;
  if (!plainHeaders(headers) || !plainUrl(r['url'])) return undefined;
  const marked = headers[PASSPORT_HEADER] === PASSPORT_MARKER;
  if (marked && passport === undefined) return undefined;
  // Its bytes as the service received them: the logged base64url, decoded and encoded again.
  const inline = marked ? Buffer.from(passport as string, 'base64url').toString('base64url') : undefined;
  const own = headers as Readonly<Record<string, string>>;
  return {
    record: r as unknown as RequestRecord,
    method: r['method'],
    targetUri: r['url'],
    scopes: entry.requiredScopes ?? [],
    header: (name) =>
      name === PASSPORT_HEADER && inline !== undefined
        ? inline
        : Object.hasOwn(own, name)
          ? (own[name] as string)
          : null,
  };
}
