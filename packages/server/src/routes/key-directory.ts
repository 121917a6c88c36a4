// SPDX-License-Identifier: Apache-2.0
// GET /.well-known/http-message-signatures-directory (Web Bot Auth): the Ed25519 keys of the
// agents holding a current, unrevoked, unsuspended credential of this issuer.
import { parseDateTime } from '@agent-passport/core';
import { decodeDidKey, isDidKey } from '@agent-passport/did-key';
import { webBotAuthDirectory } from '@agent-passport/http-signatures';
import type { IssuerState } from '@agent-passport/issuer';

export function agentKeyDirectory(state: IssuerState | undefined, now: Date): unknown {
  const keys = new Map<string, Uint8Array>();
  for (const p of Object.values(state?.read().passports ?? {})) {
    if (p.revokedAt !== undefined || p.suspendedAt !== undefined) continue;
    if ((parseDateTime(p.validUntil) ?? 0) < now.getTime() || !isDidKey(p.agentName)) continue;
    try {
      const { publicKey, type } = decodeDidKey(p.agentName);
      if (type === 'Ed25519') keys.set(p.agentName, publicKey);
    } catch {
      // A subject that is not a valid did:key is not an agent key.
    }
  }
  return webBotAuthDirectory([...keys.values()]);
}
