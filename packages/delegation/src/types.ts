// SPDX-License-Identifier: Apache-2.0
import type { DataIntegrityProof, DidKey, StatusListEntry } from '@agent-passport/core';

/** The credential a link names as its parent: its id and the digest of its exact signed form. */
export interface ParentReference {
  readonly id: string;
  /** Multibase (base64url, "u") of the SHA-256 multihash of the parent's JCS form, proof included. */
  readonly digestMultibase: string;
}

/** The claims of an AgentDelegation (`credentialSubject`). */
export interface DelegationSubject {
  /** The sub-agent's did:key. */
  readonly id: DidKey;
  readonly parentCredential: ParentReference;
  readonly scopes: readonly string[];
  /** Services that may accept it; required whenever `maxDepth` > 0. */
  readonly audience?: readonly string[];
  /** How many more links may follow this one (0: the sub-agent may not delegate further). */
  readonly maxDepth: number;
  readonly maxCalls?: number;
  readonly purpose?: string;
}

/** An AgentDelegation credential: issued (and signed) by the delegating agent's did:key. */
export interface AgentDelegation {
  readonly '@context': readonly string[];
  readonly id: string;
  readonly type: readonly string[];
  readonly issuer: DidKey;
  readonly validFrom: string;
  readonly validUntil: string;
  readonly credentialSubject: DelegationSubject;
  readonly credentialStatus?: StatusListEntry | readonly StatusListEntry[];
  readonly proof: DataIntegrityProof;
}

/** One credential of a verified chain, from the organisation's passport down to the leaf. */
export interface ChainLink {
  readonly id: string;
  readonly digestMultibase: string;
  /** The organisation for the passport, the delegating agent for a delegation. */
  readonly issuer: string;
  /** The agent the credential names. */
  readonly subject: DidKey;
  readonly scopes: readonly string[];
  readonly maxCalls?: number;
}
