// SPDX-License-Identifier: Apache-2.0
// The scrypt cost of the key files the CLI writes. AGENT_PASSPORT_KDF_N sets scrypt's N for new key
// files (a power of two from 2^15, the key store's floor, to 2^18; anything else is refused with
// ERR_KEYSTORE_KDF_PARAMS when a key is written) for throwaway homes such as CI and tests, where
// every command pays one derivation. Unset, new files get the key store's default (2^17). A file
// keeps its own parameters: opening it costs what it was written with.
import type { KdfParams, KeyStore } from '@agent-passport/keystore';

export const KDF_N_ENV = 'AGENT_PASSPORT_KDF_N';

/** `store`, writing new key files with the N the environment asks for (if it asks). */
export function withNewKeyCost(
  store: KeyStore,
  defaults: KdfParams,
  env: Readonly<Record<string, string | undefined>> = process.env,
): KeyStore {
  const raw = env[KDF_N_ENV];
  if (raw === undefined || raw === '') return store;
  const kdf: KdfParams = { ...defaults, N: /^\d+$/.test(raw) ? Number(raw) : Number.NaN };
  const save: KeyStore['save'] = (label, key, passphrase, options = {}) =>
    store.save(label, key, passphrase, { kdf, ...options });
  return Object.freeze({ ...store, save });
}
