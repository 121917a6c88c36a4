// SPDX-License-Identifier: Apache-2.0
// A key store on a directory: one encrypted file per key, written atomically (atomic-file.ts) with
// mode 0600 in a 0700 directory, and a plaintext index of public data only (store-index.ts). A
// crash mid-write leaves the previous file intact.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassportError } from '@agent-passport/core';
import { parseJson } from '@agent-passport/strict-json';
import { writeAtomic, writeAtomicExclusive } from './atomic-file.js';
import { decryptKey, encryptKey, type KdfParams } from './file-format.js';
import type { KeyMaterial } from './keys.js';
import { KEY_SUFFIX, listKeys, type PublicKeyInfo, publicKeyInfo, writeIndex } from './store-index.js';

export const LABEL = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface KeyStore {
  readonly dir: string;
  save(
    label: string,
    key: KeyMaterial,
    passphrase: string,
    options?: { overwrite?: boolean; kdf?: KdfParams },
  ): Promise<PublicKeyInfo>;
  load(label: string, passphrase: string): Promise<KeyMaterial>;
  list(): PublicKeyInfo[];
  has(label: string): boolean;
  path(label: string): string;
}

/** The file of the key labelled `label` in `dir` (RangeError for a label that is not LABEL). */
function keyPath(dir: string, label: string): string {
  if (typeof label !== 'string' || !LABEL.test(label))
    throw new RangeError(`a key label is ${LABEL}, not ${JSON.stringify(label)}`);
  return join(dir, `${label}${KEY_SUFFIX}`);
}

/** Encrypt and publish a key file (create-exclusive unless `overwrite`), then rewrite the index. */
async function saveKey(
  dir: string,
  label: string,
  key: KeyMaterial,
  passphrase: string,
  options: { readonly overwrite?: boolean; readonly kdf?: KdfParams },
): Promise<PublicKeyInfo> {
  const target = keyPath(dir, label);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const exists = () => new PassportError('ERR_KEYSTORE_EXISTS', `a key labelled ${label} exists`);
  // Early answer only: the exclusive publish below decides, after the slow derivation.
  if (options.overwrite !== true && existsSync(target)) throw exists();
  const file = encryptKey(key, passphrase, {
    label,
    ...(options.kdf === undefined ? {} : { kdf: options.kdf }),
  });
  const content = `${JSON.stringify(file, null, 2)}\n`;
  if (options.overwrite === true) writeAtomic(target, dir, content);
  else if (!writeAtomicExclusive(target, dir, content)) throw exists();
  writeIndex(dir);
  return publicKeyInfo(label, file.public);
}

/** Read and decrypt the key labelled `label`. */
async function loadKey(dir: string, label: string, passphrase: string): Promise<KeyMaterial> {
  const target = keyPath(dir, label);
  let text: Buffer;
  try {
    text = readFileSync(target);
  } catch {
    throw new PassportError('ERR_KEYSTORE_NOT_FOUND', `no key labelled ${label} in ${dir}`);
  }
  let file: unknown;
  try {
    file = parseJson(text);
  } catch (cause) {
    throw new PassportError('ERR_KEYSTORE_FORMAT', `${target} is not JSON`, { cause });
  }
  return decryptKey(file, passphrase);
}

/** Open (creating it 0700 when needed) a key store directory. */
export function openKeyStore(dir: string): KeyStore {
  if (typeof dir !== 'string' || dir === '') throw new TypeError('dir must be a path');
  return {
    dir,
    path: (label) => keyPath(dir, label),
    has: (label) => existsSync(keyPath(dir, label)),
    save: (label, key, passphrase, options = {}) => saveKey(dir, label, key, passphrase, options),
    load: (label, passphrase) => loadKey(dir, label, passphrase),
    list: () => listKeys(dir),
  };
}
