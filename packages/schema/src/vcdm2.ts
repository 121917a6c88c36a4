// SPDX-License-Identifier: Apache-2.0
// VCDM 2.0 rules that JSON-LD processing would catch, enforced without JSON-LD so that JCS-secured
// documents meet them too (VCDM 2.0 §4 and the VC Data Model 2.0 test suite).
import { asList, Invalid, isObject, isUrl, type Json, type Vcdm2Code } from './internal/invalid.js';
import { CONTEXT_DOCUMENTS_TERMS } from './internal/vc-terms.js';
import { checkNamesAndDescriptions } from './language.js';
import { checkRelatedResources } from './related-resource.js';
import { type ContextLookup, checkDefinedTerms } from './terms.js';
import { VC_V1, VC_V1_TERMS, vcdm11Rules } from './vcdm11.js';

export { isUrl };

export const VC_V2 = 'https://www.w3.org/ns/credentials/v2';

export type Vcdm2Result =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: Vcdm2Code;
      readonly message: string;
      readonly path: string;
    };

/** Options of the data-model check. */
export interface Vcdm2Options {
  /**
   * Context documents by URL beyond the bundled ones (a map, or a function answering undefined
   * for an unknown URL): with them, undefined terms are refused in documents that use them.
   */
  readonly contexts?: ContextLookup | Readonly<Record<string, unknown>>;
}

function lookupOf(options: Vcdm2Options): ContextLookup {
  const c = options.contexts;
  if (c === undefined) return () => undefined;
  if (typeof c === 'function') return c;
  return (url) => (Object.hasOwn(c, url) ? c[url] : undefined);
}

/** XML Schema dateTimeStamp (a timezone is required), and a real date. */
export const DATE_TIME_STAMP = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
export function dateTimeMs(v: unknown): number | undefined {
  if (typeof v !== 'string' || !DATE_TIME_STAMP.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Which data model a document follows: 2.0, or (where accepted) 1.1. */
type Version = '2.0' | '1.1';
/** The base context of each version, and its top-level (protected) terms. */
const BASE: Readonly<Record<Version, { url: string; terms: ReadonlyMap<string, string> }>> = {
  '2.0': { url: VC_V2, terms: CONTEXT_DOCUMENTS_TERMS },
  '1.1': { url: VC_V1, terms: VC_V1_TERMS },
};

/** The version a document's first context names: 1.1 only where `accepted` includes it. */
function versionOf(doc: Json, path: string, accepted: readonly Version[]): Version {
  const first = asList(doc['@context'])[0];
  const version = (Object.keys(BASE) as Version[]).find((v) => BASE[v].url === first);
  if (version === undefined || !accepted.includes(version))
    throw new Invalid(
      `${path}/@context/0`,
      `the first @context must be ${accepted.map((v) => BASE[v].url).join(' or ')}`,
    );
  return version;
}

/** The terms in scope: the base context's (protected) plus inline definitions; whether @vocab was unset. */
function contextTerms(
  context: unknown,
  path: string,
  version: Version = '2.0',
): { terms: ReadonlyMap<string, string>; vocab: boolean } {
  const list = asList(context);
  const base = BASE[version];
  if (list[0] !== base.url) throw new Invalid(`${path}/@context/0`, `the first @context must be ${base.url}`);
  // Only URLs (the usual case): the known documents' terms as they are, shared and never written.
  if (list.every((entry) => typeof entry === 'string')) {
    list.forEach((entry, i) => {
      if (!isUrl(entry)) throw new Invalid(`${path}/@context/${i}`, 'a context must be a URL or an object');
    });
    return { terms: base.terms, vocab: true };
  }
  const terms = new Map<string, string>(base.terms);
  const protectedTerms = new Set<string>(base.terms.keys());
  let vocab = true;
  list.forEach((entry, i) => {
    const at = `${path}/@context/${i}`;
    if (typeof entry === 'string') {
      if (!isUrl(entry)) throw new Invalid(at, 'a context must be a URL or an object');
      return;
    }
    if (!isObject(entry)) throw new Invalid(at, 'a context must be a URL or an object');
    const isProtected = entry['@protected'] === true;
    for (const [term, def] of Object.entries(entry)) {
      if (term === '@vocab') {
        if (def === null) vocab = false;
        continue;
      }
      if (term.startsWith('@')) continue;
      const iri = typeof def === 'string' ? def : isObject(def) ? def['@id'] : undefined;
      if (!(typeof iri === 'string' && (iri.startsWith('@') || isUrl(iri)))) {
        throw new Invalid(`${at}/${term}`, `the term ${term} must map to an absolute IRI`);
      }
      if (protectedTerms.has(term) && terms.get(term) !== iri) {
        throw new Invalid(`${at}/${term}`, `the protected term ${term} cannot be redefined`);
      }
      terms.set(term, iri);
      if (isProtected) protectedTerms.add(term);
    }
  });
  return { terms, vocab };
}

function checkTypes(
  value: unknown,
  path: string,
  scope: { terms: ReadonlyMap<string, string>; vocab: boolean },
  required?: string,
): void {
  const types = asList(value);
  if (value === undefined || types.length === 0) throw new Invalid(path, 'type is required');
  for (const t of types) {
    if (typeof t !== 'string' || t.length === 0) throw new Invalid(path, 'each type is a term or a URL');
    if (!scope.terms.has(t) && !isUrl(t) && !scope.vocab)
      throw new Invalid(path, `the type ${t} is not defined by any context`);
  }
  if (required !== undefined && !types.includes(required))
    throw new Invalid(path, `type must include ${required}`);
}

function checkOptionalId(obj: Json, path: string): void {
  if (!('id' in obj)) return;
  if (!isUrl(obj['id'])) throw new Invalid(`${path}/id`, 'id must be a single URL');
}

/** Entries (evidence, termsOfUse, refreshService, credentialStatus, credentialSchema, proof) need a type. */
function checkTypedEntries(
  doc: Json,
  key: string,
  scope: { terms: ReadonlyMap<string, string>; vocab: boolean },
  needsId: boolean,
): void {
  if (!(key in doc)) return;
  asList(doc[key]).forEach((entry, i) => {
    const at = `/${key}${Array.isArray(doc[key]) ? `/${i}` : ''}`;
    if (!isObject(entry)) throw new Invalid(at, `${key} entries are objects`);
    checkTypes(entry['type'], `${at}/type`, scope);
    if (needsId && !('id' in entry)) throw new Invalid(`${at}/id`, `${key} entries need an id`);
    checkOptionalId(entry, at);
  });
}

function run(f: () => void): Vcdm2Result {
  try {
    f();
    return { ok: true };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, code: e.code, message: e.message, path: e.path };
    throw e;
  }
}

/** The credential rules; returns whether its terms could be judged (checkDefinedTerms). */
function credentialRules(
  doc: unknown,
  path: string,
  lookup: ContextLookup,
  accepted: readonly Version[] = ['2.0'],
): boolean {
  if (!isObject(doc)) throw new Invalid(path || '/', 'a credential is a JSON object');
  const version = versionOf(doc, path, accepted);
  const scope = contextTerms(doc['@context'], path, version);
  checkTypes(doc['type'], `${path}/type`, scope, 'VerifiableCredential');
  checkOptionalId(doc, path);
  const issuer = doc['issuer'];
  if (isObject(issuer)) {
    if (!isUrl(issuer['id'])) throw new Invalid(`${path}/issuer/id`, 'issuer.id must be a URL');
  } else if (!isUrl(issuer)) {
    throw new Invalid(`${path}/issuer`, 'issuer must be a URL or an object with an id');
  }
  const subjects = doc['credentialSubject'];
  if (subjects === undefined) throw new Invalid(`${path}/credentialSubject`, 'credentialSubject is required');
  asList(subjects).forEach((s, i) => {
    const at = `${path}/credentialSubject${Array.isArray(subjects) ? `/${i}` : ''}`;
    if (!isObject(s) || Object.keys(s).length === 0)
      throw new Invalid(at, 'each credentialSubject makes at least one claim');
    checkOptionalId(s, at);
  });
  if (version === '1.1') vcdm11Rules(doc, path);
  const [from, until] = (['validFrom', 'validUntil'] as const).map((key) => {
    const ms = dateTimeMs(doc[key]);
    if (key in doc && ms === undefined)
      throw new Invalid(`${path}/${key}`, `${key} must be an XML Schema dateTimeStamp`);
    return ms;
  });
  if (from !== undefined && until !== undefined && until < from)
    throw new Invalid(`${path}/validUntil`, 'validUntil is before validFrom');
  checkTypedEntries(doc, 'credentialStatus', scope, version === '1.1');
  checkTypedEntries(doc, 'credentialSchema', scope, true);
  checkTypedEntries(doc, 'evidence', scope, false);
  checkTypedEntries(doc, 'termsOfUse', scope, false);
  checkTypedEntries(doc, 'refreshService', scope, false);
  checkTypedEntries(doc, 'proof', scope, false);
  if (version === '2.0') {
    checkNamesAndDescriptions(doc, path);
    if (isObject(issuer)) checkNamesAndDescriptions(issuer, `${path}/issuer`);
    checkRelatedResources(doc, path);
  }
  return checkDefinedTerms(doc, path, lookup);
}

/** The VCDM 2.0 rules for a credential. */
export function checkVcdm2(credential: unknown, options: Vcdm2Options = {}): Vcdm2Result {
  return run(() => credentialRules(credential, '', lookupOf(options)));
}

/** The VCDM 2.0 rules for a presentation, and for each credential it embeds. */
export function checkVcdm2Presentation(presentation: unknown, options: Vcdm2Options = {}): Vcdm2Result {
  return run(() => presentationRules(presentation, lookupOf(options), ['2.0']));
}

/** The VCDM 2.0 or 1.1 rules for a credential, by its first context (the VC API accepts both). */
export function checkVcdm(credential: unknown, options: Vcdm2Options = {}): Vcdm2Result {
  return run(() => credentialRules(credential, '', lookupOf(options), ['2.0', '1.1']));
}

/** The VCDM 2.0 or 1.1 rules for a presentation and each credential it embeds, each by its first context. */
export function checkVcdmPresentation(presentation: unknown, options: Vcdm2Options = {}): Vcdm2Result {
  return run(() => presentationRules(presentation, lookupOf(options), ['2.0', '1.1']));
}

function presentationRules(presentation: unknown, lookup: ContextLookup, accepted: readonly Version[]): void {
  if (!isObject(presentation)) throw new Invalid('/', 'a presentation is a JSON object');
  const scope = contextTerms(presentation['@context'], '', versionOf(presentation, '', accepted));
  checkTypes(presentation['type'], '/type', scope, 'VerifiablePresentation');
  checkOptionalId(presentation, '');
  const holder = presentation['holder'];
  if (holder !== undefined) {
    const id = isObject(holder) ? holder['id'] : holder;
    if (!isUrl(id)) throw new Invalid('/holder', 'holder must be a URL or an object with a URL id');
  }
  const vcs = presentation['verifiableCredential'];
  // Each credential's terms are walked once, by its own rules; the presentation's walk reuses that.
  const judged = new Map<object, boolean>();
  asList(vcs ?? []).forEach((vc, i) => {
    const at = `/verifiableCredential/${i}`;
    if (!isObject(vc)) throw new Invalid(at, 'embedded credentials are objects');
    const types = asList(vc['type']);
    if (types.includes('EnvelopedVerifiableCredential')) {
      if (typeof vc['id'] !== 'string' || !vc['id'].startsWith('data:'))
        throw new Invalid(`${at}/id`, 'an enveloped credential id is a data: URL');
      return;
    }
    judged.set(vc, credentialRules(vc, at, lookup, accepted));
  });
  checkDefinedTerms(presentation, '', lookup, judged);
}
