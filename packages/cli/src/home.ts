// SPDX-License-Identifier: Apache-2.0
// The CLI's home folder: the encrypted key store and the organisation record (public data only).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { type DidDocument, PassportError } from '@agent-passport/core';
import { type KeyMaterial, openKeyStore, readPassphrase } from '@agent-passport/keystore';
import { createSigner } from '@agent-passport/suites';
import { readJsonFile, toJson, writeFileAtomic } from './internal/files.js';

/** What `org init` records: the organisation's DID, its document and the label of its key. */
export interface OrgRecord {
  readonly version: 1;
  readonly did: string;
  readonly keyLabel: string;
  readonly verificationMethod: string;
  readonly didDocument: DidDocument;
  readonly createdAt: string;
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
      return readJsonFile(orgPath) as OrgRecord;
    },
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
