// SPDX-License-Identifier: Apache-2.0
// The CLI's home folder: the encrypted key store and the organisation record (public data only).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { type DidDocument, PassportError } from '@agent-passport/core';
import { resolveDidKey } from '@agent-passport/did-key';
import { buildDidDocument, didWebToUrl } from '@agent-passport/did-web';
import { openIssuerState } from '@agent-passport/issuer';
import { type KeyMaterial, openKeyStore, readPassphrase } from '@agent-passport/keystore';
import { createSigner } from '@agent-passport/suites';
import { readJsonFile, toJson, writeFileAtomic } from './internal/files.js';

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

/** The default status base of a did:web organisation: `status/` beside its DID document's folder. */
export function defaultStatusBase(did: string): string {
  const url = didWebToUrl(did);
  const dir = url.pathname.endsWith('/.well-known/did.json')
    ? url.pathname.slice(0, -'/.well-known/did.json'.length)
    : url.pathname.slice(0, -'/did.json'.length);
  return `${url.origin}${dir}/status`;
}

export const ORG_KEY_LABEL = 'org-key-1';
export const agentLabel = (name: string) => `agent-${name}`;
export const AGENT_NAME = /^[a-z0-9][a-z0-9-]{0,40}$/;

/** The home folder: --home, else $AGENT_PASSPORT_HOME, else ~/.agent-passport. */
export function resolveHome(flag: string | undefined): string {
  return resolve(flag ?? process.env['AGENT_PASSPORT_HOME'] ?? join(homedir(), '.agent-passport'));
}

export function openHome(dir: string) {
  const keys = openKeyStore(join(dir, 'keys'));
  const orgPath = join(dir, 'org.json');
  return {
    dir,
    keys,
    hasOrg: () => existsSync(orgPath),
    readOrg(): OrgRecord {
      if (!existsSync(orgPath)) {
        throw new PassportError(
          'ERR_ORG_MISSING',
          `no organisation in ${dir}: run \`agent-passport org init\` first`,
        );
      }
      const record = readJsonFile(orgPath) as OrgRecord | (Omit<OrgRecord, 'version'> & { version: 1 });
      if (record.version === 2) return record;
      // Version 1 (one key, no history, no status lists): read as a version 2 record.
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
    },
    /** The issuer state (status indexes), for an organisation that publishes status lists. */
    issuerState(record: OrgRecord) {
      if (record.statusBase === undefined) return undefined;
      return openIssuerState(join(dir, 'issuer-state.json'), {
        issuer: record.did,
        statusBase: record.statusBase,
      });
    },
    /** Where the latest signed status lists are kept (what `verify` reads for this home's org). */
    statusDir: join(dir, 'status'),
    writeOrg(record: OrgRecord): void {
      writeFileAtomic(orgPath, toJson(record));
    },
  };
}

export type Home = ReturnType<typeof openHome>;

/** The passphrase: $AGENT_PASSPORT_PASSPHRASE, else an interactive prompt on a terminal. Never a flag. */
export async function passphrase(confirm = false): Promise<string> {
  return readPassphrase({
    env: 'AGENT_PASSPORT_PASSPHRASE',
    confirm,
    ...(process.stdin.isTTY
      ? {
          prompt: async (message: string) => {
            const { password } = await import('@inquirer/prompts');
            return password({ message, mask: '*' });
          },
        }
      : {}),
  });
}

/** Load the organisation's signing key. */
export async function orgSigner(home: Home) {
  const org = home.readOrg();
  const key: KeyMaterial = await home.keys.load(org.keyLabel, await passphrase());
  return { org, signer: createSigner(key, org.verificationMethod) };
}
