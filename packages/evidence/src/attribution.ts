// SPDX-License-Identifier: Apache-2.0
// Who made a call, as re-verification establishes it (docs/security.md): the signer whose
// signature verified, and the passport that verified with it (holder-bound to that signer). The
// entry's own `agent`, `agentName`, `issuer` and `passportId` are the service's unsigned notes: the
// audit never attributes by them, and reports any of them that disagrees (ERR_EVIDENCE_FIELD).
import type { AgentPassport } from '@agent-passport/core';

export interface Who {
  readonly agent?: string;
  readonly agentName?: string;
  readonly issuer?: string;
  readonly passportId?: string;
  /** A delegated call: organisation → agent → … → `agent` (not compared: the chain re-verified). */
  readonly principals?: readonly string[];
}

const FIELDS = ['agent', 'agentName', 'issuer', 'passportId'] as const;

/** What a verified passport establishes about its holder. */
export function whoOf(passport: AgentPassport): Who {
  const issuer: unknown = passport.issuer;
  const issuerId =
    typeof issuer === 'string'
      ? issuer
      : typeof issuer === 'object' && issuer !== null
        ? (issuer as { id?: unknown }).id
        : undefined;
  return {
    agent: passport.credentialSubject.id,
    agentName: passport.credentialSubject.agentName,
    ...(typeof issuerId === 'string' ? { issuer: issuerId } : {}),
    ...(typeof passport.id === 'string' ? { passportId: passport.id } : {}),
  };
}

/**
 * The stored fields that disagree with what was established, as a message (undefined: none). A
 * field re-verification could not establish is not compared: it is simply not used.
 */
export function disagreement(stored: Readonly<Record<string, unknown>>, who: Who): string | undefined {
  const wrong = FIELDS.filter((f) => stored[f] !== undefined && who[f] !== undefined && stored[f] !== who[f]);
  if (wrong.length === 0) return undefined;
  return `the stored ${wrong.join(', ')} ${wrong.length === 1 ? 'disagrees' : 'disagree'} with the re-verified signer ${who.agent ?? ''}${who.agentName === undefined ? '' : ` (${who.agentName})`}: the entry was rewritten`;
}
