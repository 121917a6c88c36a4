// SPDX-License-Identifier: Apache-2.0
// DID documents of organisations (DID Core §5): validation of what a resolver returns or a caller
// pins, and construction of the document an organisation publishes at /.well-known/did.json.
import {
  type DidDocument,
  deepFreeze,
  isObject,
  type JsonObject as Json,
  PassportError,
  parseDateTime,
} from '@agent-passport/core';
import { decodeMultikey } from '@agent-passport/did-key';

/** Key history lives in core, next to the proof checks that apply it. */
export { assertKeyValidAt } from '@agent-passport/core';

export const RELATIONSHIPS = [
  'authentication',
  'assertionMethod',
  'capabilityInvocation',
  'capabilityDelegation',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

function checkMethod(did: string, vm: unknown, where: string): string {
  if (!isObject(vm) || typeof vm['id'] !== 'string') {
    throw new PassportError('ERR_DID_DOCUMENT_INVALID', `${where}: a verification method needs an id`);
  }
  if (vm['controller'] !== did || !vm['id'].startsWith(`${did}#`)) {
    throw new PassportError(
      'ERR_DID_CONTROLLER_MISMATCH',
      `${where}: ${vm['id']} is not controlled by ${did}`,
    );
  }
  if (vm['type'] !== 'Multikey' || typeof vm['publicKeyMultibase'] !== 'string') {
    throw new PassportError(
      'ERR_DID_DOCUMENT_INVALID',
      `${where}: only Multikey verification methods are accepted`,
    );
  }
  decodeMultikey(vm['publicKeyMultibase']);
  for (const field of HISTORY_FIELDS) {
    if (vm[field] !== undefined && parseDateTime(vm[field]) === undefined) {
      throw new PassportError(
        'ERR_DID_DOCUMENT_INVALID',
        `${where}: ${field} must be an RFC 3339 date-time with an offset`,
      );
    }
  }
  return vm['id'];
}

/** Key-history fields of a verification method: `retired` (ours) and `revoked` (CID 1.0). */
const HISTORY_FIELDS = ['retired', 'revoked'] as const;

/**
 * Validate a DID document for `did`: an object whose id is the DID, whose verification methods are
 * Multikeys controlled by it with valid keys, and whose relationships reference methods that exist.
 * Returns a deep-frozen copy.
 */
export function validateDidDocument(did: string, doc: unknown): DidDocument {
  if (!isObject(doc) || typeof doc['id'] !== 'string') {
    throw new PassportError('ERR_DID_DOCUMENT_INVALID', 'a DID document is an object with an id');
  }
  if (doc['id'] !== did)
    throw new PassportError('ERR_DID_ID_MISMATCH', `the document is for ${doc['id']}, not ${did}`);
  const ids = new Set<string>();
  const methods = doc['verificationMethod'] ?? [];
  if (!Array.isArray(methods))
    throw new PassportError('ERR_DID_DOCUMENT_INVALID', 'verificationMethod must be an array');
  methods.forEach((vm, i) => {
    const id = checkMethod(did, vm, `verificationMethod[${i}]`);
    if (ids.has(id)) throw new PassportError('ERR_DID_DOCUMENT_INVALID', `${id} is listed twice`);
    ids.add(id);
  });
  for (const rel of RELATIONSHIPS) {
    const refs = doc[rel];
    if (refs === undefined) continue;
    if (!Array.isArray(refs)) throw new PassportError('ERR_DID_DOCUMENT_INVALID', `${rel} must be an array`);
    refs.forEach((ref, i) => {
      if (typeof ref === 'string') {
        if (!ids.has(ref))
          throw new PassportError(
            'ERR_VERIFICATION_METHOD_NOT_FOUND',
            `${rel}[${i}]: ${ref} is not in verificationMethod`,
          );
      } else {
        checkMethod(did, ref, `${rel}[${i}]`);
      }
    });
  }
  return deepFreeze(structuredClone(doc)) as DidDocument;
}

const DEFAULT_PURPOSES: readonly Relationship[] = ['assertionMethod', 'authentication'];

export interface DocumentKey {
  /** Fragment of the verification method id (default `key-1`, `key-2`, …). */
  readonly id?: string;
  readonly publicKeyMultibase: string;
  /** Default: assertionMethod and authentication. */
  readonly purposes?: readonly Relationship[];
  /** Key history: no proofs after this time (dateTimeStamp). */
  readonly retired?: string;
  /** Key history: compromised as of this time (dateTimeStamp, CID 1.0 `revoked`). */
  readonly revoked?: string;
  /** Extra properties kept on the method. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Build (and validate) the DID document of an organisation from its public keys. */
export function buildDidDocument(options: {
  did: string;
  keys: readonly DocumentKey[];
  extra?: Readonly<Record<string, unknown>>;
}): DidDocument {
  if (options === null || typeof options !== 'object' || typeof options.did !== 'string')
    throw new TypeError('options.did is required');
  const keys: readonly DocumentKey[] = options.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new TypeError('at least one key is required');
  const { did } = options;
  const doc: Json = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    ...(options.extra ?? {}),
  };
  const methods: Json[] = [];
  const rels: Record<Relationship, string[]> = {
    authentication: [],
    assertionMethod: [],
    capabilityInvocation: [],
    capabilityDelegation: [],
  };
  keys.forEach((k: DocumentKey, i: number) => {
    const fragment = k.id ?? `key-${i + 1}`;
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(fragment)) throw new RangeError(`bad key fragment ${fragment}`);
    const id = `${did}#${fragment}`;
    methods.push({
      ...(k.extra ?? {}),
      id,
      type: 'Multikey',
      controller: did,
      publicKeyMultibase: k.publicKeyMultibase,
      ...(k.retired === undefined ? {} : { retired: k.retired }),
      ...(k.revoked === undefined ? {} : { revoked: k.revoked }),
    });
    for (const p of k.purposes ?? DEFAULT_PURPOSES) rels[p].push(id);
  });
  doc['verificationMethod'] = methods;
  for (const rel of RELATIONSHIPS) if (rels[rel].length > 0) doc[rel] = rels[rel];
  return validateDidDocument(did, doc);
}
