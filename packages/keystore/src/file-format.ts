// SPDX-License-Identifier: Apache-2.0
// The encrypted key file, version 1 (packages/keystore/README.md): scrypt (floors and caps on its
// parameters), AES-256-GCM with a fresh 96-bit nonce and the full 16-byte tag, the public block
// authenticated as associated data, a key-check value to tell a wrong passphrase from tampering,
// and a digest over the whole file to tell corruption from a wrong passphrase.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  scryptSync,
  timingSafeEqual,
} from 'node:crypto';
import { isObject, type KeyType, PassportError } from '@agent-passport/core';
import { canonicalize } from '@agent-passport/strict-json';
import { type KeyMaterial, keyFromSecret } from './keys.js';

export interface KdfParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * Floors and caps: a file can neither weaken the KDF nor make one unlock expensive. Each parameter
 * has its range, and together they are capped: work N*r*p at most 2^21 (twice the default, about a
 * second) and memory 128*N*r at most 256 MiB. Checked before any derivation.
 */
export const KDF_LIMITS = {
  N: [2 ** 15, 2 ** 18],
  r: [8, 16],
  p: [1, 4],
  work: 2 ** 21,
  memoryBytes: 256 * 2 ** 20,
} as const;
export const DEFAULT_KDF: KdfParams = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

export interface PublicBlock {
  readonly type: KeyType;
  readonly did: string;
  readonly publicKeyMultibase: string;
  readonly label: string;
  readonly createdAt: string;
}

export interface EncryptedKeyFile {
  readonly version: 1;
  readonly kdf: {
    readonly name: 'scrypt';
    readonly N: number;
    readonly r: number;
    readonly p: number;
    readonly salt: string;
  };
  readonly cipher: { readonly name: 'aes-256-gcm'; readonly nonce: string };
  readonly ciphertext: string;
  readonly tag: string;
  readonly check: string;
  readonly public: PublicBlock;
  readonly digest: string;
}

const CHECK_LABEL = 'agent-passport keystore check v1';
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');

function assertKdf(params: KdfParams): void {
  const { N, r, p } = params;
  const ok =
    Number.isInteger(N) &&
    N >= KDF_LIMITS.N[0] &&
    N <= KDF_LIMITS.N[1] &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= KDF_LIMITS.r[0] &&
    r <= KDF_LIMITS.r[1] &&
    Number.isInteger(p) &&
    p >= KDF_LIMITS.p[0] &&
    p <= KDF_LIMITS.p[1] &&
    N * r * p <= KDF_LIMITS.work &&
    128 * N * r <= KDF_LIMITS.memoryBytes;
  if (!ok)
    throw new PassportError(
      'ERR_KEYSTORE_KDF_PARAMS',
      `scrypt N=${N} r=${r} p=${p} is outside the accepted range`,
    );
}

function derive(passphrase: string, salt: Buffer, params: KdfParams): { encKey: Buffer; check: Buffer } {
  const out = scryptSync(passphrase.normalize('NFC'), salt, 64, {
    ...params,
    maxmem: 2 * 128 * params.N * params.r * params.p + 1024 * 1024,
  });
  return {
    encKey: out.subarray(0, 32),
    check: createHmac('sha256', out.subarray(32)).update(CHECK_LABEL).digest(),
  };
}

function header(file: Omit<EncryptedKeyFile, 'ciphertext' | 'tag' | 'check' | 'digest'>): Buffer {
  return Buffer.from(
    canonicalize({ version: file.version, kdf: file.kdf, cipher: file.cipher, public: file.public }),
  );
}

function digestOf(file: Omit<EncryptedKeyFile, 'digest'>): string {
  return createHash('sha256').update(canonicalize(file)).digest('base64url');
}

/** Encrypt a key under a passphrase. */
export function encryptKey(
  key: KeyMaterial,
  passphrase: string,
  options: { label?: string; kdf?: KdfParams; createdAt?: Date } = {},
): EncryptedKeyFile {
  if (typeof passphrase !== 'string' || passphrase.length === 0)
    throw new TypeError('passphrase must be a non-empty string');
  const params = options.kdf ?? DEFAULT_KDF;
  assertKdf(params);
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const { encKey, check } = derive(passphrase, salt, params);
  const base = {
    version: 1 as const,
    kdf: { name: 'scrypt' as const, N: params.N, r: params.r, p: params.p, salt: b64(salt) },
    cipher: { name: 'aes-256-gcm' as const, nonce: b64(nonce) },
    public: {
      type: key.type,
      did: key.did,
      publicKeyMultibase: key.publicKeyMultibase,
      label: options.label ?? '',
      createdAt: (options.createdAt ?? new Date()).toISOString(),
    },
  };
  const cipher = createCipheriv('aes-256-gcm', encKey, nonce, { authTagLength: 16 });
  cipher.setAAD(header(base));
  const ciphertext = Buffer.concat([cipher.update(key.secretKey), cipher.final()]);
  const body = { ...base, ciphertext: b64(ciphertext), tag: b64(cipher.getAuthTag()), check: b64(check) };
  return { ...body, digest: digestOf(body) };
}

const bytes = (v: unknown, len?: number): Buffer => {
  if (typeof v !== 'string' || !/^[A-Za-z0-9_-]*$/.test(v))
    throw new PassportError('ERR_KEYSTORE_FORMAT', 'a field is not base64url');
  const b = Buffer.from(v, 'base64url');
  if (len !== undefined && b.length !== len)
    throw new PassportError('ERR_KEYSTORE_FORMAT', `a field has ${b.length} bytes, not ${len}`);
  return b;
};

/** Decrypt a key file. Wrong passphrase, tampering, version and format each have their code. */
export function decryptKey(file: unknown, passphrase: string): KeyMaterial {
  if (typeof passphrase !== 'string') throw new TypeError('passphrase must be a string');
  if (!isObject(file)) throw new PassportError('ERR_KEYSTORE_FORMAT', 'a key file is a JSON object');
  if (file['version'] !== 1)
    throw new PassportError(
      'ERR_KEYSTORE_VERSION',
      `key file version ${JSON.stringify(file['version'])} is not supported`,
    );
  const { kdf, cipher, public: pub } = file;
  if (
    !isObject(kdf) ||
    kdf['name'] !== 'scrypt' ||
    !isObject(cipher) ||
    cipher['name'] !== 'aes-256-gcm' ||
    !isObject(pub)
  ) {
    throw new PassportError('ERR_KEYSTORE_FORMAT', 'the kdf, cipher or public block is missing or unknown');
  }
  if (pub['type'] !== 'Ed25519' && pub['type'] !== 'P-256')
    throw new PassportError('ERR_KEYSTORE_FORMAT', 'unknown key type');
  const { digest, ...body } = file;
  let canonicalOk: boolean;
  try {
    canonicalOk = typeof digest === 'string' && digestOf(body as Omit<EncryptedKeyFile, 'digest'>) === digest;
  } catch {
    throw new PassportError('ERR_KEYSTORE_FORMAT', 'the key file holds values that are not JSON');
  }
  if (!canonicalOk)
    throw new PassportError('ERR_KEYSTORE_TAMPERED', 'the key file digest does not match its content');
  const params = { N: kdf['N'] as number, r: kdf['r'] as number, p: kdf['p'] as number };
  assertKdf(params);
  const salt = bytes(kdf['salt'], 16);
  const nonce = bytes(cipher['nonce'], 12);
  const ciphertext = bytes(file['ciphertext'], 32);
  const tag = bytes(file['tag']);
  const checkValue = bytes(file['check'], 32);
  const { encKey, check } = derive(passphrase, salt, params);
  if (!timingSafeEqual(check, checkValue)) throw new PassportError('ERR_KEYSTORE_PASSPHRASE');
  if (tag.length !== 16)
    throw new PassportError('ERR_KEYSTORE_TAMPERED', 'the authentication tag is not 16 bytes');
  let secret: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', encKey, nonce, { authTagLength: 16 });
    decipher.setAAD(header(file as unknown as EncryptedKeyFile));
    decipher.setAuthTag(tag);
    secret = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (cause) {
    throw new PassportError('ERR_KEYSTORE_TAMPERED', 'the key file does not authenticate', { cause });
  }
  const key = keyFromSecret(pub['type'], new Uint8Array(secret));
  if (key.publicKeyMultibase !== pub['publicKeyMultibase'] || key.did !== pub['did']) {
    throw new PassportError('ERR_KEYSTORE_TAMPERED', 'the public block does not match the key');
  }
  return key;
}
