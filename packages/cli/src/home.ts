// SPDX-License-Identifier: Apache-2.0
// The CLI's home folder: the encrypted key store, the organisation record (public data only), the
// issuer state and the latest signed status lists. The key store and the issuer state are loaded
// when first asked for: `verify` needs neither.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassportError, type Signer } from '@agent-passport/core';
import type { IssuerState } from '@agent-passport/issuer';
import type { KeyStore, PublicKeyInfo } from '@agent-passport/keystore';
import type { PrivateKey } from '@agent-passport/suites';
import { readJsonFile, toJson, writeFileAtomic } from './internal/files.js';
import { withNewKeyCost } from './key-cost.js';
import { type OrgRecord, type OrgRecordV1, upgradeRecord } from './org-record.js';

export const ORG_KEY_LABEL = 'org-key-1';
export const BUNDLE_AUTHOR_LABEL = 'bundle-author';
export const agentLabel = (name: string) => `agent-${name}`;
export const AGENT_NAME = /^[a-z0-9][a-z0-9-]{0,40}$/;

export interface Home {
  readonly dir: string;
  /** Where the latest signed status lists are kept (what `verify` reads for this home's org). */
  readonly statusDir: string;
  keys(): Promise<KeyStore>;
  /** A key of the store by label, or undefined. */
  findKey(label: string): Promise<PublicKeyInfo | undefined>;
  hasOrg(): boolean;
  readOrg(): OrgRecord;
  writeOrg(record: OrgRecord): void;
  /** The issuer state (status indexes), for an organisation that publishes status lists. */
  issuerState(record: OrgRecord): Promise<IssuerState | undefined>;
}

export function openHome(dir: string): Home {
  const orgPath = join(dir, 'org.json');
  let store: KeyStore | undefined;
  const keys = async () => {
    const { openKeyStore, DEFAULT_KDF } = await import('@agent-passport/keystore');
    store ??= withNewKeyCost(openKeyStore(join(dir, 'keys')), DEFAULT_KDF);
    return store;
  };
  return {
    dir,
    statusDir: join(dir, 'status'),
    keys,
    findKey: async (label) => (await keys()).list().find((k) => k.label === label),
    hasOrg: () => existsSync(orgPath),
    readOrg() {
      if (!existsSync(orgPath))
        throw new PassportError(
          'ERR_ORG_MISSING',
          `no organisation in ${dir}: run \`agent-passport org init\` first`,
        );
      const record = readJsonFile(orgPath) as OrgRecord | OrgRecordV1;
      return record.version === 2 ? record : upgradeRecord(record);
    },
    writeOrg: (record) => writeFileAtomic(orgPath, toJson(record)),
    async issuerState(record) {
      if (record.statusBase === undefined) return undefined;
      const { openIssuerState } = await import('@agent-passport/issuer');
      return openIssuerState(join(dir, 'issuer-state.json'), {
        issuer: record.did,
        statusBase: record.statusBase,
      });
    },
  };
}

/** The passphrase: $AGENT_PASSPORT_PASSPHRASE, else an interactive prompt on a terminal. Never a flag. */
export async function passphrase(confirm = false): Promise<string> {
  const { readPassphrase } = await import('@agent-passport/keystore');
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
export async function orgSigner(home: Home): Promise<{ org: OrgRecord; signer: Signer; key: PrivateKey }> {
  const org = home.readOrg();
  const key = await (await home.keys()).load(org.keyLabel, await passphrase());
  const { createSigner } = await import('@agent-passport/suites');
  return { org, signer: createSigner(key, org.verificationMethod), key };
}

/** The did:key of an agent of this home (the subject of its passports). */
export async function agentDid(home: Home, name: string): Promise<string> {
  const entry = await home.findKey(agentLabel(name));
  if (entry === undefined)
    throw new PassportError('ERR_KEYSTORE_NOT_FOUND', `no agent ${name} in ${home.dir}`);
  return entry.did;
}
