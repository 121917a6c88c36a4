// SPDX-License-Identifier: Apache-2.0
// The digest a link names its parent by (VCDM 2.0 §5.3 "Integrity of Related Resources"):
// digestMultibase = "u" + base64url(multihash(sha2-256, JCS(credential with its proof))). Portable
// (the platform's SHA-256 through did-key): browsers verify chains too.
import { concatBytes, toBase64url } from '@agent-passport/core';
import { sha256 } from '@agent-passport/did-key';
import { canonicalBytes } from '@agent-passport/strict-json';

const SHA2_256_HEADER = Uint8Array.of(0x12, 0x20);

/** The digestMultibase of a credential's exact signed form (its JCS canonical bytes). */
export function credentialDigest(credential: unknown): string {
  return `u${toBase64url(concatBytes(SHA2_256_HEADER, sha256(canonicalBytes(credential))))}`;
}
