// SPDX-License-Identifier: Apache-2.0
// The digest a link names its parent by (VCDM 2.0 §5.3 "Integrity of Related Resources"):
// digestMultibase = "u" + base64url(multihash(sha2-256, JCS(credential with its proof))).
import { createHash } from 'node:crypto';
import { canonicalBytes } from '@agent-passport/strict-json';

const SHA2_256_HEADER = Uint8Array.of(0x12, 0x20);

/** The digestMultibase of a credential's exact signed form (its JCS canonical bytes). */
export function credentialDigest(credential: unknown): string {
  const digest = createHash('sha256').update(canonicalBytes(credential)).digest();
  return `u${Buffer.concat([SHA2_256_HEADER, digest]).toString('base64url')}`;
}
