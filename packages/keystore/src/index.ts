// SPDX-License-Identifier: Apache-2.0

export { writeAll, writeAtomic, writeAtomicExclusive } from './atomic-file.js';
export type { EncryptedKeyFile, KdfParams, PublicBlock } from './file-format.js';
export { DEFAULT_KDF, decryptKey, encryptKey, KDF_LIMITS } from './file-format.js';
export type { KeyMaterial } from './keys.js';
export { deriveAgentKey, generateKey, generateMasterSeed, keyFromSecret } from './keys.js';
export type { LockOptions, LockOwner, OwnedLock } from './owned-lock.js';
export { acquireLock, describeOwner, ownerIsDead, tryLock } from './owned-lock.js';
export type { PassphraseOptions } from './passphrase.js';
export { DEFAULT_PASSPHRASE_ENV, MIN_PASSPHRASE_LENGTH, readPassphrase } from './passphrase.js';
export type { KeyStore } from './store.js';
export { LABEL, openKeyStore } from './store.js';
export type { PublicKeyInfo } from './store-index.js';
