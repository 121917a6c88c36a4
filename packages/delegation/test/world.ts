// SPDX-License-Identifier: Apache-2.0
// A small world for chain tests: an organisation, a planner agent with a passport that may be
// delegated twice, and sub-agents, on a fixed clock. Real keys, real signatures.

import { createDocumentLoader } from '@agent-passport/contexts';
import type { AgentPassport } from '@agent-passport/core';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey, type KeyMaterial } from '@agent-passport/keystore';
import {
  createBitstring,
  createStatusChecker,
  issueStatusListCredential,
  setBit,
} from '@agent-passport/status';
import { didKeySigner, signCredential } from '@agent-passport/suites';
import {
  type AgentDelegation,
  createDelegationVerifier,
  type DelegateOptions,
  delegate,
} from '../src/index.js';

export const NOW = new Date('2026-12-01T12:00:00Z');
export const ORIGIN = 'https://api.example';
export const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

export interface Agent {
  readonly key: KeyMaterial;
  readonly did: string;
  readonly signer: ReturnType<typeof didKeySigner>;
}
export function agent(type: 'Ed25519' | 'P-256' = 'Ed25519'): Agent {
  const key = generateKey(type);
  return { key, did: key.did, signer: didKeySigner(key) };
}

export const org = agent();
export const planner = agent();

export async function plannerPassport(
  extra: Partial<Parameters<typeof issuePassport>[0]> = {},
): Promise<AgentPassport> {
  return issuePassport({
    issuer: { id: org.did, signer: org.signer },
    subject: planner.did,
    agentName: 'planner',
    purpose: 'research planning',
    scopes: ['read:arxiv/*', 'write:notes'],
    validFrom: NOW,
    validUntil: minutes(60),
    delegation: { allowed: true, maxDepth: 2 },
    now: NOW,
    ...extra,
  });
}

/** A delegation from `from` (holding `parent`) to `to`, valid for 10 minutes from NOW by default. */
export function link(
  parent: AgentPassport | AgentDelegation,
  from: Agent,
  to: Agent,
  extra: Partial<DelegateOptions> = {},
): Promise<AgentDelegation> {
  return delegate({
    parent,
    signer: from.signer,
    subject: to.did,
    scopes: ['read:arxiv/papers'],
    validFrom: NOW,
    validUntil: minutes(10),
    audience: [ORIGIN],
    now: NOW,
    ...extra,
  });
}

export const LIST = 'https://planner.example/status/delegations/1';
export const statusEntry = (index: number) => ({
  id: `${LIST}#${index}`,
  type: 'BitstringStatusListEntry' as const,
  statusPurpose: 'revocation',
  statusListIndex: String(index),
  statusListCredential: LIST,
});

/** A status checker holding a revocation list signed by `by`, with the given bits set. */
export async function statusChecker(by: Agent, revoked: number[] = []) {
  const bits = createBitstring();
  for (const i of revoked) setBit(bits, i, true);
  const list = await issueStatusListCredential({
    id: LIST,
    issuer: { id: by.did, signer: by.signer },
    statusPurpose: 'revocation',
    bits,
    now: NOW,
  });
  return createStatusChecker({ lists: [list] });
}

export function verifier(extra: Partial<Parameters<typeof createDelegationVerifier>[0]> = {}) {
  return createDelegationVerifier({
    trustedIssuers: [org.did],
    origin: ORIGIN,
    clock: () => minutes(1),
    ...extra,
  });
}

/** An attacker's (or a careless agent's) link: `base` changed and signed by `by`, with no checks. */
export async function forge(
  base: AgentDelegation,
  by: Agent,
  change: { top?: Record<string, unknown>; subject?: Record<string, unknown> },
): Promise<AgentDelegation> {
  const { proof: _proof, ...unsigned } = structuredClone(base) as unknown as Record<string, unknown>;
  const credential = {
    ...unsigned,
    ...change.top,
    credentialSubject: { ...(unsigned['credentialSubject'] as object), ...change.subject },
  };
  const signed = await signCredential(credential, {
    signer: by.signer,
    created: NOW,
    documentLoader: createDocumentLoader(),
  });
  return signed as unknown as AgentDelegation;
}
