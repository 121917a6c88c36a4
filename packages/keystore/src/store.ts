// SPDX-License-Identifier: Apache-2.0
// A key store on a directory: one encrypted file per key, written atomically (temp file in the same
// directory, fsync, rename, fsync the directory) with mode 0600 in a 0700 directory, and a
// plaintext index of public data only. A crash mid-write leaves the previous file intact.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { PassportError } from '@agent-passport/core';
import { parseJson } from '@agent-passport/strict-json';
import { decryptKey, type EncryptedKeyFile, encryptKey, type KdfParams } from './file-format.js';
import type { KeyMaterial } from './keys.js';

export const LABEL = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const SUFFIX = '.key.json';

export interface PublicKeyInfo {
  readonly label: string;
  readonly type: string;
  readonly did: string;
  readonly publicKeyMultibase: string;
  readonly createdAt: string;
}

/** A complete, fsynced temporary file in `dir` holding `content`. */
function writeTemp(dir: string, content: string, mode: number): string {
  const tmp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  return tmp;
}

function syncDir(dir: string): void {
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

/** Write `content` to `path` atomically with `mode`, replacing any file there. */
export function writeAtomic(path: string, dir: string, content: string, mode = 0o600): void {
  renameSync(writeTemp(dir, content, mode), path);
  syncDir(dir);
}

/**
 * Write `content` to `path` atomically, only if no file is there: the complete temporary file is
 * hard-linked to `path`, which fails if the name exists (create-exclusive, like O_EXCL, and never
 * a half-written file). Returns false, writing nothing, when `path` exists.
 */
export function writeAtomicExclusive(path: string, dir: string, content: string, mode = 0o600): boolean {
  const tmp = writeTemp(dir, content, mode);
  try {
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
  syncDir(dir);
  return true;
}

function checkLabel(label: string): void {
  if (typeof label !== 'string' || !LABEL.test(label))
    throw new RangeError(`a key label is ${LABEL}, not ${JSON.stringify(label)}`);
}

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

/** Open (creating it 0700 when needed) a key store directory. */
export function openKeyStore(dir: string): KeyStore {
  if (typeof dir !== 'string' || dir === '') throw new TypeError('dir must be a path');
  const path = (label: string) => {
    checkLabel(label);
    return join(dir, `${label}${SUFFIX}`);
  };
  const ensureDir = () => mkdirSync(dir, { recursive: true, mode: 0o700 });
  const scan = (): PublicKeyInfo[] => {
    if (!existsSync(dir)) return [];
    const out: PublicKeyInfo[] = [];
    for (const name of readdirSync(dir).sort()) {
      if (!name.endsWith(SUFFIX) || name.startsWith('.')) continue;
      try {
        const file = parseJson(readFileSync(join(dir, name))) as EncryptedKeyFile;
        const p = file.public;
        out.push({
          label: name.slice(0, -SUFFIX.length),
          type: p.type,
          did: p.did,
          publicKeyMultibase: p.publicKeyMultibase,
          createdAt: p.createdAt,
        });
      } catch {
        // an unreadable file is not listed; load() reports its code
      }
    }
    return out;
  };
  /**
   * Rewrite index.json from the files. Another process may replace it with an older scan at the same
   * moment; the last writer rescans after writing and writes again until what it wrote is current.
   */
  const writeIndex = () => {
    const indexPath = join(dir, 'index.json');
    let keys = scan();
    for (let i = 0; i < 10; i++) {
      const text = `${JSON.stringify({ version: 1, keys }, null, 2)}\n`;
      writeAtomic(indexPath, dir, text, 0o600);
      keys = scan();
      if (
        `${JSON.stringify({ version: 1, keys }, null, 2)}\n` === text &&
        readFileSync(indexPath, 'utf8') === text
      )
        return;
    }
  };
  return {
    dir,
    path,
    has: (label) => existsSync(path(label)),
    async save(label, key, passphrase, options = {}) {
      const target = path(label);
      ensureDir();
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
      writeIndex();
      const p = file.public;
      return {
        label,
        type: p.type,
        did: p.did,
        publicKeyMultibase: p.publicKeyMultibase,
        createdAt: p.createdAt,
      };
    },
    async load(label, passphrase) {
      const target = path(label);
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
    },
    list() {
      const index = join(dir, 'index.json');
      if (existsSync(index)) {
        try {
          return (parseJson(readFileSync(index)) as { keys: PublicKeyInfo[] }).keys;
        } catch {
          // fall back to the files themselves
        }
      }
      return scan();
    },
  };
}
