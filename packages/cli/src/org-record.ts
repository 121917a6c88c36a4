// SPDX-License-Identifier: Apache-2.0
// The organisation record (`<home>/org.json`, public data only): its DID, its keys with their
// history, and the DID document derived from them.
import type { DidDocument } from '@agent-passport/core';
import { resolveDidKey } from '@agent-passport/did-key';
import { buildDidDocument, didWebToUrl } from '@agent-passport/did-web';

/** One key of the organisation, with its history (public data only). */
export interface OrgKey {
  /** Fragment of its verification method (`key-1`, …; the multibase for did:key). */
  readonly fragment: string;
  /** Label of the encrypted private key in the key store. */
  readonly label: string;
  readonly publicKeyMultibase: string;
  readonly addedAt: string;
  /** No passports after this time (rotation). */
  readonly retiredAt?: string;
  /** Compromised as of this time: proofs made at or after it are refused. */
  readonly compromisedAt?: string;
}

/** What `org init` records: the organisation's DID, its keys with their history, derived fields. */
export interface OrgRecord {
  readonly version: 2;
  readonly did: string;
  readonly keys: readonly OrgKey[];
  /** Where its status lists are published (https, no trailing slash); none: passports carry no status. */
  readonly statusBase?: string;
  /** The current signing key: label and verification method (derived from `keys`). */
  readonly keyLabel: string;
  readonly verificationMethod: string;
  /** The DID document with key history (derived from `keys`). */
  readonly didDocument: DidDocument;
  readonly createdAt: string;
}

/** A version 1 record (one key, no history, no status lists), as older homes hold it. */
export type OrgRecordV1 = Omit<OrgRecord, 'version'> & { version: 1 };

/** The DID document of an organisation: did:key resolves; did:web lists every key with its history. */
export function orgDocument(did: string, keys: readonly OrgKey[]): DidDocument {
  if (did.startsWith('did:key:')) return resolveDidKey(did);
  return buildDidDocument({
    did,
    keys: keys.map((k) => ({
      id: k.fragment,
      publicKeyMultibase: k.publicKeyMultibase,
      ...(k.retiredAt === undefined ? {} : { retired: k.retiredAt }),
      ...(k.compromisedAt === undefined ? {} : { revoked: k.compromisedAt }),
    })),
  });
}

/** A complete record from the DID, the keys (current first) and the status base. */
export function orgRecord(
  fields: Pick<OrgRecord, 'did' | 'keys' | 'createdAt'> & { statusBase?: string | undefined },
): OrgRecord {
  const current = fields.keys[0];
  if (current === undefined) throw new TypeError('an organisation has a key');
  return {
    version: 2,
    did: fields.did,
    keys: fields.keys,
    ...(fields.statusBase === undefined ? {} : { statusBase: fields.statusBase }),
    keyLabel: current.label,
    verificationMethod: `${fields.did}#${current.fragment}`,
    didDocument: orgDocument(fields.did, fields.keys),
    createdAt: fields.createdAt,
  };
}

/** A version 1 record read as a version 2 record. */
export function upgradeRecord(record: OrgRecordV1): OrgRecord {
  const fragment = record.verificationMethod.slice(record.verificationMethod.indexOf('#') + 1);
  const method = record.didDocument.verificationMethod?.find((m) => m.id === record.verificationMethod);
  return orgRecord({
    did: record.did,
    createdAt: record.createdAt,
    keys: [
      {
        fragment,
        label: record.keyLabel,
        publicKeyMultibase: method?.publicKeyMultibase ?? fragment,
        addedAt: record.createdAt,
      },
    ],
  });
}

/** The default status base of a did:web organisation: `status/` beside its DID document's folder. */
export function defaultStatusBase(did: string): string {
  const url = didWebToUrl(did);
  const dir = url.pathname.endsWith('/.well-known/did.json')
    ? url.pathname.slice(0, -'/.well-known/did.json'.length)
    : url.pathname.slice(0, -'/did.json'.length);
  return `${url.origin}${dir}/status`;
}
