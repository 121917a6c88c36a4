// SPDX-License-Identifier: Apache-2.0
// The VCDM 1.1 rules that differ from 2.0, for credentials from issuers that have not moved to
// 2.0 (VCDM 1.1 §4): the base context https://www.w3.org/2018/credentials/v1, a required
// `issuanceDate` and an optional `expirationDate` (XML Schema dateTime), and a credentialStatus
// with an `id`. The rules both versions share (types, ids, issuer, subject, typed entries, terms)
// are vcdm2.ts's.
import { CONTEXTS } from '@agent-passport/contexts';
import { Invalid, isObject, type Json } from './internal/invalid.js';

export const VC_V1 = 'https://www.w3.org/2018/credentials/v1';

/** The top-level terms of the VC 1.1 context (all @protected), read from the bundled document. */
export const VC_V1_TERMS: ReadonlyMap<string, string> = (() => {
  const doc = CONTEXTS.get(VC_V1);
  const ctx = isObject(doc) && isObject(doc['@context']) ? doc['@context'] : {};
  const terms = new Map<string, string>();
  for (const [term, def] of Object.entries(ctx)) {
    if (term.startsWith('@')) continue;
    const iri = typeof def === 'string' ? def : isObject(def) ? def['@id'] : undefined;
    if (typeof iri === 'string') terms.set(term, iri);
  }
  return terms;
})();

/** XML Schema dateTime: the timezone is optional in 1.1 (read as UTC when absent). */
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** Milliseconds of a 1.1 date (no timezone: UTC), or undefined when it is not an xsd:dateTime. */
export function dateTime11Ms(v: unknown): number | undefined {
  if (typeof v !== 'string' || !DATE_TIME.test(v)) return undefined;
  const ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(v) ? v : `${v}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The 1.1-only rules of `doc` at `path`. */
export function vcdm11Rules(doc: Json, path: string): void {
  if (!('issuanceDate' in doc))
    throw new Invalid(`${path}/issuanceDate`, 'a VCDM 1.1 credential needs an issuanceDate');
  for (const key of ['issuanceDate', 'expirationDate'] as const)
    if (key in doc && dateTime11Ms(doc[key]) === undefined)
      throw new Invalid(`${path}/${key}`, `${key} must be an XML Schema dateTime`);
  const status = doc['credentialStatus'];
  for (const [i, entry] of (Array.isArray(status) ? status : status === undefined ? [] : [status]).entries())
    if (isObject(entry) && !('id' in entry))
      throw new Invalid(
        `${path}/credentialStatus${Array.isArray(status) ? `/${i}` : ''}/id`,
        'a VCDM 1.1 credentialStatus needs an id',
      );
}
